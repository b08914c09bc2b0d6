import { ApiProperty } from '@nestjs/swagger';

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt: string;

  @ApiProperty()
  action: string;

  @ApiProperty()
  actorType: string;

  @ApiProperty()
  subjectType: string;

  @ApiProperty({ type: String, nullable: true })
  subjectId: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;

  @ApiProperty({ description: 'The stored RFC 8785 bytes, base64 (what the leaf hash covers)' })
  canonical: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Null until sealed' })
  leafIndex: number | null;
}
