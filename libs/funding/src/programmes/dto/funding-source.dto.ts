import { ApiProperty } from '@nestjs/swagger';

export class FundingSourceDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  programmeId: string;

  @ApiProperty()
  label: string;

  @ApiProperty()
  amountCents: number;

  @ApiProperty({ format: 'date' })
  obtainedOn: string;

  @ApiProperty()
  reference: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
