import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class FirmSlugField {
  @ApiProperty({ example: 'northwind', description: "The slug of the firm whose portal the person is on" })
  @Transform(trimLower)
  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { message: 'firmSlug must be a firm slug such as "northwind"' })
  firmSlug!: string;
}

/**
 * Where a sign-in continues: a page of the app, as its path without the leading slash: for the
 * portal, after `/<firm slug>/` ("questions/<id>", "settings/email"); for the console, from the root
 * ("clients/<id>/transactions"). Letters, digits, "-", "_" and single slashes only, so it can never
 * name another site or climb out of the app.
 */
export const PORTAL_NEXT_PATTERN = /^(?!.*\/\/)[a-z0-9][a-z0-9/_-]{0,199}$/i;

/** A sign-in request's optional `next`, checked against PORTAL_NEXT_PATTERN. */
const PortalNext = (what: string) =>
  applyDecorators(
    ApiPropertyOptional({
      example: 'questions/0b7c6a8e-3f51-4c1e-9d1a-2f8e4b6c7d90',
      description: `The portal page ${what} once signed in, as its path after /<firm slug>/ (the portal home when absent)`,
    }),
    IsOptional(),
    IsString(),
    Matches(PORTAL_NEXT_PATTERN, { message: 'next must be a portal page such as "questions/<id>"' }),
  );

export class EmailAtFirmDto extends FirmSlugField {
  @ApiProperty({ example: 'maria@acme.test' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;
}

export class SignInLinkRequestDto extends EmailAtFirmDto {
  @PortalNext('the emailed link opens')
  next?: string;
}

export class PortalPasswordResetRequestDto extends EmailAtFirmDto {}

export class PortalLoginDto extends EmailAtFirmDto {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(200)
  password!: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token from the emailed link' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  token!: string;
}

export class PortalSetPasswordDto extends TokenDto {
  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters long' })
  @MaxLength(200, { message: 'password must be at most 200 characters long' })
  password!: string;
}

export class PortalMessageDto {
  @ApiProperty() message!: string;
}

export class SignInLinkInfoDto {
  @ApiProperty() email!: string;
  @ApiProperty({ description: 'The business the link continues to' }) businessName!: string;
  @ApiProperty() firmName!: string;
  @ApiProperty() firmSlug!: string;
}

export class ResetLinkInfoDto {
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() firmSlug!: string;
}

export class PortalFirmDto {
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ type: String, nullable: true }) portalName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '#1f7469' }) accentColor!: string | null;
  @ApiProperty({ type: String, nullable: true }) logoUrl!: string | null;
}

export class PortalFeaturesDto {
  @ApiProperty({ description: 'Always on: questions from the bookkeeper' }) questions!: boolean;
  @ApiProperty({ description: "The firm turned on Financials access for this client" }) financials!: boolean;
  @ApiProperty({ description: 'The firm turned on Files access for this client' }) files!: boolean;
  @ApiProperty({ description: 'The firm lets this business connect or reconnect its ledger from the portal' }) ledgerConnect!: boolean;
}

export class PortalBusinessDto {
  @ApiProperty({ format: 'uuid', description: "The business (the firm's client) id" }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['owner', 'member'] }) role!: 'owner' | 'member';
  @ApiProperty({ type: PortalFirmDto }) firm!: PortalFirmDto;
  @ApiProperty({ description: 'Items waiting for this person (open questions)' }) openItems!: number;
  @ApiProperty({ type: PortalFeaturesDto }) features!: PortalFeaturesDto;
}

export class PortalContactDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The name the current business knows them by' }) name!: string;
  @ApiProperty() email!: string;
}

export class PortalSessionDto {
  @ApiProperty({ type: PortalContactDto }) contact!: PortalContactDto;
  @ApiProperty({ format: 'uuid' }) currentBusinessId!: string;
  @ApiProperty({ type: [PortalBusinessDto] }) businesses!: PortalBusinessDto[];
  @ApiProperty({ description: 'Send as the X-CSRF-Token header on every write' }) csrfToken!: string;
}

export class SwitchBusinessDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'businessId must be a UUID' })
  businessId!: string;
}

export class FirmDirectoryQuery {
  @ApiProperty({ minLength: 2, maxLength: 100, description: 'Part of the firm name' })
  @Transform(trim)
  @IsString()
  @MinLength(2, { message: 'q must be at least 2 characters' })
  @MaxLength(100)
  q!: string;
}

export class DirectoryFirmDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
}

export class FirmDirectoryDto {
  @ApiProperty({ type: [DirectoryFirmDto] }) items!: DirectoryFirmDto[];
}

export class GrantFirmAccessDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'firmId must be a UUID' })
  firmId!: string;
}

export class FirmAccessDto {
  @ApiProperty({ format: 'uuid' }) firmId!: string;
  @ApiProperty() firmName!: string;
  @ApiProperty() firmSlug!: string;
  @ApiProperty({ format: 'uuid', description: "The business's id at that firm" }) businessId!: string;
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
  @ApiProperty({ description: 'The firm of the portal the person is in' }) current!: boolean;
}

export class FirmAccessListDto {
  @ApiProperty({ type: [FirmAccessDto] }) items!: FirmAccessDto[];
}

export class GoogleStartQuery {
  @ApiProperty({ enum: ['portal', 'console'] })
  @IsIn(['portal', 'console'], { message: 'for must be portal or console' })
  for!: 'portal' | 'console';

  @ApiPropertyOptional({ description: 'The firm slug (required for the portal)' })
  @ValidateIf((o: GoogleStartQuery) => o.for === 'portal' || o.slug !== undefined)
  @IsDefined({ message: 'slug is required when for is portal' })
  @Transform(trimLower)
  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { message: 'slug must be a firm slug such as "northwind"' })
  slug?: string;

  @PortalNext('to open (for the console: its path from the root, without the leading slash)')
  next?: string;
}

export class SignInOptionsDto {
  @ApiProperty({ description: 'Sign in with Google is configured' }) googleSignIn!: boolean;
}

export class ClockDto {
  @ApiProperty({ description: 'Milliseconds added to the system time' }) offsetMs!: number;
  @ApiProperty({ format: 'date-time' }) now!: string;
}

export class SetClockDto {
  @ApiProperty({ description: 'Milliseconds to add to the system time (0 resets)', minimum: 0 })
  @IsInt({ message: 'offsetMs must be a whole number of milliseconds' })
  @Min(0)
  @Max(400 * 24 * 3600 * 1000)
  offsetMs!: number;
}
