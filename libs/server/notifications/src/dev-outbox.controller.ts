import { Controller, Get, HttpStatus, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsEmail, IsOptional } from 'class-validator';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';

export class DevOutboxQuery {
  @ApiPropertyOptional({ description: 'Only mail sent to this address' })
  @IsOptional()
  @IsEmail()
  to?: string;
}

export class DevEmailDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() to!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() text!: string;
  @ApiProperty() html!: string;
  @ApiProperty({ enum: ['queued', 'outbox', 'failed', 'sent'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class DevOutboxDto {
  @ApiProperty({ type: [DevEmailDto] }) items!: DevEmailDto[];
}

/** Development only: the mail that would have been sent, since SMTP_URL is not set. */
@ApiTags('development')
@Controller('api/v1/dev/outbox')
export class DevOutboxController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Mail kept in the development outbox (404 in production or when SMTP_URL is set)' })
  @ApiOkResponse({ type: DevOutboxDto })
  async list(@Query() query: DevOutboxQuery): Promise<DevOutboxDto> {
    if (!this.config.mailToOutbox) {
      throw new AppException(HttpStatus.NOT_FOUND, 'OUTBOX_DISABLED', 'The development outbox is off: mail is sent over SMTP.');
    }
    const rows: { id: string; to_address: string; subject: string; text_body: string; html_body: string; status: string; created_at: Date }[] =
      await this.db.query(
        `SELECT id, to_address, subject, text_body, html_body, status, created_at FROM outbound_emails
         WHERE ($1::text IS NULL OR to_address = lower($1)) ORDER BY created_at DESC LIMIT 100`,
        [query.to ?? null],
      );
    return {
      items: rows.map((r) => ({
        id: r.id,
        to: r.to_address,
        subject: r.subject,
        text: r.text_body ?? '',
        html: r.html_body ?? '',
        status: r.status,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }
}
