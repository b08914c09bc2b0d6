import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import {
  ListPayoutBatchesQueryDto,
  ListPayoutsQueryDto,
  PayoutBatchDto,
  PayoutBatchPageDto,
  PayoutDto,
  PayoutPageDto,
  WaitingPageDto,
} from './dto/payout.dto';
import { PayoutBatchesService } from './payout-batches.service';
import { PayoutsService } from './payouts.service';

@ApiTags('settlement')
@ApiBearerAuth()
@Controller('v1')
export class PayoutsController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly batches: PayoutBatchesService,
  ) {}

  @Get('payouts')
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Payouts, newest first: the operator sees all (filter by site, batch, status), a site its own' })
  @ApiOkResponse({ type: PayoutPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListPayoutsQueryDto) {
    return this.payouts.list(principal, query);
  }

  @Get('payouts/waiting')
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary:
      'Unpaid statements per site and why they wait (no verified bank account, site suspended, below the minimum, bank details refused)',
  })
  @ApiOkResponse({ type: WaitingPageDto })
  @ApiProblems(401, 403)
  waiting(@CurrentPrincipal() principal: Principal) {
    return this.payouts.waiting(principal);
  }

  @Get('payouts/:id')
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'One payout: amount, status, statements paid, bank reason of a rejection' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PayoutDto })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.payouts.get(principal, id);
  }

  @Post('payout-batches')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary: 'Prepare a payout batch now from every site that may be paid (outside a settlement run); a second user releases it',
  })
  @ApiCreatedResponse({ type: PayoutBatchDto })
  @ApiProblems(401, 403, 409)
  create(@CurrentPrincipal() principal: Principal) {
    return this.batches.create(principal);
  }

  @Get('payout-batches')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Payout batches, newest first' })
  @ApiOkResponse({ type: PayoutBatchPageDto })
  @ApiProblems(400, 401, 403)
  listBatches(@Query() query: ListPayoutBatchesQueryDto) {
    return this.batches.list(query);
  }

  @Get('payout-batches/:id')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'One payout batch: status, payments, control sum, file hash' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PayoutBatchDto })
  @ApiProblems(400, 401, 403, 404)
  getBatch(@Param('id', ParseIdPipe) id: string) {
    return this.batches.get(id);
  }

  @Post('payout-batches/:id/release')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary: 'Release a batch for download (four eyes)',
    description:
      'The releasing user must not be the one who prepared the batch (403 FOUR_EYES). A batch prepared by the schedule is first ' +
      'approved by one user, then released by another. Releasing a released batch returns it unchanged.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PayoutBatchDto })
  @ApiProblems(400, 401, 403, 404, 409)
  release(@CurrentPrincipal() principal: Principal, @Param('id', ParseIdPipe) id: string, @RequestId() requestId?: string) {
    return this.batches.release(principal, id, requestId);
  }

  @Get('payout-batches/:id/sepa')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'The released batch’s ISO 20022 pain.001.001.09 file (409 BATCH_NOT_RELEASED before release); audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'pain.001.001.09 XML', schema: { type: 'string' } })
  @ApiProblems(400, 401, 403, 404, 409)
  sepa(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    return this.file(principal, id, 'sepa', reply, requestId);
  }

  @Get('payout-batches/:id/csv')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'The released batch as CSV (semicolons, UTF-8 with BOM); audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV', schema: { type: 'string' } })
  @ApiProblems(400, 401, 403, 404, 409)
  csv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    return this.file(principal, id, 'csv', reply, requestId);
  }

  private async file(principal: Principal, id: string, format: 'sepa' | 'csv', reply: FastifyReply, requestId?: string) {
    const file = await this.batches.download(principal, id, format, requestId);
    // Set once the file is found, so a refusal keeps its problem+json content type.
    void reply.header('content-type', file.contentType);
    void reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    return file.body;
  }
}
