import { parisDate } from '@sillage/common';
import { auditEventsContaining, seedOrganisation, seedUser, sql, tableCounts, tokenFor, unknownId } from '@sillage/testing';
import { api, createOrderWorld, draftOrder, futureDate, issued, OrderJson, OrderWorld } from './order-support';

// Issuance runs in the worker: confirmed orders are awaited until every booklet is written.
jest.setTimeout(60_000);

/** Every table an order operation may write; a refusal must leave all of them as they were. */
const TABLES = [
  'purchase_order',
  'order_payment',
  'order_validity_extension',
  'invoice',
  'booklet',
  'voucher',
  'ledger_transfer',
  'audit_event',
] as const;

interface Problem {
  status: number;
  code: string;
  detail: string;
  field?: string;
  errors?: { field: string; code: string; message: string }[];
  [key: string]: unknown;
}

interface PaymentResult {
  recorded: boolean;
  payment: { id: string; reference: string; amountCents: number; paidOn: string };
  order: OrderJson;
}

interface InvoiceRow {
  id: string;
  kind: string;
  number: string;
  creditedInvoiceId: string | null;
  taxExclusiveCents: number;
  vatCents: number;
  payableCents: number;
}

/** What the tests read of an answer, whatever its body type. */
interface Answer<T = unknown> {
  status: number;
  body: T;
  res: { headers: Record<string, unknown> };
}

