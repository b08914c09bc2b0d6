import { ApiProperty } from '@nestjs/swagger';

export class ContractDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  funderId: string;

  @ApiProperty()
  reference: string;

  @ApiProperty({ format: 'date' })
  publishedOn: string;

  @ApiProperty({ format: 'date' })
  notifiedOn: string;

  @ApiProperty({ format: 'date' })
  endDate: string;

  @ApiProperty({ minimum: 0, maximum: 10000 })
  upstreamFeeRateBp: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
