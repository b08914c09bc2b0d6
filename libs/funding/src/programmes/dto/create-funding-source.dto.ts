import { ApiProperty } from '@nestjs/swagger';
import { AmountCents, IsCalendarDate, Text } from '../../shared/validation';

export class CreateFundingSourceDto {
  @ApiProperty({ maxLength: 200 })
  @Text(200)
  label: string;

  @ApiProperty({ minimum: 1, description: 'Amount obtained, in cents' })
  @AmountCents()
  amountCents: number;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  obtainedOn: string;

  @ApiProperty({ maxLength: 200 })
  @Text(200)
  reference: string;
}
