import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AmountCents, IsCalendarDate } from '../../shared/validation';
import { AMENDMENT_REASONS, AmendmentReason } from '../amendment-reasons';

/** At least one of `newEndDate` and `newAmountCents`. */
export class CreateAmendmentDto {
  @ApiProperty({ format: 'date', description: 'Date of the amendment: not before the award nor the previous amendment' })
  @IsCalendarDate()
  amendedOn: string;

  @ApiProperty({ enum: AMENDMENT_REASONS })
  @IsIn(AMENDMENT_REASONS)
  reasonCode: AmendmentReason;

  @ApiPropertyOptional({ format: 'date', description: 'New convention end date, not before the award date' })
  @IsOptional()
  @IsCalendarDate()
  newEndDate?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'New amount attributed, in cents' })
  @IsOptional()
  @AmountCents()
  newAmountCents?: number;
}
