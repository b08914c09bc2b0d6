import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { DATE_TIME_ISO_OPTIONS, DATE_TIME_WITH_OFFSET } from '@sillage/common';

export class StartSettlementRunDto {
  @ApiProperty({
    example: '2026-11-30T23:00:00Z',
    description:
      'Cutoff date-time with its offset: the run takes every live redemption in no statement recorded at least 24 h before it. ' +
      'Not in the future. One run per cutoff: starting it again returns (or resumes) the same run.',
  })
  @IsISO8601(DATE_TIME_ISO_OPTIONS, { message: 'cutoff must be an ISO 8601 date-time' })
  @Matches(DATE_TIME_WITH_OFFSET, {
    message: 'cutoff must be a date-time with its offset, e.g. 2026-11-30T23:00:00Z',
  })
  cutoff: string;
}

export class SettlementRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) cutoff: string;
  @ApiProperty({ enum: ['running', 'completed'] }) status: string;
  @ApiProperty({ enum: ['operator', 'schedule'] }) trigger: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) startedBy: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The payout batch of this run (none when no site could be paid)',
  })
  batchId: string | null;
  @ApiProperty({ description: 'Statements written (one per site with something to settle)' }) statements: number;
  @ApiProperty({ description: 'Total owed to sites over those statements, in cents' }) amountCents: number;
}

export class SettlementRunPageDto {
  @ApiProperty({ type: [SettlementRunDto] }) items: SettlementRunDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
