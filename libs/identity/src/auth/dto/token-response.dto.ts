import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TokenResponseDto {
  @ApiProperty({ description: 'ES256 JWT; send as "Authorization: Bearer <accessToken>".' })
  accessToken: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires.', example: 900 })
  expiresIn: number;

  @ApiPropertyOptional({
    description: 'Only when refreshTokenDelivery is "body"; otherwise it is in the HttpOnly sillage_refresh cookie.',
  })
  refreshToken?: string;
}
