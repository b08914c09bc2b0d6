import { ApiProperty } from '@nestjs/swagger';

export class AuditBundleEventDto {
  @ApiProperty({ format: 'uuid' })
  eventId: string;

  @ApiProperty()
  canonical: string;

  @ApiProperty()
  leafIndex: number;

  @ApiProperty({ type: [String] })
  proof: string[];
}
