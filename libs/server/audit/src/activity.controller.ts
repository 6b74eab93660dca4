import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AdminOnly, CurrentScope, PageQuery } from '@ledgerport/server/access';
import type { FirmScope } from '@ledgerport/server/db';

export class ActivityQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only entries about this client' })
  @IsOptional()
  @IsUUID()
  clientId?: string;
}

class RefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class ActivityItemDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'client.created' }) action!: string;
  @ApiProperty({ example: 'Created client Acme Coffee Roasters' }) summary!: string;
  @ApiProperty({ type: RefDto, nullable: true, description: 'null for the platform operator or the system' })
  actor!: RefDto | null;
  @ApiProperty({ type: String, nullable: true }) actorName!: string;
  @ApiProperty({ type: RefDto, nullable: true }) client!: RefDto | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ActivityPageDto {
  @ApiProperty({ type: [ActivityItemDto] }) items!: ActivityItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

interface Row {
  id: number;
  action: string;
  summary: string;
  actor_user_id: string | null;
  actor_name: string;
  client_id: string | null;
  client_name: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  total: number;
}

@ApiTags('activity')
@Controller('api/v1/activity')
export class ActivityController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: "The firm's activity log, newest first (admins)" })
  @ApiOkResponse({ type: ActivityPageDto })
  async list(@CurrentScope() scope: FirmScope, @Query() q: ActivityQuery): Promise<ActivityPageDto> {
    const rows: Row[] = await this.db.query(
      `SELECT a.id, a.action, a.summary, a.actor_user_id, a.actor_name, a.client_id,
              coalesce(c.name, a.client_name) AS client_name, a.details, a.created_at,
              count(*) OVER () AS total
         FROM activity_log a LEFT JOIN clients c ON c.id = a.client_id
        WHERE a.firm_id = $1 AND ($2::uuid IS NULL OR a.client_id = $2)
        ORDER BY a.id DESC LIMIT $3 OFFSET $4`,
      [scope.firmId, q.clientId ?? null, q.limit, q.offset],
    );
    const total = rows[0]?.total ?? (q.offset ? await this.count(scope, q.clientId) : 0);
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        action: r.action,
        summary: r.summary,
        actor: r.actor_user_id ? { id: r.actor_user_id, name: r.actor_name } : null,
        actorName: r.actor_name,
        client: r.client_id ? { id: r.client_id, name: r.client_name ?? '' } : null,
        details: r.details,
        createdAt: r.created_at.toISOString(),
      })),
      total: Number(total),
      limit: q.limit,
      offset: q.offset,
    };
  }

  private async count(scope: FirmScope, clientId?: string): Promise<number> {
    const r: { n: number }[] = await this.db.query(
      `SELECT count(*) AS n FROM activity_log WHERE firm_id = $1 AND ($2::uuid IS NULL OR client_id = $2)`,
      [scope.firmId, clientId ?? null],
    );
    return Number(r[0].n);
  }
}
