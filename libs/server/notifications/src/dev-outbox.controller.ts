import { Controller, Get, HttpStatus, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsOptional } from 'class-validator';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { ErrorResponseDto } from '@ledgerport/server/access';
import { MailService } from './mail.service';

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
    private readonly mail: MailService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Mail kept in the development outbox (404 in production or when SMTP_URL is set)' })
  @ApiOkResponse({ type: DevOutboxDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'OUTBOX_DISABLED' })
  async list(@Query() query: DevOutboxQuery): Promise<DevOutboxDto> {
    if (!this.config.mailToOutbox) {
      throw new AppException(HttpStatus.NOT_FOUND, 'OUTBOX_DISABLED', 'The development outbox is off: mail is sent over SMTP.');
    }
    return { items: await this.mail.outbox(query.to) };
  }
}
