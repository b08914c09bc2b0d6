import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { ApiTableReport, tableReportResponse } from '../exports/pdf-response';
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
  @ApiTableReport(FunnelReportDto, 'charts')
  @ApiProblems(400, 401, 403, 404)
  async report(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FunnelQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.funnel.report(principal, query);
    const basename = `entonnoir-${report.groupBy}-${report.asOf}`;
    return tableReportResponse(reply, this.exports, principal, formatOf(query.format, accept), { kind: 'funnel', report }, basename, () =>
      funnelCsv(report),
    );
  }
}
