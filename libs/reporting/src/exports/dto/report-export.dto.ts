import { ApiProperty } from '@nestjs/swagger';
import type { ReportExportKind, ReportExportStatus } from '../report-export.entity';

export class ReportExportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['funnel', 'money'] }) kind: ReportExportKind;
  @ApiProperty({ enum: ['pending', 'rendering', 'ready', 'failed'] }) status: ReportExportStatus;
  @ApiProperty({ description: 'Table rows drawn so far' }) rowsDone: number;
  @ApiProperty({ description: 'Table rows to draw' }) rowsTotal: number;
  @ApiProperty({ description: 'rowsDone / rowsTotal, 0..1 (1 when ready)' }) progress: number;
  @ApiProperty({ description: 'The file name offered on download' }) filename: string;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the file, hex' }) sha256: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Where to download the PDF once ready' }) downloadUrl: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why rendering failed (it is retried)' }) error: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readyAt: string | null;
}

export class ReportExportListDto {
  @ApiProperty({ type: [ReportExportDto] }) items: ReportExportDto[];
}
