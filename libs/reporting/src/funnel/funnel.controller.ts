import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { formatOf } from '../transparency/transparency.controller';
import { FunnelQueryDto, FunnelReportDto } from './dto/funnel.dto';
import { funnelCsv, FunnelService } from './funnel.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports/funnel')
export class FunnelController {
  constructor(private readonly funnel: FunnelService) {}

  @Get()
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary:
      'The voucher funnel as of a date — issued, active, allocated, distributed, redeemed, expired, restituted, booklets started, rates, time to first use — per funder, order or period',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: FunnelReportDto })
  @ApiProblems(400, 401, 403, 404)
  async report(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FunnelQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.funnel.report(principal, query);
    if (formatOf(query.format, accept) !== 'csv') return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="entonnoir-${report.groupBy}-${report.asOf}.csv"`);
    return funnelCsv(report);
  }
}
