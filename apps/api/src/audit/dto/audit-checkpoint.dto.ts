import { ApiProperty } from '@nestjs/swagger';

export class AuditCheckpointDto {
  @ApiProperty({ description: 'Number of leaves the root covers' })
  treeSize: number;

  @ApiProperty({ description: 'RFC 6962 root hash, base64' })
  root: string;

  @ApiProperty({ type: Number, nullable: true })
  previousTreeSize: number | null;

  @ApiProperty({ format: 'date-time' })
  issuedAt: string;

  @ApiProperty({ description: 'Key id, see GET /v1/audit/keys' })
  keyId: string;

  @ApiProperty({ description: 'ES256 (P1363 r‖s) over the canonical checkpoint body, base64' })
  signature: string;
}
