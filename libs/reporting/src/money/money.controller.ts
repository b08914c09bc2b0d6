import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { formatOf } from '../transparency/transparency.controller';
import { MoneyQueryDto, MoneyReportDto } from './dto/money.dto';
import { moneyCsv, MoneyService } from './money.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports/money')
export class MoneyController {
  constructor(private readonly money: MoneyService) {}

  @Get()
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary:
      'Money as of a date: received from funders, fees, credit notes, paid to field actors, field share; per period and per site per year',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: MoneyReportDto })
  @ApiProblems(400, 401, 403)
  async report(
    @Query() query: MoneyQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.money.report(query.asOf, query.groupBy);
    if (formatOf(query.format, accept) !== 'csv') return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="argent-${report.asOf}.csv"`);
    return moneyCsv(report);
  }
}
