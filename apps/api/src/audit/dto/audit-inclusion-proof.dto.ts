import { ApiProperty } from '@nestjs/swagger';
import { AuditCheckpointDto } from './audit-checkpoint.dto';

export class AuditInclusionProofDto {
  @ApiProperty({ format: 'uuid' })
  eventId: string;

  @ApiProperty({ description: 'The event’s canonical bytes, base64' })
  canonical: string;

  @ApiProperty()
  leafIndex: number;

  @ApiProperty({ description: 'SHA-256(0x00 ‖ canonical), base64' })
  leafHash: string;

  @ApiProperty()
  treeSize: number;

  @ApiProperty({ type: [String], description: 'RFC 6962 audit path, base64 hashes' })
  proof: string[];

  @ApiProperty({ type: AuditCheckpointDto })
  checkpoint: AuditCheckpointDto;
}
