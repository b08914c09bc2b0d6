import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { REFRESH_TOKEN_DELIVERIES, RefreshTokenDelivery } from './refresh-token-delivery';

export class LoginDto {
  @ApiProperty({ example: 'alice.martin@example.fr', maxLength: 254, description: 'Compared lower-cased.' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 1, maxLength: 128, format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({
    pattern: '^[0-9]{6}$',
    example: '492039',
    description: 'The current code of the authenticator app; required for operator users, admins, finance and anyone enrolled.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{6}$/, { message: 'totpCode must be exactly 6 digits' })
  totpCode?: string;

  @ApiPropertyOptional({ enum: REFRESH_TOKEN_DELIVERIES, default: 'cookie' })
  @IsOptional()
  @IsIn(REFRESH_TOKEN_DELIVERIES)
  refreshTokenDelivery?: RefreshTokenDelivery;
}
