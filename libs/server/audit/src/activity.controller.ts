import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { AdminOnly, CurrentScope, ErrorResponseDto, PageQuery } from '@ledgerport/server/access';
import type { FirmScope } from '@ledgerport/server/db';
import { ActivityService } from './activity.service';

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

class ActivityClientDto extends RefDto {
  @ApiProperty({ description: 'The client has since been deleted; the name is the one it had' }) deleted!: boolean;
}

export class ActivityItemDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'client.created' }) action!: string;
  @ApiProperty({ example: 'Created client Acme Coffee Roasters' }) summary!: string;
  @ApiProperty({ type: RefDto, nullable: true, description: 'null for the platform operator or the system' })
  actor!: RefDto | null;
  @ApiProperty({ type: String, nullable: true }) actorName!: string;
  @ApiProperty({ type: ActivityClientDto, nullable: true }) client!: ActivityClientDto | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ActivityPageDto {
  @ApiProperty({ type: [ActivityItemDto] }) items!: ActivityItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

@ApiTags('activity')
@Controller('api/v1/activity')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: "The firm's activity log, newest first (admins)" })
  @ApiOkResponse({ type: ActivityPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  async list(@CurrentScope() scope: FirmScope, @Query() q: ActivityQuery): Promise<ActivityPageDto> {
    const { items, total } = await this.activity.list(scope, q);
    return { items, total, limit: q.limit, offset: q.offset };
  }
}
