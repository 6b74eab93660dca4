import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';

export const PROVIDERS = ['qbo', 'xero'] as const;
export type Provider = (typeof PROVIDERS)[number];

export class RefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class LedgerClassDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() active!: boolean;
}

export class DefaultAccountsDto {
  @ApiProperty({ type: RefDto, nullable: true, description: 'Used for expense categorizations and write-back' }) expense!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true, description: 'Used for income categorizations and write-back' }) income!: RefDto | null;
}

export class ConnectionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROVIDERS }) provider!: Provider;
  @ApiProperty({ enum: ['connected', 'needs_reconnect'] }) status!: 'connected' | 'needs_reconnect';
  @ApiProperty() companyName!: string;
  @ApiProperty({ type: String, nullable: true }) legalName!: string | null;
  @ApiProperty({ type: String, nullable: true }) edition!: string | null;
  @ApiProperty({ type: String, nullable: true }) country!: string | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ description: 'QuickBooks realm id or Xero tenant id' }) externalId!: string;
  @ApiProperty({ format: 'date-time' }) connectedAt!: string;
  @ApiProperty({ type: RefDto, nullable: true }) connectedBy!: RefDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastRefreshedAt!: string | null;
  @ApiProperty({ enum: ['off', 'per_txn', 'per_line'] }) classTracking!: 'off' | 'per_txn' | 'per_line';
  @ApiProperty({ type: [LedgerClassDto] }) classes!: LedgerClassDto[];
  @ApiProperty({ enum: ['connected', 'not_connected', 'unknown'] }) payroll!: 'connected' | 'not_connected' | 'unknown';
  @ApiProperty({ enum: ['connected', 'not_connected', 'unknown'] }) fixedAssets!: 'connected' | 'not_connected' | 'unknown';
  @ApiProperty() dashboardUrl!: string;
  @ApiProperty({ type: DefaultAccountsDto }) defaultAccounts!: DefaultAccountsDto;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
}

export class ProviderDto {
  @ApiProperty({ enum: PROVIDERS }) name!: Provider;
  @ApiProperty() label!: string;
  @ApiProperty() logoUrl!: string;
  @ApiProperty({ description: 'The firm can connect to it (its app credentials are configured)' }) configured!: boolean;
}

export class ClientConnectionDto {
  @ApiProperty({ type: ConnectionDto, nullable: true }) connection!: ConnectionDto | null;
  @ApiProperty({ type: [ProviderDto] }) providers!: ProviderDto[];
}

export class PortalConnectionSummaryDto {
  @ApiProperty({ enum: PROVIDERS }) provider!: Provider;
  @ApiProperty({ example: 'QuickBooks Online' }) providerLabel!: string;
  @ApiProperty() companyName!: string;
  @ApiProperty({ enum: ['connected', 'needs_reconnect'] }) status!: 'connected' | 'needs_reconnect';
  @ApiProperty({ format: 'date-time' }) connectedAt!: string;
}

export class PortalConnectionDto {
  @ApiProperty({ type: PortalConnectionSummaryDto, nullable: true }) connection!: PortalConnectionSummaryDto | null;
  @ApiProperty({ description: 'The firm lets this business connect or reconnect its ledger from the portal' }) canConnect!: boolean;
  @ApiProperty({ type: [ProviderDto] }) providers!: ProviderDto[];
}

export class ConnectQuery {
  @ApiProperty({ enum: PROVIDERS })
  @IsIn(PROVIDERS, { message: 'provider must be qbo or xero' })
  provider!: Provider;
}

export class LedgerAccountDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() type!: string;
  @ApiProperty() active!: boolean;
}

export class LedgerAccountListDto {
  @ApiProperty({ type: [LedgerAccountDto] }) items!: LedgerAccountDto[];
}

const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

export class SetDefaultAccountsDto {
  @ApiProperty({ type: String, nullable: true, description: 'Account id from the synced chart, or null' })
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(100)
  expense!: string | null;

  @ApiProperty({ type: String, nullable: true })
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(100)
  income!: string | null;
}

export class BoardQuery {
  @ApiPropertyOptional({ enum: ['all', 'connected', 'needs_reconnect', 'not_connected'], default: 'all' })
  @IsOptional()
  @IsIn(['all', 'connected', 'needs_reconnect', 'not_connected'], { message: 'status must be all, connected, needs_reconnect or not_connected' })
  status: 'all' | 'connected' | 'needs_reconnect' | 'not_connected' = 'all';

  @ApiPropertyOptional({ enum: PROVIDERS })
  @IsOptional()
  @IsIn(PROVIDERS, { message: 'provider must be qbo or xero' })
  provider?: Provider;

  @ApiPropertyOptional({ description: 'Client name contains' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['client', 'provider', 'status', 'uncategorized', 'synced'], default: 'client' })
  @IsOptional()
  @IsIn(['client', 'provider', 'status', 'uncategorized', 'synced'], { message: 'sort must be client, provider, status, uncategorized or synced' })
  sort: 'client' | 'provider' | 'status' | 'uncategorized' | 'synced' = 'client';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'direction must be asc or desc' })
  direction: 'asc' | 'desc' = 'asc';

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ type: Number, minimum: 0, default: 0 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(0)
  offset = 0;
}

export class BoardSyncDto {
  @ApiProperty({ enum: ['never', 'queued', 'running', 'succeeded', 'failed'], description: 'A run going now, else how the last one ended' })
  status!: 'never' | 'queued' | 'running' | 'succeeded' | 'failed';
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last successful run finished' }) lastSyncedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The last run's failure, in plain words" }) error!: string | null;
  @ApiProperty() transactions!: number;
  @ApiProperty({ description: 'Posted to an account that needs review' }) uncategorized!: number;
  @ApiProperty({ description: 'Missing a class where classes are tracked' }) missingClass!: number;
}

export class BoardConnectionDto {
  @ApiProperty({ enum: PROVIDERS }) provider!: Provider;
  @ApiProperty({ enum: ['connected', 'needs_reconnect'] }) status!: 'connected' | 'needs_reconnect';
  @ApiProperty() companyName!: string;
  @ApiProperty({ enum: ['connected', 'not_connected', 'unknown'] }) payroll!: string;
  @ApiProperty({ enum: ['connected', 'not_connected', 'unknown'] }) fixedAssets!: string;
  @ApiProperty() dashboardUrl!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastRefreshedAt!: string | null;
  @ApiProperty({ type: BoardSyncDto }) sync!: BoardSyncDto;
}

export class BoardClientDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) practiceManagerRef!: string | null;
  @ApiProperty({ enum: ['active', 'archived'] }) status!: string;
}

export class BoardRowDto {
  @ApiProperty({ type: BoardClientDto }) client!: BoardClientDto;
  @ApiProperty({ type: BoardConnectionDto, nullable: true }) connection!: BoardConnectionDto | null;
}

export class BoardCountsDto {
  @ApiProperty() connected!: number;
  @ApiProperty() needsReconnect!: number;
  @ApiProperty() notConnected!: number;
}

export class BoardPageDto {
  @ApiProperty({ type: [BoardRowDto] }) items!: BoardRowDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ type: BoardCountsDto, description: 'Across every client the user may see (ignores filters)' }) counts!: BoardCountsDto;
}
