import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ReportCheckpointDto {
  @ApiProperty({ description: 'Leaves of the audit log the figures are computed from' })
  treeSize: number;
  @ApiProperty({ description: 'RFC 6962 root hash of those leaves, base64' })
  root: string;
  @ApiProperty({ format: 'date-time' })
  issuedAt: string;
  @ApiProperty()
  keyId: string;
  @ApiProperty({ description: 'ES256 signature of the checkpoint (IEEE P1363), base64' })
  signature: string;
}

export class FundingTotalsDto {
  @ApiProperty({ description: 'Σ funding sources obtained on or before the report date, cents' })
  obtainedCents: number;
  @ApiProperty({ description: 'Σ grants awarded on or before the date, at their amount in force on it (amendments included), cents' })
  attributedCents: number;
  @ApiProperty({
    description: 'Face value of the grants’ orders paid by the date, less their credit notes issued by then (fees excluded), cents',
  })
  executedCents: number;
  @ApiProperty({ description: 'Σ per grant of executed × its co-financing rate, rounded half-up to the cent' })
  cofinancedCents: number;
  @ApiProperty({ nullable: true, type: Number, description: '1 − attributed ÷ obtained, 4 decimals; null when nothing was obtained' })
  retentionRate: number | null;
}

export class GrantFiguresDto {
  @ApiProperty({ format: 'uuid' })
  grantId: string;
  @ApiProperty({ format: 'uuid' })
  funderId: string;
  @ApiProperty()
  funderName: string;
  @ApiProperty()
  cofinancingRateBp: number;
  @ApiProperty()
  attributedCents: number;
  @ApiProperty()
  executedCents: number;
  @ApiProperty()
  cofinancedCents: number;
}

export class SpanDto {
  @ApiProperty()
  days: number;
  @ApiProperty({ description: 'Whole calendar months (floor)' })
  months: number;
}

/** percentile_disc(0.5) and (0.9) of a latency, in days and in whole calendar months. */
export class LatencySpreadDto {
  @ApiProperty({ nullable: true, type: Number, description: 'percentile_disc(0.5) of the days' })
  medianDays: number | null;
  @ApiProperty({ nullable: true, type: Number })
  p90Days: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'percentile_disc(0.5) of the whole months' })
  medianMonths: number | null;
  @ApiProperty({ nullable: true, type: Number })
  p90Months: number | null;
}

export class PercentilesDto extends LatencySpreadDto {
  @ApiProperty({ description: 'Orders paid by the date that have a live redemption by then' })
  orders: number;
}

export class RecordedToPaidDto extends LatencySpreadDto {
  @ApiProperty({ description: "Redemptions whose statement's payout the bank booked by the date (and did not give back)" })
  redemptions: number;
}

export class LatenciesDto {
  @ApiProperty({ type: SpanDto, nullable: true, description: 'Laureates published → first contract of its funders published' })
  laureatesToFirstContract: SpanDto | null;
  @ApiProperty({ type: SpanDto, nullable: true, description: 'Laureates published → last contract published' })
  laureatesToLastContract: SpanDto | null;
  @ApiProperty({ type: SpanDto, nullable: true, description: 'First contract notified → first purchase order' })
  firstContractToFirstOrder: SpanDto | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Mean over funders of (their first contract notified → their first order), days, 4 decimals',
  })
  meanFunderContractToOrderDays: number | null;
  @ApiProperty({ type: SpanDto, nullable: true, description: 'First → last purchase order' })
  firstToLastOrder: SpanDto | null;
  @ApiProperty({ type: PercentilesDto, description: 'Order paid → its first redemption' })
  paidToFirstRedemption: PercentilesDto;
  @ApiProperty({
    type: RecordedToPaidDto,
    description: 'Redemption recorded (Paris day) → the payout that paid its statement booked by the bank, per redemption',
  })
  recordedToPayoutPaid: RecordedToPaidDto;
}

export class ProgrammeTransparencyDto extends FundingTotalsDto {
  @ApiProperty({ format: 'uuid' })
  programmeId: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ format: 'uuid' })
  policyId: string;
  @ApiProperty({ format: 'date', description: 'The report date D (Europe/Paris): figures are as of the end of that day' })
  asOf: string;
  @ApiProperty({ type: ReportCheckpointDto, nullable: true, description: 'The signed checkpoint the figures are exactly as of' })
  checkpoint: ReportCheckpointDto | null;
  @ApiProperty({ type: [GrantFiguresDto] })
  grants: GrantFiguresDto[];
  @ApiProperty({ type: LatenciesDto })
  latencies: LatenciesDto;
}

export class UseOfAmountDto {
  @ApiProperty({ description: 'The amount compared with, cents' })
  amountCents: number;
  @ApiProperty({ nullable: true, type: Number, description: 'co-financed ÷ amount, 4 decimals' })
  useRate: number | null;
  @ApiProperty({ description: 'amount − co-financed, cents' })
  gapCents: number;
  @ApiProperty({ nullable: true, type: Number, description: 'gap ÷ amount, 4 decimals' })
  gapShare: number | null;
}

export class AnnouncementFiguresDto {
  @ApiProperty({ format: 'uuid' })
  announcementId: string;
  @ApiProperty()
  label: string;
  @ApiProperty({ format: 'date' })
  announcedOn: string;
  @ApiPropertyOptional({ type: UseOfAmountDto, description: 'An announced amount' })
  amount?: UseOfAmountDto;
  @ApiPropertyOptional({ type: UseOfAmountDto, description: 'A range: its minimum' })
  min?: UseOfAmountDto;
  @ApiPropertyOptional({ type: UseOfAmountDto, description: 'A range: its maximum' })
  max?: UseOfAmountDto;
}

export class PolicyProgrammeFiguresDto extends FundingTotalsDto {
  @ApiProperty({ format: 'uuid' })
  programmeId: string;
  @ApiProperty()
  name: string;
}

export class PolicyTransparencyDto extends FundingTotalsDto {
  @ApiProperty({ format: 'uuid' })
  policyId: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ format: 'date' })
  asOf: string;
  @ApiProperty({ type: ReportCheckpointDto, nullable: true })
  checkpoint: ReportCheckpointDto | null;
  @ApiProperty({ type: [AnnouncementFiguresDto] })
  announcements: AnnouncementFiguresDto[];
  @ApiProperty({ type: UseOfAmountDto, description: 'The same comparison against the funding obtained' })
  againstObtained: UseOfAmountDto;
  @ApiProperty({ type: [PolicyProgrammeFiguresDto] })
  programmes: PolicyProgrammeFiguresDto[];
}
