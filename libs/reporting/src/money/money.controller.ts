import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { ReportExportDto } from '../exports/dto/report-export.dto';
import { pdfResponse } from '../exports/pdf-response';
import { ReportExports } from '../exports/report-exports.service';
import { formatOf } from '../transparency/transparency.controller';
import { MoneyQueryDto, MoneyReportDto } from './dto/money.dto';
import { moneyCsv, MoneyService } from './money.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports/money')
export class MoneyController {
  constructor(
    private readonly money: MoneyService,
    private readonly exports: ReportExports,
  ) {}

  @Get()
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary:
      'Money as of a date: received from funders, fees, credit notes, paid to field actors, field share; per period and per site per year',
  })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({ type: MoneyReportDto, description: 'JSON, CSV, or a PDF with a chart and a summary in French' })
  @ApiAcceptedResponse({
    type: ReportExportDto,
    description: 'A PDF too large to draw in the request: the worker renders it (Location: its status)',
  })
  @ApiProblems(400, 401, 403)
  async report(
    @CurrentPrincipal() principal: Principal,
    @Query() query: MoneyQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.money.report(query.asOf, query.groupBy);
    const format = formatOf(query.format, accept);
    if (format === 'json') return report;
    if (format === 'pdf') return pdfResponse(reply, this.exports, principal, { kind: 'money', report }, `argent-${report.asOf}.pdf`);
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="argent-${report.asOf}.csv"`);
    return moneyCsv(report);
  }
}
