import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate } from '@sillage/funding';
import { IsIn, IsOptional } from 'class-validator';
import { REPORT_FORMATS, ReportFormat } from '../../transparency/dto/transparency-query.dto';
import { ReportCheckpointDto } from '../../transparency/dto/transparency.dto';

export const MONEY_PERIODS = ['month', 'quarter', 'year'] as const;
export type MoneyPeriod = (typeof MONEY_PERIODS)[number];

export class MoneyQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Report date D (Europe/Paris); default today. Money moved on or before D' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ enum: MONEY_PERIODS, default: 'year', description: 'Periods of the breakdown (Paris dates of each movement)' })
  @IsOptional()
  @IsIn(MONEY_PERIODS)
  groupBy?: MoneyPeriod;

  @ApiPropertyOptional({
    enum: REPORT_FORMATS,
    description: `Overrides the Accept header (json by default); pdf: drawn in the request up to REPORT_PDF_INLINE_ROWS table rows, else 202 and an export the worker renders`,
  })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class MoneyFiguresDto {
  @ApiProperty({ description: 'Received from funders (order payments), cents' })
  receivedCents: number;
  @ApiProperty({ description: 'Fees (VAT included) of the orders paid in full, cents' })
  feesCents: number;
  @ApiProperty({ description: 'Credit notes issued (unused face value given back), cents' })
  creditNotesCents: number;
  @ApiProperty({ description: 'Paid to field actors: payouts the bank booked, less those it gave back, cents' })
  paidToFieldActorsCents: number;
}

export class MoneyPeriodDto extends MoneyFiguresDto {
  @ApiProperty({ example: '2026-Q4', description: 'YYYY, YYYY-Qn or YYYY-MM' })
  period: string;
}

export class SiteRevenueDto {
  @ApiProperty({ format: 'uuid' })
  siteId: string;
  @ApiProperty()
  siteName: string;
  @ApiProperty({ example: 2026 })
  year: number;
  @ApiProperty({ description: 'Paid to the site that year (booked payouts less returns), cents' })
  paidCents: number;
}

export class MoneyReportDto extends MoneyFiguresDto {
  @ApiProperty({ format: 'date' })
  asOf: string;
  @ApiProperty({ type: ReportCheckpointDto, nullable: true })
  checkpoint: ReportCheckpointDto | null;
  @ApiProperty({ nullable: true, type: Number, description: 'paid to field actors ÷ received from funders, 4 decimals' })
  fieldShare: number | null;
  @ApiProperty({ enum: MONEY_PERIODS })
  groupBy: MoneyPeriod;
  @ApiProperty({ type: [MoneyPeriodDto] })
  periods: MoneyPeriodDto[];
  @ApiProperty({ type: [SiteRevenueDto], description: 'Revenue per site per year' })
  sites: SiteRevenueDto[];
}
