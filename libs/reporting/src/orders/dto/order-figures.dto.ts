import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate } from '@sillage/funding';
import { IsOptional, IsUUID } from 'class-validator';
import { ReportCheckpointDto } from '../../transparency/dto/transparency.dto';

export class OrderFiguresQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Report date D (Europe/Paris); default today' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The funder (operator only; a funder always gets its own orders)' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;
}

export class OrderFiguresDto {
  @ApiProperty({ format: 'uuid' })
  orderId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  grantId: string | null;
  @ApiProperty()
  historical: boolean;
  @ApiProperty({ description: 'Booklets × vouchers per booklet × face value, fees excluded, cents' })
  faceValueCents: number;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Paid in full on, when on or before the report date' })
  paidOn: string | null;
  @ApiProperty({ description: 'Credit notes issued on or before the report date, cents' })
  creditedCents: number;
  @ApiProperty({ description: 'face value − credited once paid by the report date, else 0' })
  executedCents: number;
}

export class OrderFiguresReportDto {
  @ApiProperty({ format: 'uuid' })
  funderId: string;
  @ApiProperty({ format: 'date' })
  asOf: string;
  @ApiProperty({ type: ReportCheckpointDto, nullable: true })
  checkpoint: ReportCheckpointDto | null;
  @ApiProperty({ type: [OrderFiguresDto] })
  orders: OrderFiguresDto[];
}
