import { applyDecorators, Type } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { ReportExportDto } from './dto/report-export.dto';
import type { ReportFormat } from '../transparency/dto/transparency-query.dto';
import { PdfReport, renderReportPdf, ReportExports } from './report-exports.service';

/**
 * Answers a report asked for as PDF: drawn in the request when its tables are small (200, the PDF),
 * else queued for the worker (202, the export to follow, `Location` its status).
 */
export async function pdfResponse(
  reply: FastifyReply,
  exports: ReportExports,
  principal: Principal,
  p: PdfReport,
  filename: string,
): Promise<Buffer | ReportExportDto> {
  if (exports.inline(p)) {
    void reply.header('content-type', 'application/pdf');
    void reply.header('content-disposition', `attachment; filename="${filename}"`);
    return renderReportPdf(p);
  }
  const queued = await exports.request(principal, p, filename);
  void reply.status(202);
  void reply.header('location', `/v1/reports/exports/${queued.id}`);
  return queued;
}

/**
 * A table report (funnel, money) in the format asked for: the report itself as JSON, CSV as a download
 * named `basename.csv`, or its PDF (`pdfResponse`, `basename.pdf`).
 */
export function tableReportResponse(
  reply: FastifyReply,
  exports: ReportExports,
  principal: Principal,
  format: ReportFormat,
  p: PdfReport,
  basename: string,
  csv: () => string,
): PdfReport['report'] | Promise<Buffer | ReportExportDto> | string {
  if (format === 'json') return p.report;
  if (format === 'pdf') return pdfResponse(reply, exports, principal, p, `${basename}.pdf`);
  void reply.header('content-type', 'text/csv; charset=utf-8');
  void reply.header('content-disposition', `attachment; filename="${basename}.csv"`);
  return csv();
}

/** What a table report's route produces, for the OpenAPI spec: JSON, CSV or PDF, or 202 and an export. */
export const ApiTableReport = (type: Type, pdf: string) =>
  applyDecorators(
    ApiProduces('application/json', 'text/csv', 'application/pdf'),
    ApiOkResponse({ type, description: `JSON, CSV, or a PDF with ${pdf} and a summary in French` }),
    ApiAcceptedResponse({
      type: ReportExportDto,
      description: 'A PDF too large to draw in the request: the worker renders it (Location: its status)',
    }),
  );
