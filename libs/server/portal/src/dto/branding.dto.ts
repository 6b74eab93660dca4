import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);
const colour = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() || null : value);

export class BrandingDefaultsDto {
  @ApiProperty() portalName!: string;
  @ApiProperty({ example: '#1f7469' }) accentColor!: string;
}

export class BrandingDto {
  @ApiProperty({ type: String, nullable: true, description: 'null: the firm name is shown' }) portalName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '#1f7469', description: 'null: the Ledgerport colour' }) accentColor!: string | null;
  @ApiProperty({ type: String, nullable: true }) logoUrl!: string | null;
  @ApiProperty({ type: BrandingDefaultsDto }) defaults!: BrandingDefaultsDto;
}

export class UpdateBrandingDto {
  @ApiProperty({ type: String, nullable: true, maxLength: 80, example: 'Northwind Client Hub' })
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(2, { message: 'portalName must be at least 2 characters' })
  @MaxLength(80, { message: 'portalName must be at most 80 characters' })
  portalName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '#1f7469', description: '#rrggbb; white text on it must reach 4.5:1 contrast' })
  @Transform(colour)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(/^#[0-9a-f]{6}$/, { message: 'accentColor must be a colour such as #1f7469' })
  accentColor!: string | null;
}
