import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

export class InviteContactDto {
  @ApiProperty({ example: 'Maria Lopez', maxLength: 120 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120)
  name!: string;

  @ApiProperty({ example: 'maria@acme.test' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ type: String, example: 'Owner', maxLength: 80, nullable: true })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(80)
  title?: string | null;

  @ApiPropertyOptional({ enum: ['owner', 'member'], default: 'member', description: 'Owners can give other firms access to the business' })
  @IsOptional()
  @IsIn(['owner', 'member'], { message: 'role must be owner or member' })
  role?: 'owner' | 'member';
}

export class UpdateContactDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ type: String, maxLength: 80, nullable: true })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(80)
  title?: string | null;

  @ApiPropertyOptional({ enum: ['owner', 'member'] })
  @IsOptional()
  @IsIn(['owner', 'member'], { message: 'role must be owner or member' })
  role?: 'owner' | 'member';

  @ApiPropertyOptional({ enum: [true], description: 'Make this the client’s primary contact (questions go to them by default)' })
  @IsOptional()
  @Equals(true, { message: 'primary can only be set to true (make another contact primary instead)' })
  primary?: true;
}

export class ContactDto {
  @ApiProperty({ format: 'uuid', description: "This person's place at this client (the portal user's id in these endpoints)" }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The person, the same at every business (the contactId of questions)' }) contactId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) title!: string | null;
  @ApiProperty({ enum: ['owner', 'member'] }) role!: 'owner' | 'member';
  @ApiProperty() primary!: boolean;
  @ApiProperty({ enum: ['invited', 'active', 'deactivated'] }) status!: 'invited' | 'active' | 'deactivated';
  @ApiProperty({ format: 'date-time' }) invitedAt!: string;
  @ApiProperty({ format: 'date-time' }) lastInvitedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSignInAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deactivatedAt!: string | null;
}

export class ContactListDto {
  @ApiProperty({ type: [ContactDto] }) items!: ContactDto[];
}
