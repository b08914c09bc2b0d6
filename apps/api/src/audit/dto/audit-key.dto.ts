import { ApiProperty } from '@nestjs/swagger';

export class AuditKeyDto {
  @ApiProperty()
  keyId: string;

  @ApiProperty({ description: 'SPKI PEM of the P-256 public key' })
  publicKeyPem: string;

  @ApiProperty({ format: 'date-time' })
  activatedAt: Date;
}
