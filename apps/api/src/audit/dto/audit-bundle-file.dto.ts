import { ApiProperty } from '@nestjs/swagger';
import { AuditBundleEventDto } from './audit-bundle.dto';
import { AuditCheckpointDto } from './audit-checkpoint.dto';

export class AuditBundleFileDto {
  @ApiProperty({ enum: ['sillage.audit.bundle.v1'] })
  format: 'sillage.audit.bundle.v1';

  @ApiProperty({ type: AuditCheckpointDto })
  checkpoint: AuditCheckpointDto;

  @ApiProperty()
  publicKeyPem: string;

  @ApiProperty({ type: [AuditBundleEventDto] })
  events: AuditBundleEventDto[];
}
