import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, parisDate } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal } from '@sillage/identity';
import { RedemptionViews } from './redemption-views';
import { ListRedemptionsQueryDto } from './dto/redemption.dto';
import { RedemptionTotalsDto } from './dto/redemption-views.dto';

/**
 * The CSV export and the totals of redemptions. Registered before RedemptionsController so that these
 * fixed paths are never read as `/redemptions/:id` (the router also prefers static segments).
 */
@ApiTags('redemption')
@ApiBearerAuth()
@Controller('v1/redemptions')
export class RedemptionViewsController {
  constructor(private readonly views: RedemptionViews) {}

  @Get('export.csv')
  @Allow({ kinds: ['operator', 'funder', 'site'], apiKeys: true })
  @ApiOperation({
    summary:
      'Redemptions as CSV (semicolon-separated, UTF-8 with BOM, amounts in euros with a decimal comma), with the list’s filters and scope',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file (attachment)' })
  @ApiProblems(400, 401)
  async exportCsv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListRedemptionsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const stream = await this.views.exportCsv(principal, query);
    void reply.header('Content-Type', 'text/csv; charset=utf-8');
    void reply.header('Content-Disposition', `attachment; filename="redemptions-${parisDate(new Date())}.csv"`);
    void reply.header('Cache-Control', 'private, no-store');
    return stream;
  }

  @Get('totals')
  @Allow({ kinds: ['operator', 'funder', 'site'], apiKeys: true })
  @ApiOperation({
    summary: 'Redemption totals (count, vouchers, amount) overall, per service category and per order; undone ones excluded',
  })
  @ApiOkResponse({ type: RedemptionTotalsDto })
  @ApiProblems(400, 401)
  totals(@CurrentPrincipal() principal: Principal, @Query() query: ListRedemptionsQueryDto): Promise<RedemptionTotalsDto> {
    return this.views.totals(principal, query);
  }
}
