import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { REFRESH_TOKEN_DELIVERIES, RefreshTokenDelivery } from './refresh-token-delivery';

export class TotpConfirmDto {
  @ApiProperty({ pattern: '^[0-9]{6}$', example: '492039', description: 'The current code shown by the newly enrolled app.' })
  @IsString()
  @Matches(/^[0-9]{6}$/, { message: 'code must be exactly 6 digits' })
  code: string;

  @ApiPropertyOptional({ enum: REFRESH_TOKEN_DELIVERIES, default: 'cookie', description: 'Enrolment-token flow only.' })
  @IsOptional()
  @IsIn(REFRESH_TOKEN_DELIVERIES)
  refreshTokenDelivery?: RefreshTokenDelivery;
}
