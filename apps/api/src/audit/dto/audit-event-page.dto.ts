import { ApiProperty } from '@nestjs/swagger';
import { AuditEventDto } from './audit-event.dto';

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] })
  items: AuditEventDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
