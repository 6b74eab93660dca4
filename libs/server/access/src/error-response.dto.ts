import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'CLIENT_NOT_FOUND', description: 'Stable machine-readable code' }) code!: string;
  @ApiProperty({ example: 'We could not find that client.' }) message!: string;
  @ApiPropertyOptional({ description: 'Per-field problems for VALIDATION_FAILED, or extra facts' }) details?: unknown;
}
