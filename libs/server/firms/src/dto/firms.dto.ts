import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export const FIRM_SIZES = ['1', '2-5', '6-20', '21-50', '51+'] as const;
export type FirmSize = (typeof FIRM_SIZES)[number];

export class FirmApplicationDto {
  @ApiProperty({ example: 'Northwind Bookkeeping', maxLength: 120 })
  @Transform(trim)
  @IsString()
  @MinLength(2, { message: 'firmName must be at least 2 characters' })
  @MaxLength(120)
  firmName!: string;

  @ApiProperty({ example: 'Nora Winters', maxLength: 120 })
  @Transform(trim)
  @IsString()
  @MinLength(2, { message: 'contactName must be at least 2 characters' })
  @MaxLength(120)
  contactName!: string;

  @ApiProperty({ example: 'nora@northwind.test' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: '+1 555 0100' })
  @Transform(trim)
  @IsString()
  @Matches(/^\+?[0-9 ().-]{6,30}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) - .)' })
  phone!: string;

  @ApiProperty({ enum: FIRM_SIZES, description: 'Number of people at the firm' })
  @IsIn(FIRM_SIZES, { message: `size must be one of ${FIRM_SIZES.join(', ')}` })
  size!: FirmSize;
}

export class FirmApplicationResultDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() firmName!: string;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
}

export class PublicFirmDto {
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ description: 'Name shown on the client portal' }) portalName!: string;
  @ApiProperty({ type: String, nullable: true, example: '#1f7469', description: 'Accent colour of the portal (white text on it is readable)' })
  accentColor!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The portal logo, or null for none' }) logoUrl!: string | null;
  @ApiProperty({ description: 'Sign in with Google is offered' }) googleSignIn!: boolean;
}

export class FirmDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ enum: ['pending', 'approved'] }) status!: 'pending' | 'approved';
  @ApiProperty() portalName!: string;
}

export class OperatorFirmDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ enum: ['pending', 'approved'] }) status!: 'pending' | 'approved';
  @ApiProperty() contactName!: string;
  @ApiProperty() contactEmail!: string;
  @ApiProperty() phone!: string;
  @ApiProperty({ enum: FIRM_SIZES }) size!: FirmSize;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt!: string | null;
}

export class OperatorFirmListDto {
  @ApiProperty({ type: [OperatorFirmDto] }) items!: OperatorFirmDto[];
}

export class OperatorFirmQuery {
  @ApiPropertyOptional({ enum: ['pending', 'approved'] })
  @IsOptional()
  @IsIn(['pending', 'approved'], { message: 'status must be pending or approved' })
  status?: 'pending' | 'approved';
}
