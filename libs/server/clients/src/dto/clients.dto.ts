import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQuery } from '@ledgerport/server/access';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Like IsOptional, but only for an absent field: `null` is validated (and refused) for non-nullable columns. */
const IsOmittable = () => ValidateIf((_: unknown, value: unknown) => value !== undefined);
const trimOrNull = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value;

export class CreateClientDto {
  @ApiProperty({ example: 'Acme Coffee Roasters', maxLength: 120 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120)
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Reference in the practice-management tool: free text or a URL', maxLength: 500 })
  @IsOptional()
  @Transform(trimOrNull)
  @IsString()
  @MaxLength(500)
  practiceManagerRef?: string | null;
}

export class UpdateClientDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ description: 'Clients may ask the firm questions from the portal' })
  @IsOmittable()
  @IsBoolean()
  questionsForUs?: boolean;

  @ApiPropertyOptional({ description: 'Clients see financial reports in the portal' })
  @IsOmittable()
  @IsBoolean()
  financialsAccess?: boolean;

  @ApiPropertyOptional({ description: 'Clients see and share files in the portal' })
  @IsOmittable()
  @IsBoolean()
  filesAccess?: boolean;

  @ApiPropertyOptional({ description: "Clients may connect or reconnect the business's QuickBooks Online or Xero from the portal" })
  @IsOmittable()
  @IsBoolean()
  ledgerConnect?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @Transform(trimOrNull)
  @IsString()
  @MaxLength(500)
  practiceManagerRef?: string | null;
}

export class ListClientsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['active', 'archived', 'all'], default: 'active' })
  @IsOptional()
  @IsIn(['active', 'archived', 'all'], { message: 'status must be active, archived or all' })
  status: 'active' | 'archived' | 'all' = 'active';

  @ApiPropertyOptional({ description: 'Name contains (case-insensitive)', maxLength: 120 })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;
}

export class DeleteClientQuery {
  @ApiProperty({ description: "The client's exact name, as confirmation" })
  @IsString()
  @MaxLength(120)
  confirmName!: string;
}

export class SetClientStaffDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Everyone who should be assigned; others are unassigned' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'each userId must be a UUID' })
  userIds!: string[];
}

export class RefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class ClientSettingsDto {
  @ApiProperty() questionsForUs!: boolean;
  @ApiProperty() financialsAccess!: boolean;
  @ApiProperty() filesAccess!: boolean;
  @ApiProperty({ description: "Clients may connect or reconnect the business's ledger from the portal" }) ledgerConnect!: boolean;
  @ApiProperty({ type: String, nullable: true }) practiceManagerRef!: string | null;
}

export class ClientDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'archived'] }) status!: 'active' | 'archived';
  @ApiProperty({ type: ClientSettingsDto }) settings!: ClientSettingsDto;
  @ApiProperty({ type: [RefDto] }) assignedStaff!: RefDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
}

export class ClientPageDto {
  @ApiProperty({ type: [ClientDto] }) items!: ClientDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
