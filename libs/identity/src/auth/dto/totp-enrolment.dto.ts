import { ApiProperty } from '@nestjs/swagger';

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'Base32 secret, for typing into an authenticator app.', example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' })
  secret: string;

  @ApiProperty({ description: 'otpauth:// URI to render as a QR code.', example: 'otpauth://totp/Sillage:alice%40example.fr?secret=...' })
  otpauthUri: string;
}
