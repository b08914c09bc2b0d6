import type { Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { ReportExportDto } from './dto/report-export.dto';
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
