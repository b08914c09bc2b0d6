import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate } from '@sillage/funding';
import { IsIn, IsOptional, IsUUID } from 'class-validator';

export const PEOPLE_STEPS = ['distributed', 'started'] as const;
export const PEOPLE_DIMENSIONS = ['ageBand', 'publicCategory', 'commune'] as const;
export type PeopleDimension = (typeof PEOPLE_DIMENSIONS)[number];

export class PeopleQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Report date D (Europe/Paris); default today' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({
    enum: PEOPLE_STEPS,
    default: 'distributed',
    description: 'People handed a booklet, or whose booklet was used (started)',
  })
  @IsOptional()
  @IsIn(PEOPLE_STEPS)
  step?: (typeof PEOPLE_STEPS)[number];

  @ApiPropertyOptional({ enum: PEOPLE_DIMENSIONS, default: 'ageBand' })
  @IsOptional()
  @IsIn(PEOPLE_DIMENSIONS)
  rows?: PeopleDimension;

  @ApiPropertyOptional({ enum: PEOPLE_DIMENSIONS, description: 'A second dimension (columns), other than rows' })
  @IsOptional()
  @IsIn(PEOPLE_DIMENSIONS)
  cols?: PeopleDimension;

  @ApiPropertyOptional({ format: 'uuid', description: 'The funder (operator only; a funder always gets its own)' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;
}

export class PeopleReportDto {
  @ApiProperty({ format: 'date' })
  asOf: string;
  @ApiProperty({ enum: PEOPLE_STEPS })
  step: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  funderId: string | null;
  @ApiProperty({ description: 'Cells under it (1 to threshold − 1 people) are suppressed, and enough others that none can be worked out' })
  threshold: number;
  @ApiProperty({ enum: PEOPLE_DIMENSIONS })
  rowDimension: PeopleDimension;
  @ApiProperty({ enum: PEOPLE_DIMENSIONS, nullable: true, type: String })
  colDimension: PeopleDimension | null;
  @ApiProperty({ type: [String] })
  rows: string[];
  @ApiProperty({ type: [String], nullable: true })
  cols: string[] | null;
  @ApiProperty({
    description: 'People per cell; null where suppressed',
    type: 'array',
    items: { type: 'array', items: { type: 'integer', nullable: true } },
  })
  cells: (number | null)[][];
  @ApiProperty({ type: [Number], nullable: true, description: 'Row totals (two dimensions); null where suppressed' })
  rowTotals: (number | null)[] | null;
  @ApiProperty({ type: [Number], nullable: true, description: 'Column totals (two dimensions)' })
  colTotals: (number | null)[] | null;
  @ApiProperty({ nullable: true, type: Number })
  total: number | null;
  @ApiProperty({ description: 'How many numbers were suppressed' })
  suppressed: number;
}
