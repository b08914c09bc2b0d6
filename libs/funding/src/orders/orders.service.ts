import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { addDays, DEFAULT_PAGE_SIZE, Page, parisDate, toPage, uuidFromName } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { IssuanceService } from '@sillage/issuance';
import { Ledger } from '@sillage/ledger';
import { FundingError } from '../funding.errors';
import { InvoiceIssuer } from '../invoices/invoice-issuer';
import { computeInvoiceTotals, orderInvoiceLines } from '../invoices/documents';
import { cents, centsOrNull } from '../shared/validation';
import { CancelOrderDto } from './dto/cancel-order.dto';
import { CreateOrderDto } from './dto/create-order.dto';
import { ExtendValidityDto } from './dto/extend-validity.dto';
import { ListOrdersQueryDto } from './dto/list-orders.query.dto';
import { OrderDto, PaymentDto, PaymentListDto, PaymentResultDto, ValidityExtensionDto } from './dto/order.dto';
import { RecordPaymentDto } from './dto/record-payment.dto';
import { OrderRecord, OrderRepository, PaymentRecord } from './order.repository';

/**
 * Purchase orders: draft → confirmed (invoice issued, issuance queued) → paid (vouchers become
 * redeemable) → closed, or cancelled (confirmed and unpaid: vouchers VOID, credit note). Every change
 * takes the order's row lock, writes its audit event and its ledger transfers in one transaction.
 * Funders see and act on their own orders; the operator on all; anything else is 404.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly ledger: Ledger,
    private readonly invoices: InvoiceIssuer,
    private readonly issuance: IssuanceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, input: CreateOrderDto, requestId?: string): Promise<OrderDto> {
    const operator = isOperator(principal);
    const funderId = (input.funderId ?? (operator ? undefined : principal.organisationId))?.toLowerCase();
    if (!funderId)
      throw new FundingError('FUNDER_INVALID', 'funderId is required when the operator creates an order', { field: 'funderId' });
    if (!operator && funderId !== principal.organisationId) {
      throw new FundingError('FUNDER_INVALID', 'a funder orders for itself: funderId must be your organisation', { field: 'funderId' });
    }
    const historical = input.historical ?? false;
    const today = parisDate(new Date());
    const orderedOn = input.orderedOn ?? today;
    this.checkDates(input, historical, orderedOn, today);
    const voucherCount = input.bookletCount * input.vouchersPerBooklet;
    if (!historical && (input.paidOn !== undefined || input.redeemedCount !== undefined || input.expiredCount !== undefined)) {
      throw new FundingError('HISTORICAL_FIGURES_INVALID', 'paidOn, redeemedCount and expiredCount are for historical orders only', {
        field: input.paidOn !== undefined ? 'paidOn' : input.redeemedCount !== undefined ? 'redeemedCount' : 'expiredCount',
      });
    }
    if ((input.redeemedCount ?? 0) + (input.expiredCount ?? 0) > voucherCount) {
      throw new FundingError(
        'HISTORICAL_FIGURES_INVALID',
        `redeemedCount + expiredCount must not exceed the ${voucherCount} vouchers ordered`,
        {
          field: 'redeemedCount',
        },
      );
    }
    const territory = (input.departmentCodes?.length ?? 0) + (input.communeCodes?.length ?? 0) > 0;
    if (territory && (input.siteOrganisationIds?.length ?? 0) > 0) {
      throw new FundingError(
        'ELIGIBILITY_INVALID',
        'eligibility is a territory (departments, communes) or an allow-list of sites, not both',
        {
          field: 'siteOrganisationIds',
        },
      );
    }
    return this.tx.run(async (tx) => {
      if (!(await this.orders.organisationKinds(tx, funderId))?.includes('funder')) {
        throw new FundingError('FUNDER_INVALID', 'funderId must be an organisation of kind funder', { field: 'funderId' });
      }
      let feeRateBp = 0;
      if (input.contractId) {
        const contract = await this.orders.contract(tx, input.contractId.toLowerCase());
        if (!contract || contract.funderId !== funderId) {
          throw new FundingError('CONTRACT_INVALID', 'contractId must be a contract of the ordering funder', { field: 'contractId' });
        }
        feeRateBp = contract.upstreamFeeRateBp;
      }
      if (input.grantId && (await this.orders.grantFunder(tx, input.grantId.toLowerCase())) !== funderId) {
        throw new FundingError('GRANT_INVALID', 'grantId must be a grant held by the ordering funder', { field: 'grantId' });
      }
      const unknown = await this.orders.unknownServiceCategories(tx, input.serviceCategoryCodes ?? []);
      if (unknown.length > 0) {
        throw new FundingError('SERVICE_CATEGORY_UNKNOWN', `unknown service categories: ${unknown.join(', ')}`, {
          field: 'serviceCategoryCodes',
        });
      }
      const notSites = await this.orders.nonSites(
        tx,
        (input.siteOrganisationIds ?? []).map((s) => s.toLowerCase()),
      );
      if (notSites.length > 0) {
        throw new FundingError('SITE_INVALID', `not organisations of kind site: ${notSites.join(', ')}`, { field: 'siteOrganisationIds' });
      }
      const faceValueCents = input.faceValueCents ?? 1000;
      const id = await this.orders.insert(tx, {
        funderId,
        contractId: input.contractId?.toLowerCase() ?? null,
        grantId: input.grantId?.toLowerCase() ?? null,
        historical,
        status: historical ? 'closed' : 'draft',
        bookletCount: input.bookletCount,
        vouchersPerBooklet: input.vouchersPerBooklet,
        faceValueCents: String(faceValueCents),
        validityEndDate: input.validityEndDate,
        toleranceDays: input.toleranceDays ?? 31,
        departmentCodes: [...new Set(input.departmentCodes ?? [])],
        communeCodes: [...new Set(input.communeCodes ?? [])],
        siteOrganisationIds: [...new Set((input.siteOrganisationIds ?? []).map((s) => s.toLowerCase()))],
        serviceCategoryCodes: [...new Set(input.serviceCategoryCodes ?? [])],
        redeemableBeforeDistribution: input.redeemableBeforeDistribution ?? false,
        selfRedemptionAllowed: input.selfRedemptionAllowed ?? false,
        stopDistributionDays: input.stopDistributionDays ?? 15,
        orderedOn,
        feeRateBp,
        paidOn: input.paidOn ?? null,
        historicalRedeemedCount: historical ? (input.redeemedCount ?? null) : null,
        historicalExpiredCount: historical ? (input.expiredCount ?? null) : null,
        createdBy: principal.type === 'user' ? principal.id : null,
      });
      await this.audit.append(tx, {
        action: 'order.created',
        actor: actorOf(principal),
        subject: { type: 'order', id },
        facts: {
          funderId,
          historical,
          booklets: input.bookletCount,
          vouchersPerBooklet: input.vouchersPerBooklet,
          faceValueCents,
          grantId: input.grantId?.toLowerCase() ?? null,
          contractId: input.contractId?.toLowerCase() ?? null,
          orderedOn,
          paidOn: input.paidOn ?? null,
        },
        requestId,
      });
      return this.toDto((await this.orders.findById(id, tx))!);
    });
  }

  private checkDates(input: CreateOrderDto, historical: boolean, orderedOn: string, today: string): void {
    if (historical) {
      for (const [field, date] of [
        ['orderedOn', orderedOn],
        ['paidOn', input.paidOn],
      ] as const) {
        if (date !== undefined && date > today) {
          throw new FundingError('DATES_OUT_OF_ORDER', `a historical order is in the past: ${field} must not be after today (${today})`, {
            field,
          });
        }
      }
      if (input.validityEndDate < orderedOn) {
        throw new FundingError('DATES_OUT_OF_ORDER', 'validityEndDate must not precede orderedOn', { field: 'validityEndDate' });
      }
      if (input.paidOn !== undefined && input.paidOn < orderedOn) {
        throw new FundingError('DATES_OUT_OF_ORDER', 'paidOn must not precede orderedOn', { field: 'paidOn' });
      }
      return;
    }
    if (input.validityEndDate < today) {
      throw new FundingError(
        'VALIDITY_IN_PAST',
        `a live order’s validityEndDate must not be in the past (today is ${today}); record past orders as historical`,
        {
          field: 'validityEndDate',
        },
      );
    }
    if (orderedOn > today) throw new FundingError('DATES_OUT_OF_ORDER', 'orderedOn must not be in the future', { field: 'orderedOn' });
    if (input.validityEndDate < orderedOn) {
      throw new FundingError('DATES_OUT_OF_ORDER', 'validityEndDate must not precede orderedOn', { field: 'validityEndDate' });
    }
  }

  async list(principal: Principal, query: ListOrdersQueryDto): Promise<Page<OrderDto>> {
    const operator = isOperator(principal);
    const asked = query.funderId?.toLowerCase();
    if (!operator && asked !== undefined && asked !== principal.organisationId) return { items: [], nextCursor: null };
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.orders.list({
      funderId: operator ? asked : principal.organisationId,
      status: query.status,
      historical: query.historical,
      after: decodeTimeCursor(query.cursor),
      limit,
    });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map((r) => this.toDto(r)), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<OrderDto> {
    return this.toDto(await this.visible(principal, id));
  }

  async confirm(principal: Principal, id: string, requestId?: string): Promise<OrderDto> {
    return this.tx.run(async (tx) => {
      const order = await this.lockVisible(tx, principal, id);
      if (order.status !== 'draft') throw stateConflict(order, 'only a draft order can be confirmed');
      const today = parisDate(new Date());
      if (order.validityEndDate < today) {
        throw new FundingError('VALIDITY_IN_PAST', `the order’s validity ended on ${order.validityEndDate}: extend it before confirming`, {
          field: 'validityEndDate',
        });
      }
      const vatRateBp = this.config.invoicing.vatRateBp;
      const voucherCount = order.bookletCount * order.vouchersPerBooklet;
      const lines = orderInvoiceLines({ voucherCount, faceValueCents: cents(order.faceValueCents), feeRateBp: order.feeRateBp, vatRateBp });
      const amountDue = computeInvoiceTotals(lines).payableCents;
      await this.orders.setConfirmed(tx, id, vatRateBp, amountDue);
      await this.issuance.schedule(tx, id, order.bookletCount, order.vouchersPerBooklet);
      // Last: the invoice number's counter row stays locked until commit, so keep that short.
      const invoices = await this.invoices.issueForOrder(
        tx,
        {
          id,
          reference: order.reference,
          funderId: order.funderId,
          contractReference: order.contractReference,
          voucherCount,
          faceValueCents: cents(order.faceValueCents),
          feeRateBp: order.feeRateBp,
          vatRateBp,
        },
        actorOf(principal),
        requestId,
      );
      await this.audit.append(tx, {
        action: 'order.confirmed',
        actor: actorOf(principal),
        subject: { type: 'order', id },
        facts: {
          funderId: order.funderId,
          booklets: order.bookletCount,
          vouchers: voucherCount,
          amountDueCents: amountDue,
          invoiceNumber: invoices.map((i) => i.number).join(', '),
        },
        requestId,
      });
      return this.toDto((await this.orders.findById(id, tx))!);
    });
  }

  async cancel(principal: Principal, id: string, input: CancelOrderDto, requestId?: string): Promise<OrderDto> {
    return this.tx.run(async (tx) => {
      const order = await this.lockVisible(tx, principal, id);
      if (order.status !== 'draft' && order.status !== 'confirmed') {
        throw stateConflict(order, 'only a draft or confirmed, unpaid order can be cancelled');
      }
      if (cents(order.paidCents) > 0) {
        throw new FundingError(
          'ORDER_HAS_PAYMENTS',
          `payments of ${cents(order.paidCents)} cents were recorded for this order: it cannot be cancelled`,
        );
      }
      let voided = 0;
      if (order.status === 'confirmed') {
        voided = await this.issuance.voidOrder(tx, id);
        for (const invoice of await this.orders.invoicesOf(tx, id))
          await this.invoices.creditWhole(tx, invoice.id, actorOf(principal), requestId);
      }
      await this.orders.setCancelled(tx, id, input.reason ?? null);
      await this.audit.append(tx, {
        action: 'order.cancelled',
        actor: actorOf(principal),
        subject: { type: 'order', id },
        // Free text stays out of the sealed trail: a purgeable comment, referenced by id.
        facts: {
          funderId: order.funderId,
          vouchersVoided: voided,
          ...(input.reason ? { commentId: await this.audit.comment(tx, input.reason) } : {}),
        },
        requestId,
      });
      return this.toDto((await this.orders.findById(id, tx))!);
    });
  }

  async recordPayment(principal: Principal, id: string, input: RecordPaymentDto, requestId?: string): Promise<PaymentResultDto> {
    return this.tx.run(async (tx) => {
      const order = await this.lockVisible(tx, principal, id);
      const existing = await this.orders.findPayment(tx, id, input.reference);
      if (existing) {
        if (cents(existing.amountCents) !== input.amountCents || existing.paidOn !== input.paidOn) {
          throw new FundingError(
            'PAYMENT_REFERENCE_CONFLICT',
            'this reference was already recorded for this order with another amount or date',
            {
              field: 'reference',
            },
          );
        }
        return { payment: toPaymentDto(existing), recorded: false, order: this.toDto(order) };
      }
      if (order.status !== 'confirmed') throw stateConflict(order, 'payments are recorded for confirmed, unpaid orders only');
      const today = parisDate(new Date());
      if (input.paidOn > today || input.paidOn < order.orderedOn) {
        throw new FundingError('DATES_OUT_OF_ORDER', `paidOn must be between the order date (${order.orderedOn}) and today`, {
          field: 'paidOn',
        });
      }
      const due = cents(order.amountDueCents!);
      const paid = cents(order.paidCents);
      if (paid + input.amountCents > due) {
        throw new FundingError('PAYMENT_EXCEEDS_DUE', `this payment would exceed the amount due: ${due - paid} cents remain to be paid`, {
          field: 'amountCents',
          meta: { amountDueCents: due, paidCents: paid, remainingCents: due - paid },
        });
      }
      const payment = await this.orders.insertPayment(tx, {
        orderId: id,
        reference: input.reference,
        paidOn: input.paidOn,
        amountCents: input.amountCents,
        createdBy: principal.type === 'user' ? principal.id : null,
      });
      const received = await this.ledger.openAccount(tx, { kind: 'funder_received', ownerOrganisationId: order.funderId });
      const available = await this.ledger.openAccount(tx, { kind: 'funder_available', ownerOrganisationId: order.funderId });
      await this.ledger.transfer(tx, {
        id: payment.id,
        debitAccountId: received.id,
        creditAccountId: available.id,
        amount: input.amountCents,
        reference: { type: 'order', id },
        userData: { step: 'payment' },
      });
      const complete = paid + input.amountCents === due;
      await this.orders.addPayment(tx, id, input.amountCents, complete ? input.paidOn : null);
      await this.audit.append(tx, {
        action: 'order.payment_recorded',
        actor: actorOf(principal),
        subject: { type: 'order', id },
        facts: {
          funderId: order.funderId,
          paymentId: payment.id,
          amountCents: input.amountCents,
          paidCents: paid + input.amountCents,
          amountDueCents: due,
          paidOn: input.paidOn,
        },
        requestId,
      });
      if (complete) await this.onFullyPaid(tx, principal, order, due, input.paidOn, requestId);
      return { payment: toPaymentDto(payment), recorded: true, order: this.toDto((await this.orders.findById(id, tx))!) };
    });
  }

  /** The fee (with VAT) goes to the platform; the vouchers' face value is activated by issuance. */
  private async onFullyPaid(
    tx: Tx,
    principal: Principal,
    order: OrderRecord,
    due: number,
    paidOn: string,
    requestId?: string,
  ): Promise<void> {
    const fee = due - order.bookletCount * order.vouchersPerBooklet * cents(order.faceValueCents);
    if (fee > 0) {
      const available = await this.ledger.openAccount(tx, { kind: 'funder_available', ownerOrganisationId: order.funderId });
      const fees = await this.ledger.openAccount(tx, { kind: 'fees' });
      await this.ledger.transfer(tx, {
        id: uuidFromName(`order-fee:${order.id}`),
        debitAccountId: available.id,
        creditAccountId: fees.id,
        amount: fee,
        reference: { type: 'order', id: order.id },
        userData: { step: 'fee' },
      });
    }
    await this.issuance.markPaid(tx, order.id);
    await this.audit.append(tx, {
      action: 'order.paid',
      actor: actorOf(principal),
      subject: { type: 'order', id: order.id },
      facts: { funderId: order.funderId, amountDueCents: due, paidOn, feeCents: Math.max(fee, 0) },
      requestId,
    });
  }

  async payments(principal: Principal, id: string): Promise<PaymentListDto> {
    await this.visible(principal, id);
    return { items: (await this.orders.payments(id)).map(toPaymentDto) };
  }

  async extendValidity(principal: Principal, id: string, input: ExtendValidityDto, requestId?: string): Promise<ValidityExtensionDto> {
    return this.tx.run(async (tx) => {
      const order = await this.lockVisible(tx, principal, id);
      if (order.historical || order.status === 'cancelled' || order.status === 'closed') {
        throw stateConflict(order, 'the validity of a cancelled, closed or historical order cannot be extended');
      }
      if (input.newEndDate <= order.validityEndDate) {
        throw new FundingError(
          'VALIDITY_NOT_LATER',
          `newEndDate must be later than the current validity end date (${order.validityEndDate})`,
          {
            field: 'newEndDate',
          },
        );
      }
      const extension = await this.orders.insertExtension(tx, {
        orderId: id,
        previousEndDate: order.validityEndDate,
        newEndDate: input.newEndDate,
        reason: input.reason,
        createdBy: principal.type === 'user' ? principal.id : null,
      });
      await this.orders.setValidityEndDate(tx, id, input.newEndDate);
      await this.audit.append(tx, {
        action: 'order.validity_extended',
        actor: actorOf(principal),
        subject: { type: 'order', id },
        facts: {
          funderId: order.funderId,
          previousEndDate: order.validityEndDate,
          newEndDate: input.newEndDate,
          commentId: await this.audit.comment(tx, input.reason),
        },
        requestId,
      });
      return { ...extension, createdAt: extension.createdAt.toISOString() };
    });
  }

  /** The order if the caller may see it (operator, or the funder that placed it); 404 otherwise. */
  async visible(principal: Principal, id: string): Promise<OrderRecord> {
    return visibleTo(principal, await this.orders.findById(id));
  }

  private async lockVisible(tx: Tx, principal: Principal, id: string): Promise<OrderRecord> {
    return visibleTo(principal, await this.orders.lockById(tx, id));
  }

  private toDto(o: OrderRecord): OrderDto {
    const voucherCount = o.bookletCount * o.vouchersPerBooklet;
    const redemptionDeadline = addDays(o.validityEndDate, o.toleranceDays);
    return {
      id: o.id,
      reference: o.reference,
      funderId: o.funderId,
      contractId: o.contractId,
      grantId: o.grantId,
      historical: o.historical,
      status: o.status,
      bookletCount: o.bookletCount,
      vouchersPerBooklet: o.vouchersPerBooklet,
      voucherCount,
      faceValueCents: cents(o.faceValueCents),
      totalFaceValueCents: voucherCount * cents(o.faceValueCents),
      validityEndDate: o.validityEndDate,
      toleranceDays: o.toleranceDays,
      redemptionDeadline,
      expiresOn: addDays(redemptionDeadline, 8),
      departmentCodes: o.departmentCodes,
      communeCodes: o.communeCodes,
      siteOrganisationIds: o.siteOrganisationIds,
      serviceCategoryCodes: o.serviceCategoryCodes,
      redeemableBeforeDistribution: o.redeemableBeforeDistribution,
      selfRedemptionAllowed: o.selfRedemptionAllowed,
      stopDistributionDays: o.stopDistributionDays,
      orderedOn: o.orderedOn,
      feeRateBp: o.feeRateBp,
      vatRateBp: o.vatRateBp,
      amountDueCents: centsOrNull(o.amountDueCents),
      paidCents: cents(o.paidCents),
      paidOn: o.paidOn,
      confirmedAt: o.confirmedAt?.toISOString() ?? null,
      cancelledAt: o.cancelledAt?.toISOString() ?? null,
      cancelReason: o.cancelReason,
      historicalRedeemedCount: o.historicalRedeemedCount,
      historicalExpiredCount: o.historicalExpiredCount,
      issuance:
        o.issuanceBookletCount === null
          ? null
          : {
              bookletCount: o.issuanceBookletCount,
              bookletsIssued: o.bookletsIssued!,
              // derived: every issued booklet of the order has vouchersPerBooklet vouchers
              vouchersIssued: o.bookletsIssued! * o.vouchersPerBooklet,
              completedAt: o.issuanceCompletedAt?.toISOString() ?? null,
              activatedAt: o.activatedAt?.toISOString() ?? null,
            },
      createdAt: o.createdAt.toISOString(),
    };
  }
}

function visibleTo(principal: Principal, order: OrderRecord | undefined): OrderRecord {
  if (!order || !(isOperator(principal) || order.funderId === principal.organisationId))
    throw new FundingError('NOT_FOUND', 'order not found');
  return order;
}

function stateConflict(order: OrderRecord, message: string): FundingError {
  return new FundingError(
    'ORDER_STATE_CONFLICT',
    `${message} (this order is ${order.historical ? 'historical and ' : ''}${order.status})`,
    {
      meta: { orderStatus: order.status },
    },
  );
}

function toPaymentDto(p: PaymentRecord): PaymentDto {
  return {
    id: p.id,
    orderId: p.orderId,
    reference: p.reference,
    paidOn: p.paidOn,
    amountCents: cents(p.amountCents),
    createdAt: p.createdAt.toISOString(),
  };
}
