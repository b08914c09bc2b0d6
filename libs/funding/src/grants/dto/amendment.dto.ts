import { ApiProperty } from '@nestjs/swagger';
import { AMENDMENT_REASONS, AmendmentReason } from '../amendment-reasons';

export class AmendmentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  grantId: string;

  @ApiProperty({ format: 'date' })
  amendedOn: string;

  @ApiProperty({ enum: AMENDMENT_REASONS })
  reasonCode: AmendmentReason;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  newEndDate: string | null;

  @ApiProperty({ nullable: true, type: Number })
  newAmountCents: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
