import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate, Text } from '@sillage/funding';
import { DECISION_REASONS, OPERATOR_DECISIONS, OperatorDecision, QUALIFICATION_REASON_CODES } from '../qualification-rules';

const REASONS_DOC = Object.entries(DECISION_REASONS)
  .map(([decision, reasons]) => `${decision}: ${reasons.join(', ')}`)
  .join('; ');

/** An operator's decision about a site. A `qualified` decision grants a label (name and validity range). */
export class QualificationDecisionDto {
  @ApiProperty({ enum: OPERATOR_DECISIONS })
  @IsIn(OPERATOR_DECISIONS)
  decision: OperatorDecision;

  @ApiProperty({ enum: QUALIFICATION_REASON_CODES, description: `One of the decision’s reasons — ${REASONS_DOC}` })
  @IsIn(QUALIFICATION_REASON_CODES)
  reasonCode: string;

  @ApiPropertyOptional({
    maxLength: 120,
    example: 'Lieu labellisé Pass numérique',
    description: 'Required with qualified, refused otherwise',
  })
  @IsOptional()
  @Text(120)
  labelName?: string;

  @ApiPropertyOptional({ format: 'date', description: 'First day of the label (Europe/Paris); required with qualified' })
  @IsOptional()
  @IsCalendarDate()
  labelValidFrom?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Last day of the label, ≥ labelValidFrom and not before today; required with qualified',
  })
  @IsOptional()
  @IsCalendarDate()
  labelValidUntil?: string;
}