/** The refusal is an RFC 9457 problem with this status and code (and, when given, the offending field). */
function expectProblem(r: Answer, status: number, code: string, field?: string): Problem {
  expect({ status: r.status, contentType: r.res.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  const body = r.body as Problem;
  expect(body).toMatchObject({ status, code, detail: expect.any(String) });
  if (field !== undefined) expect(body.field).toBe(field);
  return body;
}

describe('purchase orders: state machine, refusals and access', () => {
  let w: OrderWorld;
  /** Today in Europe/Paris: the service's business date (payments may not be dated after it). */
  let today: string;
  let opViewer: string;
  let siteId: string;
  let distributorId: string;
  let ownContractId: string;
  let otherContractId: string;
  let ownGrantId: string;
  let otherGrantId: string;
  let listFunderId: string;

  beforeAll(async () => {
    w = await createOrderWorld({ LOG_LEVEL: 'warn' });
    today = parisDate(new Date());
    opViewer = tokenFor(w.t, await seedUser(w.t, { id: w.operatorId, kinds: ['operator'] }, { role: 'viewer' }));
    siteId = (await seedOrganisation(w.t, { kinds: ['site'] })).id;
    distributorId = (await seedOrganisation(w.t, { kinds: ['distributor'] })).id;
    listFunderId = (await seedOrganisation(w.t, { kinds: ['funder'] })).id;

    const contract = async (funderId: string, reference: string) => {
      const r = await api<{ id: string }>(w.t, 'POST', '/v1/contracts', w.tokens.op, {
        funderId,
        reference,
        publishedOn: '2026-01-05',
        notifiedOn: '2026-02-01',
        endDate: '2029-12-31',
        upstreamFeeRateBp: 400,
      });
      if (r.status !== 201) throw new Error(`contract not created: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id;
    };
    ownContractId = await contract(w.funderId, 'MP-2026-OWN');
    otherContractId = await contract(w.otherFunderId, 'MP-2026-OTHER');

    const policy = await api<{ id: string }>(w.t, 'POST', '/v1/policies', w.tokens.op, { name: 'Pass numérique' });
    const programme = await api<{ id: string }>(w.t, 'POST', '/v1/programmes', w.tokens.op, {
      policyId: policy.body.id,
      name: 'AAP 2026',
      maxCofinancingRateBp: 5000,
    });
    const grant = async (funderId: string) => {
      const r = await api<{ id: string }>(w.t, 'POST', `/v1/programmes/${programme.body.id}/grants`, w.tokens.op, {
        funderId,
        amountCents: 50_000_000,
        cofinancingRateBp: 4000,
        awardedOn: '2026-01-10',
        endDate: '2028-12-31',
      });
      if (r.status !== 201) throw new Error(`grant not created: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id;
    };
    ownGrantId = await grant(w.funderId);
    otherGrantId = await grant(w.otherFunderId);
  });
  afterAll(async () => {
    await w.close();
  });

  const post = <T = Record<string, unknown>>(url: string, token: string, body: object = {}) => api<T>(w.t, 'POST', url, token, body);
  const get = <T = Record<string, unknown>>(url: string, token = w.tokens.op) => api<T>(w.t, 'GET', url, token);
  const orderUrl = (id: string, action = '') => `/v1/purchase-orders/${id}${action}`;
  const create = (body: object, token = w.tokens.funder) =>
    post<OrderJson>('/v1/purchase-orders', token, { bookletCount: 2, vouchersPerBooklet: 3, validityEndDate: futureDate(200), ...body });
  const pay = (orderId: string, amountCents: number, reference: string, token = w.tokens.opFinance, paidOn = today) =>
    post<PaymentResult>(orderUrl(orderId, '/payments'), token, { reference, paidOn, amountCents });

  /** A confirmed order whose booklets are all written (so no worker writes while a test counts rows). */
  async function confirmedOrder(over: object = {}): Promise<OrderJson> {
    const order = await draftOrder(w, over);
    const r = await post<OrderJson>(orderUrl(order.id, '/confirm'), w.tokens.funder);
    if (r.status !== 200) throw new Error(`confirm failed: ${r.status} ${JSON.stringify(r.body)}`);
    return { ...(await issued(w, order.id)), amountDueCents: r.body.amountDueCents };
  }

  async function voucherStatuses(orderId: string): Promise<{ status: string; n: number }[]> {
    return sql<{ status: string; n: number }>(
      w.t,
      `SELECT status, count(*)::int AS n FROM voucher WHERE order_id = $1 GROUP BY status ORDER BY status`,
      [orderId],
    );
  }

  /** Row counts of every order table, the order's own rows, its vouchers and the invoice counters. */
  async function snapshot(orderId?: string) {
    return {
      counts: await tableCounts(w.t, TABLES),
      counters: await sql(w.t, `SELECT kind, year, last_seq FROM invoice_counter ORDER BY kind, year`),
      order: orderId ? await sql(w.t, `SELECT * FROM purchase_order WHERE id = $1`, [orderId]) : null,
      issuance: orderId ? await sql(w.t, `SELECT * FROM order_issuance WHERE order_id = $1`, [orderId]) : null,
      vouchers: orderId ? await voucherStatuses(orderId) : null,
    };
  }

  /** Runs a refused request and checks that it changed nothing at all. */
  async function refusedWithoutWrites<T>(orderId: string | undefined, request: () => Promise<Answer<T>>): Promise<Answer<T>> {
    const before = await snapshot(orderId);
    const r = await request();
    expect(await snapshot(orderId)).toEqual(before);
    return r;
  }

  const auditActions = async (subjectId: string) =>
    (await sql<{ action: string }>(w.t, `SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY recorded_at, id`, [subjectId])).map(
      (r) => r.action,
    );

  describe('state machine', () => {
    it('confirming a confirmed order answers 409 ORDER_STATE_CONFLICT and writes nothing (no second invoice number)', async () => {
      const order = await confirmedOrder();
      const r = await refusedWithoutWrites(order.id, () => post(orderUrl(order.id, '/confirm'), w.tokens.funder));
      const problem = expectProblem(r, 409, 'ORDER_STATE_CONFLICT');
      expect(problem.orderStatus).toBe('confirmed');
      expect(problem.detail).toMatch(/only a draft order can be confirmed.*confirmed/);
      expect(await sql(w.t, `SELECT count(*)::int AS n FROM invoice WHERE order_id = $1`, [order.id])).toEqual([{ n: 1 }]);
    });

    it('a draft cannot be paid: 409 ORDER_STATE_CONFLICT, nothing written', async () => {
      const order = await draftOrder(w);
      const r = await refusedWithoutWrites(order.id, () => pay(order.id, 1000, 'VIR-DRAFT'));
      expect(expectProblem(r, 409, 'ORDER_STATE_CONFLICT').detail).toMatch(/draft/);
    });

    it('a cancelled order cannot be paid: 409 ORDER_STATE_CONFLICT, nothing written', async () => {
      const order = await confirmedOrder();
      expect((await post(orderUrl(order.id, '/cancel'), w.tokens.funder)).status).toBe(200);
      const r = await refusedWithoutWrites(order.id, () => pay(order.id, order.amountDueCents!, 'VIR-CANCELLED'));
      expect(expectProblem(r, 409, 'ORDER_STATE_CONFLICT').detail).toMatch(/cancelled/);
    });

    it('a payment above what remains due answers 409 PAYMENT_EXCEEDS_DUE with remainingCents, nothing written', async () => {
      const order = await confirmedOrder({ bookletCount: 2, vouchersPerBooklet: 5 });
      expect(order.amountDueCents).toBe(10_000);
      expect((await pay(order.id, 3000, 'VIR-PART-1')).status).toBe(200);
      const r = await refusedWithoutWrites(order.id, () => pay(order.id, 7001, 'VIR-TOO-MUCH'));
      const problem = expectProblem(r, 409, 'PAYMENT_EXCEEDS_DUE', 'amountCents');
      expect(problem).toMatchObject({ amountDueCents: 10_000, paidCents: 3000, remainingCents: 7000 });
      // Far above on an unpaid order too.
      const fresh = await confirmedOrder({ bookletCount: 1, vouchersPerBooklet: 1 });
      const r2 = await refusedWithoutWrites(fresh.id, () => pay(fresh.id, 1001, 'VIR-FRESH'));
      expect(expectProblem(r2, 409, 'PAYMENT_EXCEEDS_DUE')).toMatchObject({ remainingCents: 1000 });
    });

    it('a paid order cannot be cancelled: 409 ORDER_STATE_CONFLICT, nothing written, vouchers stay ACTIVE', async () => {
      const order = await confirmedOrder();
      expect((await pay(order.id, order.amountDueCents!, 'VIR-FULL')).body.order.status).toBe('paid');
      const r = await refusedWithoutWrites(order.id, () => post(orderUrl(order.id, '/cancel'), w.tokens.funder, { reason: 'ERROR' }));
      expect(expectProblem(r, 409, 'ORDER_STATE_CONFLICT').detail).toMatch(/paid/);
      expect(await voucherStatuses(order.id)).toEqual([{ status: 'ACTIVE', n: 12 }]);
    });

    it('a partially paid order cannot be cancelled: 409 ORDER_HAS_PAYMENTS, nothing written', async () => {
      const order = await confirmedOrder();
      expect((await pay(order.id, 100, 'VIR-DEPOSIT')).status).toBe(200);
      for (const token of [w.tokens.funder, w.tokens.op]) {
        const r = await refusedWithoutWrites(order.id, () => post(orderUrl(order.id, '/cancel'), token));
        expect(expectProblem(r, 409, 'ORDER_HAS_PAYMENTS').detail).toMatch(/100 cents/);
      }
      expect(await voucherStatuses(order.id)).toEqual([{ status: 'ISSUED', n: 12 }]);
    });

    it('partial payments leave the order confirmed and its vouchers ISSUED; the final one makes it paid and every voucher ACTIVE', async () => {
      const order = await confirmedOrder({ bookletCount: 3, vouchersPerBooklet: 4 });
      expect(order.amountDueCents).toBe(12_000);

      const first = await pay(order.id, 5000, 'VIR-A');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ recorded: true, order: { status: 'confirmed', paidCents: 5000, paidOn: null } });
      expect(await voucherStatuses(order.id)).toEqual([{ status: 'ISSUED', n: 12 }]);

      const second = await pay(order.id, 6999, 'VIR-B', w.tokens.op);
      expect(second.body).toMatchObject({ recorded: true, order: { status: 'confirmed', paidCents: 11_999 } });
      expect(await voucherStatuses(order.id)).toEqual([{ status: 'ISSUED', n: 12 }]);
      expect((await get<OrderJson>(orderUrl(order.id))).body.issuance?.activatedAt).toBeNull();

      const last = await pay(order.id, 1, 'VIR-C');
      expect(last.body).toMatchObject({ recorded: true, order: { status: 'paid', paidCents: 12_000, paidOn: today } });
      expect(last.body.order.issuance?.activatedAt).toEqual(expect.any(String));
      expect(await voucherStatuses(order.id)).toEqual([{ status: 'ACTIVE', n: 12 }]);

      const payments = await get<{ items: { reference: string; amountCents: number }[] }>(orderUrl(order.id, '/payments'), w.tokens.funder);
      expect(payments.body.items.map((p) => [p.reference, p.amountCents])).toEqual([
        ['VIR-A', 5000],
        ['VIR-B', 6999],
        ['VIR-C', 1],
      ]);
      expect(await auditActions(order.id)).toEqual([
        'order.created',
        'order.confirmed',
        'order.payment_recorded',
        'order.payment_recorded',
        'order.payment_recorded',
        'issuance.vouchers_activated',
        'order.paid',
      ]);
      expect((await get<{ ok: boolean }>('/v1/ledger/check')).body.ok).toBe(true);
    });

    it('a replayed payment (same reference, amount and date) answers 200 recorded: false and counts once', async () => {
      const order = await confirmedOrder({ bookletCount: 1, vouchersPerBooklet: 10 });
      const first = await pay(order.id, 4000, 'VIR-REPLAY');
      expect(first.body).toMatchObject({ recorded: true, order: { paidCents: 4000 } });

      const replay = await refusedWithoutWrites(order.id, () => pay(order.id, 4000, 'VIR-REPLAY'));
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({
        recorded: false,
        payment: { id: first.body.payment.id, reference: 'VIR-REPLAY', amountCents: 4000, paidOn: today },
        order: { status: 'confirmed', paidCents: 4000 },
      });

      // The final payment, then its replay once the order is paid: still a no-op, not a state conflict.
      expect((await pay(order.id, 6000, 'VIR-REPLAY-2')).body.order).toMatchObject({ status: 'paid', paidCents: 10_000 });
      const lateReplay = await refusedWithoutWrites(order.id, () => pay(order.id, 6000, 'VIR-REPLAY-2', w.tokens.op));
      expect(lateReplay.status).toBe(200);
      expect(lateReplay.body).toMatchObject({ recorded: false, order: { status: 'paid', paidCents: 10_000 } });
      expect(await sql(w.t, `SELECT count(*)::int AS n FROM order_payment WHERE order_id = $1`, [order.id])).toEqual([{ n: 2 }]);
      // One payment transfer per payment, one activation: nothing doubled by the replays.
      const transfers = await sql<{ step: string; amount: string }>(
        w.t,
        `SELECT user_data->>'step' AS step, amount::text FROM ledger_transfer WHERE reference_id = $1 ORDER BY seq`,
        [order.id],
      );
      expect(transfers).toEqual([
        { step: 'payment', amount: '4000' },
        { step: 'payment', amount: '6000' },
        { step: 'activation', amount: '10000' },
      ]);
    });

    it('the same reference with another amount or date answers 409 PAYMENT_REFERENCE_CONFLICT, nothing written', async () => {
      const order = await confirmedOrder();
      expect((await pay(order.id, 1000, 'VIR-REF')).status).toBe(200);
      const otherAmount = await refusedWithoutWrites(order.id, () => pay(order.id, 1001, 'VIR-REF'));
      expectProblem(otherAmount, 409, 'PAYMENT_REFERENCE_CONFLICT', 'reference');
      const yesterday = parisDate(new Date(Date.now() - 86_400_000));
      const otherDate = await refusedWithoutWrites(order.id, () => pay(order.id, 1000, 'VIR-REF', w.tokens.opFinance, yesterday));
      expectProblem(otherDate, 409, 'PAYMENT_REFERENCE_CONFLICT', 'reference');
      expect((await get<OrderJson>(orderUrl(order.id))).body.paidCents).toBe(1000);
    });

    it('cancelling a confirmed unpaid order voids every voucher and credits its invoice in full', async () => {
      const order = await confirmedOrder({ bookletCount: 4, vouchersPerBooklet: 5, contractId: ownContractId });
      expect(order.issuance).toMatchObject({ bookletsIssued: 4, vouchersIssued: 20 });
      expect(await voucherStatuses(order.id)).toEqual([{ status: 'ISSUED', n: 20 }]);

      const r = await post<OrderJson>(orderUrl(order.id, '/cancel'), w.tokens.funder, { reason: 'ORDERED_TWICE' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'cancelled', cancelReason: 'ORDERED_TWICE', cancelledAt: expect.any(String) });
      expect(await voucherStatuses(order.id)).toEqual([{ status: 'VOID', n: 20 }]);

      // Two invoices (ADR 9: the vouchers outside the VAT scope, the 4 % fee with VAT), each credited in full by its own note.
      const documents = await get<{ items: InvoiceRow[] }>(`/v1/invoices?orderId=${order.id}`, w.tokens.funder);
      const invoices = documents.body.items.filter((i) => i.kind === 'invoice');
      const credits = documents.body.items.filter((i) => i.kind === 'credit_note');
      expect(invoices.map((i) => [i.taxExclusiveCents, i.vatCents, i.payableCents]).sort()).toEqual(
        [
          [20_000, 0, 20_000],
          [800, 160, 960],
        ].sort(),
      );
      expect(invoices.reduce((sum, i) => sum + i.payableCents, 0)).toBe(order.amountDueCents);
      expect(credits).toHaveLength(2);
      for (const invoice of invoices) {
        const credit = credits.find((c) => c.creditedInvoiceId === invoice.id);
        expect(credit).toMatchObject({
          number: expect.stringMatching(/^AV-\d{4}-\d{6}$/),
          payableCents: invoice.payableCents,
          taxExclusiveCents: invoice.taxExclusiveCents,
          vatCents: invoice.vatCents,
        });
        const detail = await get<{ document: { creditedInvoice: { number: string } } }>(`/v1/invoices/${credit!.id}`, w.tokens.funder);
        expect(detail.body.document.creditedInvoice.number).toBe(invoice.number);
      }
      expect(await auditActions(order.id)).toEqual(['order.created', 'order.confirmed', 'issuance.vouchers_voided', 'order.cancelled']);
      // Nothing was paid: no money moved, and the ledger still balances.
      expect(await sql(w.t, `SELECT count(*)::int AS n FROM ledger_transfer WHERE reference_id = $1`, [order.id])).toEqual([{ n: 0 }]);
      expect((await get<{ ok: boolean }>('/v1/ledger/check')).body.ok).toBe(true);
      // Cancelling again is a state conflict.
      const again = await refusedWithoutWrites(order.id, () => post(orderUrl(order.id, '/cancel'), w.tokens.funder));
      expectProblem(again, 409, 'ORDER_STATE_CONFLICT');
    });

    it('cancelling a draft issues no invoice and no credit note, and creates no vouchers', async () => {
      const order = await draftOrder(w);
      const before = await tableCounts(w.t, ['invoice', 'booklet', 'voucher', 'ledger_transfer']);
      const r = await post<OrderJson>(orderUrl(order.id, '/cancel'), w.tokens.op, {});
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'cancelled', cancelReason: null, issuance: null, amountDueCents: null });
      expect(await tableCounts(w.t, ['invoice', 'booklet', 'voucher', 'ledger_transfer'])).toEqual(before);
      expect(await sql(w.t, `SELECT count(*)::int AS n FROM invoice WHERE order_id = $1`, [order.id])).toEqual([{ n: 0 }]);
      // A cancelled draft can no longer be confirmed.
      const confirm = await refusedWithoutWrites(order.id, () => post(orderUrl(order.id, '/confirm'), w.tokens.funder));
      expectProblem(confirm, 409, 'ORDER_STATE_CONFLICT');
    });
  });

  describe('creation refusals (nothing written)', () => {
    const refusedCreate = async (body: object, status: number, code: string, field?: string, token = w.tokens.funder) =>
      expectProblem(await refusedWithoutWrites(undefined, () => create(body, token)), status, code, field);

    it('a live order whose validity ended answers 400 VALIDITY_IN_PAST', async () => {
      const yesterday = parisDate(new Date(Date.now() - 86_400_000));
      const problem = await refusedCreate({ validityEndDate: yesterday }, 400, 'VALIDITY_IN_PAST', 'validityEndDate');
      expect(problem.detail).toMatch(/historical/);
      await refusedCreate({ funderId: w.funderId, validityEndDate: '2019-12-31' }, 400, 'VALIDITY_IN_PAST', 'validityEndDate', w.tokens.op);
    });

    it.each([
      ['bookletCount', 0],
      ['bookletCount', -1],
      ['bookletCount', 1.5],
      ['bookletCount', '3'],
      ['bookletCount', null],
      ['vouchersPerBooklet', 0],
      ['vouchersPerBooklet', 21],
      ['vouchersPerBooklet', '10'],
      ['faceValueCents', 0],
      ['faceValueCents', -1000],
      ['faceValueCents', 1.5],
      ['faceValueCents', '1000'],
      ['validityEndDate', '2027-02-30'],
      ['validityEndDate', 20270101],
    ])('%s = %j answers 400 VALIDATION_FAILED naming the field', async (field, value) => {
      const problem = await refusedCreate({ [field]: value }, 400, 'VALIDATION_FAILED', field);
      expect(problem.errors?.length).toBeGreaterThan(0);
      expect(problem.errors?.every((e) => e.field === field)).toBe(true);
    });

    it('a missing count answers 400 VALIDATION_FAILED naming it', async () => {
      const r = await refusedWithoutWrites(undefined, () =>
        post('/v1/purchase-orders', w.tokens.funder, { vouchersPerBooklet: 3, validityEndDate: futureDate(100) }),
      );
      expectProblem(r, 400, 'VALIDATION_FAILED', 'bookletCount');
    });

    it('an unknown service category answers 400 SERVICE_CATEGORY_UNKNOWN naming it; a known one is accepted', async () => {
      const problem = await refusedCreate(
        { serviceCategoryCodes: ['atelier-collectif', 'plongee-sous-marine'] },
        400,
        'SERVICE_CATEGORY_UNKNOWN',
        'serviceCategoryCodes',
      );
      expect(problem.detail).toContain('plongee-sous-marine');
      expect(problem.detail).not.toContain('atelier-collectif');
      const ok = await create({ serviceCategoryCodes: ['atelier-collectif'] });
      expect(ok.status).toBe(201);
      expect(ok.body.serviceCategoryCodes).toEqual(['atelier-collectif']);
    });

    it('siteOrganisationIds that are not sites answer 400 SITE_INVALID naming them; a real site is accepted', async () => {
      const stranger = unknownId();
      const problem = await refusedCreate(
        { siteOrganisationIds: [siteId, distributorId, stranger] },
        400,
        'SITE_INVALID',
        'siteOrganisationIds',
      );
      expect(problem.detail).toContain(distributorId);
      expect(problem.detail).toContain(stranger);
      expect(problem.detail).not.toContain(siteId);
      await refusedCreate({ siteOrganisationIds: [w.funderId] }, 400, 'SITE_INVALID', 'siteOrganisationIds');
      const ok = await create({ siteOrganisationIds: [siteId] });
      expect(ok.status).toBe(201);
      expect(ok.body.siteOrganisationIds).toEqual([siteId]);
    });

    it('a territory and a site allow-list together answer 400 ELIGIBILITY_INVALID', async () => {
      await refusedCreate({ departmentCodes: ['35'], siteOrganisationIds: [siteId] }, 400, 'ELIGIBILITY_INVALID', 'siteOrganisationIds');
      await refusedCreate({ communeCodes: ['35238'], siteOrganisationIds: [siteId] }, 400, 'ELIGIBILITY_INVALID', 'siteOrganisationIds');
    });

    it('a contract or a grant of another funder answers 400 CONTRACT_INVALID / GRANT_INVALID; its own are accepted', async () => {
      await refusedCreate({ contractId: otherContractId }, 400, 'CONTRACT_INVALID', 'contractId');
      await refusedCreate({ contractId: unknownId() }, 400, 'CONTRACT_INVALID', 'contractId');
      await refusedCreate({ grantId: otherGrantId }, 400, 'GRANT_INVALID', 'grantId');
      await refusedCreate({ grantId: unknownId() }, 400, 'GRANT_INVALID', 'grantId');
      // The operator ordering for the funder is held to the same rule.
      await refusedCreate({ funderId: w.funderId, contractId: otherContractId }, 400, 'CONTRACT_INVALID', 'contractId', w.tokens.op);
      await refusedCreate({ funderId: w.funderId, grantId: otherGrantId }, 400, 'GRANT_INVALID', 'grantId', w.tokens.op);
      const ok = await create({ contractId: ownContractId, grantId: ownGrantId });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ contractId: ownContractId, grantId: ownGrantId, feeRateBp: 400 });
    });

    it('a funderId that is not a funder (or not the caller’s own organisation) answers 400 FUNDER_INVALID', async () => {
      await refusedCreate({ funderId: distributorId }, 400, 'FUNDER_INVALID', 'funderId', w.tokens.op);
      await refusedCreate({ funderId: w.operatorId }, 400, 'FUNDER_INVALID', 'funderId', w.tokens.op);
      await refusedCreate({ funderId: unknownId() }, 400, 'FUNDER_INVALID', 'funderId', w.tokens.op);
      await refusedCreate({ funderId: w.otherFunderId }, 400, 'FUNDER_INVALID', 'funderId', w.tokens.funder);
    });

    it('the operator creating without funderId answers 400 FUNDER_INVALID', async () => {
      const problem = await refusedCreate({}, 400, 'FUNDER_INVALID', 'funderId', w.tokens.op);
      expect(problem.detail).toMatch(/required/);
      const ok = await create({ funderId: w.funderId }, w.tokens.op);
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ funderId: w.funderId, status: 'draft' });
    });
  });

  describe('validity extension', () => {
    it('the funder admin and the operator extend with a reason: the order’s end date moves, each extension is audited', async () => {
      const order = await confirmedOrder();
      const first = futureDate(260);
      const byFunder = await post(orderUrl(order.id, '/extend-validity'), w.tokens.funder, { newEndDate: first, reason: 'LATE_DELIVERY' });
      expect(byFunder.status).toBe(200);
      expect(byFunder.body).toMatchObject({ previousEndDate: order.validityEndDate, newEndDate: first, reason: 'LATE_DELIVERY' });
      expect((await get<OrderJson>(orderUrl(order.id), w.tokens.funder)).body.validityEndDate).toBe(first);

      const second = futureDate(300);
      const byOperator = await post(orderUrl(order.id, '/extend-validity'), w.tokens.op, {
        newEndDate: second,
        reason: 'PROGRAMME_EXTENDED',
      });
      expect(byOperator.status).toBe(200);
      const now = (await get<OrderJson>(orderUrl(order.id))).body;
      expect(now).toMatchObject({ validityEndDate: second, status: 'confirmed' });
      expect(now.redemptionDeadline).toBe(futureDate(300 + 31));

      const rows = await sql(
        w.t,
        `SELECT to_char(previous_end_date, 'YYYY-MM-DD') AS "from", to_char(new_end_date, 'YYYY-MM-DD') AS "to", reason
         FROM order_validity_extension WHERE order_id = $1 ORDER BY created_at`,
        [order.id],
      );
      expect(rows).toEqual([
        { from: order.validityEndDate, to: first, reason: 'LATE_DELIVERY' },
        { from: first, to: second, reason: 'PROGRAMME_EXTENDED' },
      ]);
      const events = await sql(
        w.t,
        `SELECT action, actor_organisation_id AS "org" FROM audit_event WHERE subject_id = $1 AND action = 'order.validity_extended'
         ORDER BY recorded_at`,
        [order.id],
      );
      expect(events).toEqual([
        { action: 'order.validity_extended', org: w.funderId },
        { action: 'order.validity_extended', org: w.operatorId },
      ]);
    });

    it('a newEndDate not later than the current one answers 400 VALIDITY_NOT_LATER, nothing written', async () => {
      const order = await draftOrder(w);
      for (const newEndDate of [order.validityEndDate, futureDate(199), futureDate(10)]) {
        const r = await refusedWithoutWrites(order.id, () =>
          post(orderUrl(order.id, '/extend-validity'), w.tokens.funder, { newEndDate, reason: 'LATE_DELIVERY' }),
        );
        expect(expectProblem(r, 400, 'VALIDITY_NOT_LATER', 'newEndDate').detail).toContain(order.validityEndDate);
      }
    });

    it('an extension without a reason, or with a malformed date, answers 400 VALIDATION_FAILED', async () => {
      const order = await draftOrder(w);
      const noReason = await refusedWithoutWrites(order.id, () =>
        post(orderUrl(order.id, '/extend-validity'), w.tokens.funder, { newEndDate: futureDate(300) }),
      );
      expectProblem(noReason, 400, 'VALIDATION_FAILED', 'reason');
      const blank = await refusedWithoutWrites(order.id, () =>
        post(orderUrl(order.id, '/extend-validity'), w.tokens.funder, { newEndDate: futureDate(300), reason: '' }),
      );
      expectProblem(blank, 400, 'VALIDATION_FAILED', 'reason');
      const badDate = await refusedWithoutWrites(order.id, () =>
        post(orderUrl(order.id, '/extend-validity'), w.tokens.funder, { newEndDate: '2030-13-01', reason: 'LATE_DELIVERY' }),
      );
      expectProblem(badDate, 400, 'VALIDATION_FAILED', 'newEndDate');
    });

    it('a cancelled order’s validity cannot be extended: 409 ORDER_STATE_CONFLICT', async () => {
      const order = await draftOrder(w);
      expect((await post(orderUrl(order.id, '/cancel'), w.tokens.funder)).status).toBe(200);
      const r = await refusedWithoutWrites(order.id, () =>
        post(orderUrl(order.id, '/extend-validity'), w.tokens.op, { newEndDate: futureDate(400), reason: 'LATE_DELIVERY' }),
      );
      expectProblem(r, 409, 'ORDER_STATE_CONFLICT');
    });

    it('free-text reasons (extension, cancellation) stay out of the sealed audit trail, which takes no personal data', async () => {
      // The product brief: events carry "why as a reason code" and no personal data; free text lives
      // outside the tree, where it can be purged (AuditLog: "free text never goes in the log").
      const sentinel = 'Mme Zébulon Quartzfeld 06 71 93 28 46';
      const extended = await draftOrder(w);
      const ext = await post(orderUrl(extended.id, '/extend-validity'), w.tokens.funder, {
        newEndDate: futureDate(365),
        reason: `asked by ${sentinel}`,
      });
      expect(ext.status).toBe(200);
      const cancelled = await draftOrder(w);
      expect((await post(orderUrl(cancelled.id, '/cancel'), w.tokens.funder, { reason: `asked by ${sentinel}` })).status).toBe(200);
      expect(await auditEventsContaining(w.t, 'Quartzfeld')).toBe(0);
    });
  });

  describe('access', () => {
    it('another funder gets 404 on every route of an order that is not theirs, and nothing is written', async () => {
      const draft = await draftOrder(w);
      const confirmed = await confirmedOrder();
      const other = w.tokens.otherFunder;
      expectProblem(await get(orderUrl(draft.id), other), 404, 'NOT_FOUND');
      expectProblem(await get(orderUrl(confirmed.id, '/payments'), other), 404, 'NOT_FOUND');
      expectProblem(await refusedWithoutWrites(draft.id, () => post(orderUrl(draft.id, '/confirm'), other)), 404, 'NOT_FOUND');
      expectProblem(await refusedWithoutWrites(draft.id, () => post(orderUrl(draft.id, '/cancel'), other)), 404, 'NOT_FOUND');
      expectProblem(
        await refusedWithoutWrites(draft.id, () =>
          post(orderUrl(draft.id, '/extend-validity'), other, { newEndDate: futureDate(300), reason: 'LATE_DELIVERY' }),
        ),
        404,
        'NOT_FOUND',
      );
      expectProblem(await refusedWithoutWrites(confirmed.id, () => pay(confirmed.id, 100, 'VIR-OTHER', other)), 404, 'NOT_FOUND');
      const list = await get<{ items: OrderJson[] }>('/v1/purchase-orders?limit=100', other);
      expect(list.body.items.map((o) => o.id)).not.toEqual(expect.arrayContaining([draft.id]));
      expect(list.body.items.every((o) => o.funderId === w.otherFunderId)).toBe(true);
      // An id that names nothing, and one that is not an id, answer the same.
      expectProblem(await get(orderUrl(unknownId())), 404, 'NOT_FOUND');
      expectProblem(await get(orderUrl('not-an-id')), 404, 'NOT_FOUND');
    });

    it('a funder viewer reads but gets 403 FORBIDDEN on create, confirm, cancel and extend', async () => {
      const draft = await draftOrder(w);
      const viewer = w.tokens.funderViewer;
      expect((await get(orderUrl(draft.id), viewer)).status).toBe(200);
      expectProblem(await refusedWithoutWrites(undefined, () => create({}, viewer)), 403, 'FORBIDDEN');
      expectProblem(await refusedWithoutWrites(draft.id, () => post(orderUrl(draft.id, '/confirm'), viewer)), 403, 'FORBIDDEN');
      expectProblem(await refusedWithoutWrites(draft.id, () => post(orderUrl(draft.id, '/cancel'), viewer)), 403, 'FORBIDDEN');
      expectProblem(
        await refusedWithoutWrites(draft.id, () =>
          post(orderUrl(draft.id, '/extend-validity'), viewer, { newEndDate: futureDate(300), reason: 'LATE_DELIVERY' }),
        ),
        403,
        'FORBIDDEN',
      );
    });

    it('a distributor gets 404 on every order route (the guard hides routes of another organisation kind)', async () => {
      const draft = await draftOrder(w);
      const confirmed = await confirmedOrder();
      const d = w.tokens.distributor;
      expectProblem(await get('/v1/purchase-orders', d), 404, 'NOT_FOUND');
      expectProblem(await get(orderUrl(draft.id), d), 404, 'NOT_FOUND');
      expectProblem(await get(orderUrl(confirmed.id, '/payments'), d), 404, 'NOT_FOUND');
      expectProblem(await refusedWithoutWrites(undefined, () => create({ funderId: w.funderId }, d)), 404, 'NOT_FOUND');
      expectProblem(await refusedWithoutWrites(draft.id, () => post(orderUrl(draft.id, '/confirm'), d)), 404, 'NOT_FOUND');
      expectProblem(await refusedWithoutWrites(draft.id, () => post(orderUrl(draft.id, '/cancel'), d)), 404, 'NOT_FOUND');
      expectProblem(
        await refusedWithoutWrites(draft.id, () =>
          post(orderUrl(draft.id, '/extend-validity'), d, { newEndDate: futureDate(300), reason: 'LATE_DELIVERY' }),
        ),
        404,
        'NOT_FOUND',
      );
      expectProblem(await refusedWithoutWrites(confirmed.id, () => pay(confirmed.id, 100, 'VIR-D', d)), 404, 'NOT_FOUND');
    });

    it('only operator admin and finance record payments: funders get 404 (not their route), an operator viewer 403', async () => {
      const order = await confirmedOrder();
      expectProblem(await refusedWithoutWrites(order.id, () => pay(order.id, 100, 'VIR-F', w.tokens.funder)), 404, 'NOT_FOUND');
      expectProblem(await refusedWithoutWrites(order.id, () => pay(order.id, 100, 'VIR-V', opViewer)), 403, 'FORBIDDEN');
      expect((await pay(order.id, 100, 'VIR-ADMIN', w.tokens.op)).body).toMatchObject({ recorded: true, order: { paidCents: 100 } });
      expect((await pay(order.id, 100, 'VIR-FIN', w.tokens.opFinance)).body).toMatchObject({ recorded: true, order: { paidCents: 200 } });
    });
  });

  describe('historical orders', () => {
    const historical = {
      historical: true,
      bookletCount: 10,
      vouchersPerBooklet: 10,
      orderedOn: '2020-03-02',
      validityEndDate: '2021-03-31',
      paidOn: '2020-04-15',
      redeemedCount: 80,
      expiredCount: 20,
    };

    it('records a past order as closed figures: 201, no booklets, vouchers, invoice or money, issuance null', async () => {
      const before = await tableCounts(w.t, TABLES);
      const r = await create(historical);
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        historical: true,
        status: 'closed',
        voucherCount: 100,
        orderedOn: '2020-03-02',
        validityEndDate: '2021-03-31',
        paidOn: '2020-04-15',
        historicalRedeemedCount: 80,
        historicalExpiredCount: 20,
        amountDueCents: null,
        issuance: null,
      });
      const after = await tableCounts(w.t, TABLES);
      expect(after).toEqual({ ...before, purchase_order: before.purchase_order + 1, audit_event: before.audit_event + 1 });
      expect(await sql(w.t, `SELECT count(*)::int AS n FROM order_issuance WHERE order_id = $1`, [r.body.id])).toEqual([{ n: 0 }]);
      expect((await get<OrderJson>(orderUrl(r.body.id), w.tokens.funder)).body).toMatchObject({ status: 'closed', issuance: null });
      // The operator records history for a funder too.
      const byOperator = await create({ ...historical, funderId: w.funderId }, w.tokens.op);
      expect(byOperator.status).toBe(201);
      expect(byOperator.body).toMatchObject({ historical: true, status: 'closed', issuance: null });
    });

    it('redeemedCount + expiredCount above the vouchers ordered answers 400 HISTORICAL_FIGURES_INVALID', async () => {
      const r = await refusedWithoutWrites(undefined, () => create({ ...historical, redeemedCount: 90, expiredCount: 11 }));
      expect(expectProblem(r, 400, 'HISTORICAL_FIGURES_INVALID', 'redeemedCount').detail).toContain('100');
    });

    it('historical figures on a live order answer 400 HISTORICAL_FIGURES_INVALID naming the figure', async () => {
      for (const [field, value] of [
        ['paidOn', today],
        ['redeemedCount', 1],
        ['expiredCount', 0],
      ] as const) {
        const r = await refusedWithoutWrites(undefined, () => create({ [field]: value }));
        expectProblem(r, 400, 'HISTORICAL_FIGURES_INVALID', field);
      }
      const explicit = await refusedWithoutWrites(undefined, () => create({ historical: false, redeemedCount: 3 }));
      expectProblem(explicit, 400, 'HISTORICAL_FIGURES_INVALID', 'redeemedCount');
    });

    it('historical dates out of order answer 400 DATES_OUT_OF_ORDER', async () => {
      const paidBefore = await refusedWithoutWrites(undefined, () => create({ ...historical, paidOn: '2020-01-01' }));
      expectProblem(paidBefore, 400, 'DATES_OUT_OF_ORDER', 'paidOn');
      const endBefore = await refusedWithoutWrites(undefined, () => create({ ...historical, validityEndDate: '2019-12-31' }));
      expectProblem(endBefore, 400, 'DATES_OUT_OF_ORDER', 'validityEndDate');
    });

    it('a historical order cannot be confirmed, paid, cancelled or extended: 409 ORDER_STATE_CONFLICT', async () => {
      const order = (await create(historical)).body;
      const refusals = [
        () => post(orderUrl(order.id, '/confirm'), w.tokens.funder),
        () => post(orderUrl(order.id, '/cancel'), w.tokens.funder),
        () => pay(order.id, 100, 'VIR-HIST', w.tokens.opFinance, '2020-04-15'),
        () => post(orderUrl(order.id, '/extend-validity'), w.tokens.op, { newEndDate: futureDate(30), reason: 'LATE_DELIVERY' }),
      ];
      const answers: Answer[] = [];
      for (const request of refusals) answers.push(await refusedWithoutWrites<unknown>(order.id, request));
      const problems = answers.map((r) => r.body as Problem);
      expect(answers.map((r, i) => [r.status, problems[i].code])).toEqual(Array(4).fill([409, 'ORDER_STATE_CONFLICT']));
      for (const p of problems) expect(p.detail).toMatch(/historical and closed/);
    });
  });

  describe('listing', () => {
    type Page = { items: OrderJson[]; nextCursor: string | null };
    let created: { draftA: string; draftB: string; confirmed: string; cancelled: string; historical: string };

    beforeAll(async () => {
      // A funder of its own, so that the exact expected lists are known whatever the other tests created.
      const forList = (over: object = {}) => draftOrder(w, { funderId: listFunderId, ...over }, w.tokens.op);
      const draftA = (await forList()).id;
      const confirmed = (await forList()).id;
      const cancelled = (await forList()).id;
      const draftB = (await forList()).id;
      const historical = (
        await forList({ historical: true, orderedOn: '2019-05-06', validityEndDate: '2020-05-06', redeemedCount: 3, expiredCount: 3 })
      ).id;
      expect((await post(orderUrl(confirmed, '/confirm'), w.tokens.op)).status).toBe(200);
      await issued(w, confirmed);
      expect((await post(orderUrl(cancelled, '/cancel'), w.tokens.op)).status).toBe(200);
      created = { draftA, draftB, confirmed, cancelled, historical };
    });

    const ids = async (query: string, token = w.tokens.op) => {
      const r = await get<Page>(`/v1/purchase-orders?${query}`, token);
      expect(r.status).toBe(200);
      return r.body.items.map((o) => o.id);
    };

    it('the operator filters by funder, status and historical', async () => {
      const { draftA, draftB, confirmed, cancelled, historical } = created;
      expect(await ids(`funderId=${listFunderId}`)).toEqual([draftA, confirmed, cancelled, draftB, historical]);
      expect(await ids(`funderId=${listFunderId}&status=draft`)).toEqual([draftA, draftB]);
      expect(await ids(`funderId=${listFunderId}&status=confirmed`)).toEqual([confirmed]);
      expect(await ids(`funderId=${listFunderId}&status=cancelled`)).toEqual([cancelled]);
      expect(await ids(`funderId=${listFunderId}&status=closed`)).toEqual([historical]);
      expect(await ids(`funderId=${listFunderId}&status=paid`)).toEqual([]);
      expect(await ids(`funderId=${listFunderId}&historical=true`)).toEqual([historical]);
      expect(await ids(`funderId=${listFunderId}&historical=false`)).toEqual([draftA, confirmed, cancelled, draftB]);
      expect(await ids(`funderId=${listFunderId}&historical=false&status=draft`)).toEqual([draftA, draftB]);

      const all = await get<Page>('/v1/purchase-orders?status=draft&limit=100');
      expect(all.body.items.length).toBeGreaterThan(2);
      expect(all.body.items.every((o) => o.status === 'draft')).toBe(true);
      expect(new Set(all.body.items.map((o) => o.funderId))).toEqual(new Set([w.funderId, listFunderId]));
    });

    it('a funder lists only its own orders, whatever funderId it asks for', async () => {
      const own = await get<Page>('/v1/purchase-orders?limit=100', w.tokens.funder);
      expect(own.body.items.length).toBeGreaterThan(0);
      expect(own.body.items.every((o) => o.funderId === w.funderId)).toBe(true);
      expect(await ids(`funderId=${listFunderId}`, w.tokens.funder)).toEqual([]);
      const historicalOwn = await get<Page>('/v1/purchase-orders?historical=true&limit=100', w.tokens.funder);
      expect(historicalOwn.body.items.length).toBeGreaterThan(0);
      expect(historicalOwn.body.items.every((o) => o.funderId === w.funderId && o.historical === true)).toBe(true);
    });

    it('pages with limit and cursor: every order once, in the unpaged order, then nextCursor null', async () => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const query: string = `funderId=${listFunderId}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const r = await get<Page>(`/v1/purchase-orders?${query}`);
        expect(r.status).toBe(200);
        pages.push(r.body.items.map((o) => o.id));
        cursor = r.body.nextCursor;
      } while (cursor && pages.length < 10);
      const { draftA, draftB, confirmed, cancelled, historical } = created;
      expect(pages).toEqual([[draftA, confirmed], [cancelled, draftB], [historical]]);
    });

    it('bad list parameters answer 400 naming them', async () => {
      expectProblem(await get('/v1/purchase-orders?status=archived'), 400, 'VALIDATION_FAILED', 'status');
      expectProblem(await get('/v1/purchase-orders?historical=yes'), 400, 'VALIDATION_FAILED', 'historical');
      expectProblem(await get('/v1/purchase-orders?limit=0'), 400, 'VALIDATION_FAILED', 'limit');
      expectProblem(await get('/v1/purchase-orders?funderId=nope'), 400, 'VALIDATION_FAILED', 'funderId');
      expectProblem(await get('/v1/purchase-orders?cursor=bm90LWEtY3Vyc29y'), 400, 'INVALID_CURSOR', 'cursor');
    });
  });
});
