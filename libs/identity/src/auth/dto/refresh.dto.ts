import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { REFRESH_TOKEN_DELIVERIES, RefreshTokenDelivery } from './refresh-token-delivery';

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token, when it was delivered in a body; otherwise the sillage_refresh cookie is used.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken?: string;

  @ApiPropertyOptional({
    enum: REFRESH_TOKEN_DELIVERIES,
    description: 'Where to put the new refresh token; defaults to where the presented one came from.',
  })
  @IsOptional()
  @IsIn(REFRESH_TOKEN_DELIVERIES)
  refreshTokenDelivery?: RefreshTokenDelivery;
}
