import { ApiProperty } from '@nestjs/swagger';

export class GrantDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  programmeId: string;

  @ApiProperty({ format: 'uuid' })
  policyId: string;

  @ApiProperty({ format: 'uuid' })
  funderId: string;

  @ApiProperty({ description: 'Current amount attributed, in cents: the latest amendment’s, else the initial one' })
  amountCents: number;

  @ApiProperty({ format: 'date', description: 'Current convention end date: the latest amendment’s, else the initial one' })
  endDate: string;

  @ApiProperty({ description: 'Amount as first awarded, in cents' })
  initialAmountCents: number;

  @ApiProperty({ format: 'date' })
  initialEndDate: string;

  @ApiProperty({ minimum: 0, maximum: 10000 })
  cofinancingRateBp: number;

  @ApiProperty({ format: 'date' })
  awardedOn: string;

  @ApiProperty()
  amendmentCount: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
