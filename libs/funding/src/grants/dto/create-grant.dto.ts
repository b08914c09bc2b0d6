import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { AmountCents, IsCalendarDate, RateBp } from '../../shared/validation';

export class CreateGrantDto {
  @ApiProperty({ format: 'uuid', description: 'An organisation of kind funder' })
  @IsUUID('all')
  funderId: string;

  @ApiProperty({ minimum: 1, description: 'Amount attributed, in cents' })
  @AmountCents()
  amountCents: number;

  @ApiProperty({ minimum: 0, maximum: 10000, description: 'Co-financing rate in basis points, at most the programme’s maximum' })
  @RateBp()
  cofinancingRateBp: number;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  awardedOn: string;

  @ApiProperty({ format: 'date', description: 'Convention end date, not before awardedOn' })
  @IsCalendarDate()
  endDate: string;
}
