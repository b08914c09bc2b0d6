import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate } from '@sillage/funding';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { REPORT_FORMATS, ReportFormat } from '../../transparency/dto/transparency-query.dto';
import { ReportCheckpointDto } from '../../transparency/dto/transparency.dto';
import { FUNNEL_GROUPS, FunnelGroup } from '../funnel-sql';

export const FUNNEL_STEPS = [
  'issued',
  'active',
  'allocated',
  'distributed',
  'redeemed',
  'settled',
  'paid',
  'expired',
  'restituted',
] as const;
export type FunnelStepName = (typeof FUNNEL_STEPS)[number];

export class FunnelQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Report date D (Europe/Paris); default today' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ enum: Object.keys(FUNNEL_GROUPS), default: 'funder' })
  @IsOptional()
  @IsIn(Object.keys(FUNNEL_GROUPS))
  groupBy?: FunnelGroup;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this funder’s orders (a funder always gets its own)' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this order' })
  @IsOptional()
  @IsUUID('all')
  orderId?: string;

  @ApiPropertyOptional({
    enum: REPORT_FORMATS,
    description: `Overrides the Accept header (json by default); pdf: drawn in the request up to REPORT_PDF_INLINE_ROWS table rows, else 202 and an export the worker renders`,
  })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class StepFiguresDto {
  @ApiProperty()
  vouchers: number;
  @ApiProperty({ description: 'Face value, cents (restituted: the amount credited back)' })
  valueCents: number;
}

export class FunnelRowDto {
  @ApiProperty({ description: 'The group: a funder or order id, or a period (YYYY, YYYY-Qn, YYYY-MM); "total" for the whole scope' })
  key: string;
  @ApiProperty({ description: 'The funder’s name when grouped by funder' })
  label: string;
  @ApiProperty({
    description: 'Per step (issued, active, allocated, distributed, redeemed, settled, paid, expired, restituted): vouchers and value',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/StepFiguresDto' },
  })
  steps: Record<FunnelStepName, StepFiguresDto>;
  @ApiProperty({ description: 'Booklets with at least one redeemed voucher' })
  startedBooklets: number;
  @ApiProperty({
    description:
      'Voucher rates between steps, 4 decimals, null on zero: active/issued, allocated/active, distributed/allocated, redeemed/distributed, settled/redeemed, paid/settled, expired/active, restituted/expired',
    type: 'object',
    additionalProperties: { type: 'number', nullable: true },
  })
  rates: Record<string, number | null>;
}

export class TimeToFirstUseDto {
  @ApiProperty({ description: 'Booklets handed over and used by the date' })
  booklets: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Days from hand-over to first redemption, percentile_disc(0.5)' })
  medianDays: number | null;
  @ApiProperty({ nullable: true, type: Number })
  p90Days: number | null;
}

export class FunnelReportDto {
  @ApiProperty({ format: 'date' })
  asOf: string;
  @ApiProperty({ enum: Object.keys(FUNNEL_GROUPS) })
  groupBy: FunnelGroup;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  funderId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  orderId: string | null;
  @ApiProperty({ type: ReportCheckpointDto, nullable: true })
  checkpoint: ReportCheckpointDto | null;
  @ApiProperty({ type: FunnelRowDto })
  total: FunnelRowDto;
  @ApiProperty({ type: [FunnelRowDto] })
  groups: FunnelRowDto[];
  @ApiProperty({ type: TimeToFirstUseDto })
  timeToFirstUse: TimeToFirstUseDto;
}
