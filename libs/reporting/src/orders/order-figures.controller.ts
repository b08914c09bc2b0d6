import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { OrderFiguresQueryDto, OrderFiguresReportDto } from './dto/order-figures.dto';
import { OrderFiguresService } from './order-figures.service';

/** A funder's own order-level figures and their evidence (issue 8); the operator names the funder. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports/orders')
export class OrderFiguresController {
  constructor(private readonly orders: OrderFiguresService) {}

  @Get()
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary: 'What each of a funder’s orders executed by a date (face value paid, less credit notes), with the checkpoint it is as of',
  })
  @ApiOkResponse({ type: OrderFiguresReportDto })
  @ApiProblems(400, 401, 403, 404)
  report(@CurrentPrincipal() principal: Principal, @Query() query: OrderFiguresQueryDto) {
    return this.orders.report(principal, query.asOf, query.funderId);
  }

  @Get('evidence')
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary:
      'Evidence bundle: the same figures with every sealed event they come from, its inclusion proof and the signed checkpoint; ' +
      '`npm run audit:verify-bundle -- FILE` verifies the proofs and recomputes the figures offline',
  })
  @ApiOkResponse({ description: 'A sillage.report.evidence.v1 JSON file' })
  @ApiProblems(400, 401, 403, 404)
  async evidence(
    @CurrentPrincipal() principal: Principal,
    @Query() query: OrderFiguresQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const bundle = await this.orders.evidence(principal, query.asOf, query.funderId);
    void reply.header('content-disposition', `attachment; filename="preuves-commandes-${bundle.asOf}.json"`);
    return bundle;
  }
}
