import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { BookletsService } from './booklets.service';
import { BlockDto, BookletDetailDto, BookletPageDto, ListBookletsQueryDto, ReplacementDto } from './dto/booklet.dto';

const BOOKLET_ID = new ParseIdPipe('booklet');

@ApiTags('issuance')
@ApiBearerAuth()
@Controller()
export class BookletsController {
  constructor(private readonly booklets: BookletsService) {}

  @Get('v1/purchase-orders/:id/booklets')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'An order’s booklets in serial order; filters by state and blocked' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BookletPageDto })
  @ApiProblems(400, 401, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('order')) orderId: string,
    @Query() query: ListBookletsQueryDto,
  ) {
    return this.booklets.listForOrder(principal, orderId, query);
  }

  @Get('v1/booklets/:id')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'A booklet with each voucher’s serial and status (codes are never returned)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BookletDetailDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', BOOKLET_ID) id: string) {
    return this.booklets.get(principal, id);
  }

  @Post('v1/booklets/:id/block')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'agent'] })
  @ApiOperation({
    summary: 'Block a booklet (lost, stolen…): its unredeemed vouchers become BLOCKED until the operator unblocks or replaces it',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BookletDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  block(
    @CurrentPrincipal() principal: Principal,
    @Param('id', BOOKLET_ID) id: string,
    @Body() body: BlockDto,
    @RequestId() requestId?: string,
  ) {
    return this.booklets.block(principal, id, body, requestId);
  }

  @Post('v1/booklets/:id/unblock')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin', 'agent'] })
  @ApiOperation({ summary: 'Unblock a booklet (operator only): its vouchers are ACTIVE again (ISSUED if the order is unpaid)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BookletDetailDto })
  @ApiProblems(401, 403, 404, 409)
  unblock(@CurrentPrincipal() principal: Principal, @Param('id', BOOKLET_ID) id: string, @RequestId() requestId?: string) {
    return this.booklets.unblock(principal, id, requestId);
  }

  @Post('v1/booklets/:id/replace')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({
    summary:
      'Replace a blocked booklet: its unredeemed vouchers become REPLACED (final) and a new booklet of the same order carries exactly their value',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReplacementDto })
  @ApiProblems(401, 403, 404, 409)
  replace(@CurrentPrincipal() principal: Principal, @Param('id', BOOKLET_ID) id: string, @RequestId() requestId?: string) {
    return this.booklets.replace(principal, id, requestId);
  }

  @Post('v1/vouchers/:serial/block')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'agent'] })
  @ApiOperation({ summary: 'Block one voucher by its serial (e.g. SLG-2026-000123-07); returns its booklet' })
  @ApiParam({ name: 'serial', example: 'SLG-2026-000123-07' })
  @ApiOkResponse({ type: BookletDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  blockVoucher(
    @CurrentPrincipal() principal: Principal,
    @Param('serial') serial: string,
    @Body() body: BlockDto,
    @RequestId() requestId?: string,
  ) {
    return this.booklets.blockVoucher(principal, serial, body, requestId);
  }

  @Post('v1/vouchers/:serial/unblock')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin', 'agent'] })
  @ApiOperation({ summary: 'Unblock one voucher (operator only)' })
  @ApiParam({ name: 'serial', example: 'SLG-2026-000123-07' })
  @ApiOkResponse({ type: BookletDetailDto })
  @ApiProblems(401, 403, 404, 409)
  unblockVoucher(@CurrentPrincipal() principal: Principal, @Param('serial') serial: string, @RequestId() requestId?: string) {
    return this.booklets.blockVoucher(principal, serial, null, requestId);
  }
}
