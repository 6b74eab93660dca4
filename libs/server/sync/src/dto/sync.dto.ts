import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class SyncErrorDto {
  @ApiProperty({ example: 'NEEDS_RECONNECT' }) code!: string;
  @ApiProperty({ description: 'What went wrong, in plain words' }) message!: string;
}

export class SyncProgressDto {
  @ApiProperty({ type: String, nullable: true, description: 'What the run is reading: lists, a transaction type, changes' }) phase!: string | null;
  @ApiProperty({ description: 'Steps done' }) done!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Steps in all, when known' }) total!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '0–100, when known' }) percent!: number | null;
  @ApiProperty({ description: 'Transactions read so far' }) read!: number;
}

export class SyncRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['backfill', 'incremental'] }) kind!: 'backfill' | 'incremental';
  @ApiProperty({ enum: ['schedule', 'manual', 'connect', 'webhook', 'api'] }) trigger!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status!: 'queued' | 'running' | 'succeeded' | 'failed';
  @ApiProperty({ format: 'date-time' }) queuedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty() pages!: number;
  @ApiProperty({ description: 'Transactions new to Ledgerport' }) added!: number;
  @ApiProperty({ description: 'Transactions that changed' }) changed!: number;
  @ApiProperty({ description: 'Transactions deleted or voided in the ledger' }) removed!: number;
  @ApiProperty({ type: SyncProgressDto }) progress!: SyncProgressDto;
  @ApiProperty({ type: SyncErrorDto, nullable: true, description: 'Why it failed; while running, the last problem it is retrying' }) error!: SyncErrorDto | null;
}

export class SyncStatusDto {
  @ApiProperty({ type: SyncRunDto, nullable: true, description: 'The run queued or going now' }) current!: SyncRunDto | null;
  @ApiProperty({ type: SyncRunDto, nullable: true, description: 'The last finished run' }) last!: SyncRunDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last successful run finished' }) lastSyncedAt!: string | null;
  @ApiProperty({ description: 'A first full read has completed' }) backfilled!: boolean;
  @ApiProperty() transactionCount!: number;
  @ApiProperty({ description: 'Posted to an account that needs review (uncategorized, Ask My Accountant, suspense…)' }) uncategorizedCount!: number;
  @ApiProperty({ description: 'Missing a class where the ledger tracks classes' }) missingClassCount!: number;
  @ApiProperty({ description: "The firm's sync interval, in minutes" }) intervalMinutes!: number;
}

export class SyncRunListDto {
  @ApiProperty({ type: [SyncRunDto] }) items!: SyncRunDto[];
}

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONEY = /^-?\d{1,15}(\.\d{1,4})?$/;

export class TransactionQuery {
  @ApiPropertyOptional({ description: 'From this date (YYYY-MM-DD), inclusive' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date like 2026-01-31' })
  from?: string;

  @ApiPropertyOptional({ description: 'To this date (YYYY-MM-DD), inclusive' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date like 2026-01-31' })
  to?: string;

  @ApiPropertyOptional({ description: "An account's id (the categorization account)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  accountId?: string;

  @ApiPropertyOptional({ description: "A payee's id" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  payeeId?: string;

  @ApiPropertyOptional({ description: 'At least this amount (signed, e.g. -500)' })
  @IsOptional()
  @Matches(MONEY, { message: 'minAmount must be an amount like -120.50' })
  minAmount?: string;

  @ApiPropertyOptional({ description: 'At most this amount (signed)' })
  @IsOptional()
  @Matches(MONEY, { message: 'maxAmount must be an amount like 120.50' })
  maxAmount?: string;

  @ApiPropertyOptional({ enum: ['uncategorized', 'missing_class', 'review'], description: 'review: uncategorized or missing a class' })
  @IsOptional()
  @IsIn(['uncategorized', 'missing_class', 'review'], { message: 'flag must be uncategorized, missing_class or review' })
  flag?: 'uncategorized' | 'missing_class' | 'review';

  @ApiPropertyOptional({ description: 'Search the payee, memo and reference (2+ characters)', maxLength: 100 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: "The previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class RefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class TransactionLineDto {
  @ApiProperty({ type: String, nullable: true }) id!: string | null;
  @ApiProperty({ example: '12.50' }) amount!: string;
  @ApiProperty({ type: RefDto, nullable: true }) account!: RefDto | null;
  @ApiProperty({ type: [RefDto] }) classes!: RefDto[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: String, enum: ['debit', 'credit'], nullable: true }) posting!: 'debit' | 'credit' | null;
}

export class TransactionQuestionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Q-12' }) reference!: string;
  @ApiProperty({ enum: ['open', 'answered', 'resolved'] }) status!: 'open' | 'answered' | 'resolved';
}

export class TransactionDto {
  @ApiProperty({ description: "Ledgerport's id" }) id!: string;
  @ApiProperty({ example: 'Purchase', description: "The ledger's entity" }) type!: string;
  @ApiProperty({ description: "The ledger's id" }) providerId!: string;
  @ApiProperty({ example: '2026-11-02' }) date!: string;
  @ApiProperty({ example: '-42.50', description: 'Decimal string; money out negative' }) amount!: string;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: RefDto, nullable: true }) payee!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) bankAccount!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true, description: "The categorization: the first line's account (a transfer's destination)" })
  account!: RefDto | null;
  @ApiProperty({ description: 'How many lines it has; more than one is a split', example: 1 }) lineCount!: number;
  @ApiProperty({
    type: RefDto,
    nullable: true,
    description: 'When it needs review: the account of the first line that does (what a question asks about), which for a split may not be `account`',
  })
  reviewAccount!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) class!: RefDto | null;
  @ApiProperty({ type: String, nullable: true }) memo!: string | null;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
  @ApiProperty() uncategorized!: boolean;
  @ApiProperty() missingClass!: boolean;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: TransactionQuestionDto, nullable: true, description: 'The question asked about it, if any (one per transaction)' })
  question!: TransactionQuestionDto | null;
}

export class TransactionDetailDto extends TransactionDto {
  @ApiProperty({ type: [TransactionLineDto] }) lines!: TransactionLineDto[];
}

export class TransactionPageDto {
  @ApiProperty({ type: [TransactionDto] }) items!: TransactionDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null after the last' }) nextCursor!: string | null;
}

export class PayeeQuery {
  @ApiPropertyOptional({ description: 'Name contains', maxLength: 100 })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class PayeeDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['vendor', 'customer', 'contact'] }) kind!: string;
}

export class PayeeListDto {
  @ApiProperty({ type: [PayeeDto] }) items!: PayeeDto[];
}

export class SetReviewDto {
  @ApiProperty({ description: 'Transactions posted to this account need review (count as uncategorized)' })
  @IsBoolean()
  needsReview!: boolean;
}

export class ReviewAccountDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() type!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty() needsReview!: boolean;
}

export class ReviewAccountListDto {
  @ApiProperty({ type: [ReviewAccountDto] }) items!: ReviewAccountDto[];
}

export class SyncIntervalDto {
  @ApiProperty({ minimum: 5, maximum: 1440, description: 'Minutes between scheduled syncs of each client' })
  @IsInt({ message: 'intervalMinutes must be a whole number of minutes' })
  @Min(5, { message: 'intervalMinutes must be at least 5' })
  @Max(1440, { message: 'intervalMinutes must be at most 1440 (a day)' })
  intervalMinutes!: number;
}

export class WebhookAckDto {
  @ApiProperty({ enum: [true] }) received!: true;
}
