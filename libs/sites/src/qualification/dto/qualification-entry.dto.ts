import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QUALIFICATION_DECISIONS, QualificationDecision } from '../site-qualification.entity';

/** One row of a site's qualification history: its application, or an operator's decision. */
export class QualificationEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: QUALIFICATION_DECISIONS, description: '`applied` is the site’s application; the others are operator decisions' })
  decision: QualificationDecision;

  @ApiProperty({ example: 'application_accepted' })
  reasonCode: string;

  @ApiProperty({ type: String, nullable: true, description: 'Qualified decisions only' })
  labelName: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date' })
  labelValidFrom: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date' })
  labelValidUntil: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'The operator only: the user who decided or applied' })
  decidedBy?: string | null;

  @ApiProperty({ format: 'date-time' })
  decidedAt: string;
}
