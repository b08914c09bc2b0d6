import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { CancelOrderDto } from './dto/cancel-order.dto';
import { CreateOrderDto } from './dto/create-order.dto';
import { ExtendValidityDto } from './dto/extend-validity.dto';
import { ListOrdersQueryDto } from './dto/list-orders.query.dto';
import { OrderDto, OrderPageDto, PaymentListDto, PaymentResultDto, ValidityExtensionDto } from './dto/order.dto';
import { RecordPaymentDto } from './dto/record-payment.dto';
import { OrdersService } from './orders.service';

const ORDER_ID = new ParseIdPipe('order');

@ApiTags('purchase orders')
@ApiBearerAuth()
@Controller('v1/purchase-orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({
    summary:
      'Create a purchase order (draft), or record a historical order from a previous operator (`historical: true`: past dates, figures only)',
  })
  @ApiCreatedResponse({ type: OrderDto })
  @ApiProblems(400, 401, 403, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOrderDto, @RequestId() requestId?: string) {
    return this.orders.create(principal, body, requestId);
  }

  @Get()
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'Purchase orders: all for the operator, its own for a funder; filters by funder, status, historical' })
  @ApiOkResponse({ type: OrderPageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrdersQueryDto) {
    return this.orders.list(principal, query);
  }

  @Get(':id')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'A purchase order, with its issuance progress once confirmed' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OrderDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', ORDER_ID) id: string) {
    return this.orders.get(principal, id);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({ summary: 'Confirm a draft order: issues its invoice and queues the issuance of its booklets and vouchers (ISSUED)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OrderDto })
  @ApiProblems(400, 401, 403, 404, 409)
  confirm(@CurrentPrincipal() principal: Principal, @Param('id', ORDER_ID) id: string, @RequestId() requestId?: string) {
    return this.orders.confirm(principal, id, requestId);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({ summary: 'Cancel a draft, or a confirmed unpaid order: its vouchers become VOID and its invoice is credited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OrderDto })
  @ApiProblems(400, 401, 403, 404, 409)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ORDER_ID) id: string,
    @Body() body: CancelOrderDto,
    @RequestId() requestId?: string,
  ) {
    return this.orders.cancel(principal, id, body, requestId);
  }

  @Post(':id/payments')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary:
      'Record a payment received (operator finance). Idempotent on the reference; the order becomes paid, and its vouchers redeemable, when fully paid',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PaymentResultDto })
  @ApiProblems(400, 401, 403, 404, 409)
  pay(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ORDER_ID) id: string,
    @Body() body: RecordPaymentDto,
    @RequestId() requestId?: string,
  ) {
    return this.orders.recordPayment(principal, id, body, requestId);
  }

  @Get(':id/payments')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'Payments recorded for the order, oldest first' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PaymentListDto })
  @ApiProblems(401, 404)
  payments(@CurrentPrincipal() principal: Principal, @Param('id', ORDER_ID) id: string) {
    return this.orders.payments(principal, id);
  }

  @Post(':id/extend-validity')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({ summary: 'Extend the validity of the whole order (funder admin, operator), with a reason; printed QR tokens stay valid' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ValidityExtensionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  extend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ORDER_ID) id: string,
    @Body() body: ExtendValidityDto,
    @RequestId() requestId?: string,
  ) {
    return this.orders.extendValidity(principal, id, body, requestId);
  }
}
