import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export const ROLES = ['admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export class InviteMemberDto {
  @ApiProperty({ example: 'Ben Ortiz', maxLength: 120 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120)
  name!: string;

  @ApiProperty({ example: 'ben@northwind.test' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: ROLES, description: 'admin: every current and future client and the team; staff: assigned clients only' })
  @IsIn(ROLES, { message: 'role must be admin or staff' })
  role!: Role;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: 'role must be admin or staff' })
  role!: Role;
}

export class SetMemberClientsDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Every client this person should be assigned to' })
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true, message: 'each clientId must be a UUID' })
  clientIds!: string[];
}

class RefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class TeamMemberDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ enum: ['invited', 'active'] }) status!: 'invited' | 'active';
  @ApiProperty({ type: [RefDto] }) assignedClients!: RefDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSignInAt!: string | null;
}

export class TeamListDto {
  @ApiProperty({ type: [TeamMemberDto] }) items!: TeamMemberDto[];
}

export class AssignableQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the people who can see this client' })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId?: string;
}

/** A teammate as anyone on the team may see them: who they are, not how they sign in. */
export class AssignableMemberDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

export class AssignableListDto {
  @ApiProperty({ type: [AssignableMemberDto], description: 'By name' }) items!: AssignableMemberDto[];
}
