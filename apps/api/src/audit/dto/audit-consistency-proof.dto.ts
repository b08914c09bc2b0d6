import { ApiProperty } from '@nestjs/swagger';
import { AuditCheckpointDto } from './audit-checkpoint.dto';

export class AuditConsistencyProofDto {
  @ApiProperty({ type: AuditCheckpointDto })
  from: AuditCheckpointDto;

  @ApiProperty({ type: AuditCheckpointDto })
  to: AuditCheckpointDto;

  @ApiProperty({ type: [String], description: 'RFC 6962 consistency proof, base64 hashes' })
  proof: string[];
}
