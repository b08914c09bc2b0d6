import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { ApiTableReport, tableReportResponse } from '../exports/pdf-response';
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
  @ApiTableReport(MoneyReportDto, 'a chart')
  @ApiProblems(400, 401, 403)
  async report(
    @CurrentPrincipal() principal: Principal,
    @Query() query: MoneyQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.money.report(query.asOf, query.groupBy);
    return tableReportResponse(
      reply,
      this.exports,
      principal,
      formatOf(query.format, accept),
      { kind: 'money', report },
      `argent-${report.asOf}`,
      () => moneyCsv(report),
    );
  }
}
