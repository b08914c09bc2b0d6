import { ApiProperty } from '@nestjs/swagger';
import { FundingSourceDto } from './funding-source.dto';

export class ProgrammeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  policyId: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ minimum: 0, maximum: 10000 })
  maxCofinancingRateBp: number;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  announcedOn: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  launchedOn: string | null;

  @ApiProperty({ format: 'date', nullable: true, type: String })
  laureatesPublishedOn: string | null;

  @ApiProperty({ type: [FundingSourceDto], description: 'Budget obtained, oldest first' })
  fundingSources: FundingSourceDto[];

  @ApiProperty({ description: 'Sum of the funding sources, in cents' })
  totalObtainedCents: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Sum of the current amounts of its grants, in cents; operator only (null for others: it mixes several funders)',
  })
  totalAttributedCents: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
