import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class LoginDto {
  @ApiProperty({ example: 'owner@northwind.test' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'ledgerport-demo' })
  @IsString()
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(200)
  password!: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'owner@northwind.test' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;
}

export class SetPasswordDto {
  @ApiProperty({ description: 'The token from the invitation or reset link' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  token!: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters long' })
  @MaxLength(200, { message: 'password must be at most 200 characters long' })
  password!: string;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['admin', 'staff'] }) role!: 'admin' | 'staff';
}

export class SessionFirmDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
}

export class SessionDto {
  @ApiProperty({ type: SessionUserDto }) user!: SessionUserDto;
  @ApiProperty({ type: SessionFirmDto }) firm!: SessionFirmDto;
  @ApiProperty({ description: 'Send as the X-CSRF-Token header on every write' }) csrfToken!: string;
}

export class MessageDto {
  @ApiProperty() message!: string;
}

export class PasswordTokenInfoDto {
  @ApiProperty({ enum: ['invite', 'reset'] }) purpose!: 'invite' | 'reset';
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() firmName!: string;
}
