import { ApiProperty } from '@nestjs/swagger';
import { AmountCents, IsCalendarDate, Text } from '../../shared/validation';

export class RecordPaymentDto {
  @ApiProperty({ maxLength: 140, description: 'Bank reference; recording the same reference again is a no-op' })
  @Text(140)
  reference: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  paidOn: string;

  @ApiProperty({ minimum: 1, description: 'Cents; the total paid may not exceed the amount due' })
  @AmountCents()
  amountCents: number;
}
