import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { RedemptionError } from '../redemption.errors';
import { RedemptionsService } from './redemptions.service';
import { RedemptionReader, toRedemptionDto } from './redemption-reader';
import { RedemptionUndo } from './redemption-undo';
import { VoucherCheck } from './voucher-check';
import {
  CheckResultDto,
  CheckVoucherDto,
  CreateRedemptionDto,
  ListRedemptionsQueryDto,
  RedemptionDto,
  RedemptionPageDto,
  UndoRedemptionDto,
} from './dto/redemption.dto';
import { TransactionRunner } from '@sillage/db';
// Registers the hand-written check of the scanner's body with the validation pipe (see FastBodyCheck).
import './dto/create-redemption.fast-check';

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;

export function idempotencyKey(raw: string | string[] | undefined): string {
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new RedemptionError(
      'IDEMPOTENCY_KEY_REQUIRED',
      'an Idempotency-Key header is required: 8-100 characters of A-Z a-z 0-9 . _ : - , new for each scan and kept for its retries',
      { field: 'Idempotency-Key' },
    );
  }
  return key;
}

@ApiTags('redemption')
@ApiBearerAuth()
@Controller('v1')
export class RedemptionsController {
  constructor(
    private readonly redemptions: RedemptionsService,
    private readonly check: VoucherCheck,
    private readonly undoer: RedemptionUndo,
    private readonly reader: RedemptionReader,
    private readonly tx: TransactionRunner,
  ) {}

  @Post('vouchers/check')
  @HttpCode(200)
  @Allow({ kinds: ['site'], roles: ['admin', 'agent'], apiKeys: true })
  @ApiOperation({ summary: 'Can this voucher (code or QR token) be redeemed here now? Answers with a reason code; redeems nothing' })
  @ApiOkResponse({ type: CheckResultDto })
  @ApiProblems(400, 401, 403, 429)
  checkVoucher(@CurrentPrincipal() principal: Principal, @Body() body: CheckVoucherDto) {
    return this.check.check(principal, body);
  }

  @Post('redemptions')
  @Allow({ kinds: ['site'], roles: ['admin', 'agent'], apiKeys: true })
  @ApiOperation({
    summary: 'Redeem one or several vouchers of one booklet for one service: all or nothing, exactly once (Idempotency-Key required)',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'New for each scan, kept for its retries (8-100 characters)' })
  @ApiCreatedResponse({ type: RedemptionDto })
  @ApiProblems(400, 401, 403, 404, 409, 410, 422, 429)
  redeem(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateRedemptionDto,
    @Headers('idempotency-key') key: string | undefined,
    @RequestId() requestId?: string,
  ) {
    return this.redemptions.redeem(principal, body, idempotencyKey(key), 'online', requestId);
  }

  @Get('redemptions')
  @Allow({ kinds: ['operator', 'funder', 'site'], apiKeys: true })
  @ApiOperation({
    summary: 'Redemptions: a site’s own, a funder’s orders’, all for the operator; filters by period, category, order, site',
  })
  @ApiOkResponse({ type: RedemptionPageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListRedemptionsQueryDto) {
    return this.reader.list(principal, query);
  }

  @Get('redemptions/:id')
  @Allow({ kinds: ['operator', 'funder', 'site'], apiKeys: true })
  @ApiOperation({ summary: 'One redemption with its vouchers' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RedemptionDto })
  @ApiProblems(400, 401, 404)
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('redemption')) id: string): Promise<RedemptionDto> {
    const r = await this.reader.row(this.tx.manager, id);
    if (!r || !this.reader.visible(principal, r)) throw new RedemptionError('NOT_FOUND', 'redemption not found');
    return toRedemptionDto(r);
  }

  @Post('redemptions/:id/undo')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'agent'], apiKeys: true })
  @ApiOperation({
    summary: 'Undo a whole redemption within 24 h of its recording, while it is in no statement; its vouchers become usable again',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RedemptionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  undo(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('redemption')) id: string,
    @Body() body: UndoRedemptionDto,
    @RequestId() requestId?: string,
  ) {
    return this.undoer.undo(principal, id, body, requestId);
  }
}
