import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate } from '@sillage/funding';
import { IsIn, IsOptional } from 'class-validator';

export const REPORT_FORMATS = ['json', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class TransparencyQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Report date D (Europe/Paris); default today. Figures are as of the end of D' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({
    enum: REPORT_FORMATS,
    description: 'Overrides the Accept header (json by default)',
  })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}
