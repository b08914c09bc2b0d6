import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { ReportExportDto } from '../exports/dto/report-export.dto';
import { pdfResponse } from '../exports/pdf-response';
import { ReportExports } from '../exports/report-exports.service';
import { formatOf } from '../transparency/transparency.controller';
import { FunnelQueryDto, FunnelReportDto, StepFiguresDto } from './dto/funnel.dto';
import { funnelCsv, FunnelService } from './funnel.service';

@ApiTags('reports')
@ApiBearerAuth()
// The steps' figures are referenced from a map (`additionalProperties`): declared here so the spec resolves.
@ApiExtraModels(StepFiguresDto)
@Controller('v1/reports/funnel')
export class FunnelController {
  constructor(
    private readonly funnel: FunnelService,
    private readonly exports: ReportExports,
  ) {}

  @Get()
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary:
      'The voucher funnel as of a date — issued, active, allocated, distributed, redeemed, settled, paid, expired, restituted, booklets started, rates, time to first use — per policy, programme, funder, order, distributor, period, or where the service happened',
  })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({ type: FunnelReportDto, description: 'JSON, CSV, or a PDF with charts and a summary in French' })
  @ApiAcceptedResponse({
    type: ReportExportDto,
    description: 'A PDF too large to draw in the request: the worker renders it (Location: its status)',
  })
  @ApiProblems(400, 401, 403, 404)
  async report(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FunnelQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.funnel.report(principal, query);
    const format = formatOf(query.format, accept);
    if (format === 'json') return report;
    if (format === 'pdf')
      return pdfResponse(reply, this.exports, principal, { kind: 'funnel', report }, `entonnoir-${report.groupBy}-${report.asOf}.pdf`);
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="entonnoir-${report.groupBy}-${report.asOf}.csv"`);
    return funnelCsv(report);
  }
}
