import { parisDate } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { VaultService } from '@sillage/privacy';
import {
  auditEventsContaining,
  auditEventsDuring,
  seedOrganisation,
  seedPartnership,
  seedUser,
  sql,
  StoredAuditEvent,
  tableCounts,
  tokenFor,
} from '@sillage/testing';
import { api, draftOrder, futureDate, issued, OrderJson, OrderWorld, createOrderWorld } from './order-support';

// Issuance runs in the worker: every order is awaited until its booklets are written.
jest.setTimeout(120_000);

/**
 * Distribution end to end: allocation, transfer and return of booklets, distributor stock, public
 * categories, hand-overs with a reporting profile and consented contact details in the vault, and
 * who may read what. The tests run in order and share one world: each section starts from the
 * booklets the previous ones moved (written down next to each section).
 */

/** Every table a movement or a hand-over may write; a refusal leaves all of them as they were. */
const TABLES = [
  'allocation_movement',
  'handover',
  'beneficiary_profile',
  'vault_person',
  'vault_record',
  'audit_event',
  'public_category',
] as const;

/** Planted personal data: none of it may ever appear in plain text outside the vault's sealed records. */
const SENTINEL = { name: 'Zephyrine Xqvorlak-Quillebeuf', email: 'zeph.xqvorlak.4417@example.org', phone: '+33 7 00 13 57 91' };
const NEEDLES = [SENTINEL.name, SENTINEL.email, SENTINEL.phone, 'Xqvorlak', 'Quillebeuf', 'zeph.xqvorlak', '700135791', '00 13 57 91'];

interface Problem {
  status: number;
  code: string;
  detail: string;
  field?: string;
  [key: string]: unknown;
}

interface Answer<T = unknown> {
  status: number;
  body: T;
  res: { headers: Record<string, unknown>; body: string };
}

interface MovedRange {
  orderId: string;
  fromSerial: string;
  toSerial: string;
  count: number;
}

interface Movement {
  id: string;
  kind: 'allocate' | 'transfer' | 'return';
  funderId: string;
  fromDistributorId: string | null;
  toDistributorId: string | null;
  bookletCount: number;
  ranges: MovedRange[];
  createdAt: string;
}

interface StockLine {
  funderId: string;
  orderId: string;
  orderReference: string;
  allocated: number;
  distributed: number;
  blocked: number;
  faceValueCents: number;
  validityEndDate: string;
  distributionEndsOn: string;
}

interface Stock {
  distributorId: string;
  allocated: number;
  distributed: number;
  lines: StockLine[];
}

interface Handover {
  id: string;
  bookletId: string;
  bookletSerial: string;
  orderId: string;
  distributorId: string;
  handedOn: string;
  beneficiaryId?: string;
  withContact?: boolean;
  returnedAt: string | null;
  returnReason: string | null;
  createdAt: string;
}

interface BookletRow {
  id: string;
  serial: string;
  number: number;
  state: string;
  holder: string | null;
  allocatedAt: Date | null;
  distributedAt: Date | null;
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

/** The 201 answer, or the failure with its body so a broken setup says why. */
function created<T>(r: Answer<T>): T {
  expect({ status: r.status, body: r.status === 201 ? 'ok' : r.body }).toEqual({ status: 201, body: 'ok' });
  return r.body;
}

describe('distribution: allocation, transfer, stock, public categories, hand-overs and personal data', () => {
  let w: OrderWorld;
  let today: string;
  let yesterday: string;
  let funderId: string;
  let otherFunderId: string;
  /** Partners of the funder: A and B; A is also a partner of the other funder. C partners only the other funder. */
  let distA: string;
  let distB: string;
  let distC: string;
  let tok: { a: string; agentA: string; b: string; agentB: string; c: string; site: string };
  let agentAId: string;
  /** Orders created in this sequence (so "oldest first" has unpaid and stopped orders to skip):
   *  unpaid (confirmed, 2 booklets), stopped (window started, 2), o1 (6), o2 (6), o5 (2), and the other funder's of1 (3). */
  const o: Record<'unpaid' | 'stopped' | 'o1' | 'o2' | 'o5' | 'of1', OrderJson> = {} as never;
  /** Serials per order, by booklet number (1-based). */
  const s: Record<keyof typeof o, string[]> = {} as never;

  const post = <T = Record<string, unknown>>(url: string, token: string, body: object = {}) =>
    api<T>(w.t, 'POST', url, token, body) as Promise<Answer<T>>;
  const get = <T = Record<string, unknown>>(url: string, token: string) => api<T>(w.t, 'GET', url, token) as Promise<Answer<T>>;
  const move = (token: string, body: object) => post<Movement>('/v1/allocations', token, body);
  const stockOf = (distributorId: string, token: string) => get<Stock>(`/v1/distributors/${distributorId}/stock`, token);
  const range = (order: keyof typeof o, from: number, to = from) => ({ fromSerial: s[order][from], toSerial: s[order][to] });
  const handOver = (token: string, body: object) => post<Handover>('/v1/handovers', token, body);
  const profile = (over: object = {}) => ({ ageBand: '26_44', communeCode: '35238', publicCategoryCode: 'job_seeker', ...over });
  const consent = () => ({ purpose: 'reminders', givenOn: today, textVersion: 'consent-2026-01' });

  async function bookletsOf(orderId: string): Promise<BookletRow[]> {
    return sql<BookletRow>(
      w.t,
      `SELECT id, serial, number, state, holder_distributor_id AS holder, allocated_at AS "allocatedAt", distributed_at AS "distributedAt"
       FROM booklet WHERE order_id = $1 ORDER BY number`,
      [orderId],
    );
  }
  const booklet = async (order: keyof typeof o, n: number) => (await bookletsOf(o[order].id))[n - 1];
  /** Where each booklet of an order is: "STATE@holder" by number. */
  const whereAre = async (order: keyof typeof o) =>
    (await bookletsOf(o[order].id)).map((b) => `${b.state}@${b.holder === distA ? 'A' : b.holder === distB ? 'B' : (b.holder ?? '-')}`);

  /** Row counts of the distribution tables and every booklet's state, holder, block and dates. */
  async function snapshot() {
    return {
      counts: await tableCounts(w.t, TABLES),
      booklets: await sql(
        w.t,
        `SELECT id, state, holder_distributor_id, blocked_at, allocated_at, distributed_at FROM booklet ORDER BY id`,
      ),
    };
  }

  /** Runs a request that must be refused with this problem, and checks it wrote nothing at all. */
  async function refused(request: () => Promise<Answer>, status: number, code: string, field?: string): Promise<Problem> {
    const before = await snapshot();
    const r = await request();
    const problem = expectProblem(r, status, code, field);
    expect(await snapshot()).toEqual(before);
    return problem;
  }

  /** Stock lines reduced to what a reader compares: order → allocated/distributed/blocked. */
  const linesOf = (stock: Stock) =>
    Object.fromEntries(stock.lines.map((l) => [l.orderId, { allocated: l.allocated, distributed: l.distributed, blocked: l.blocked }]));

  /** Confirms (and pays, unless told not to) a draft, waiting for its booklets. */
  async function confirmAndPay(order: OrderJson, token: string, pay = true): Promise<OrderJson> {
    const confirmed = await post<OrderJson>(`/v1/purchase-orders/${order.id}/confirm`, token);
    if (confirmed.status !== 200) throw new Error(`confirm failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
    const done = await issued(w, order.id);
    if (!pay) return done;
    const paid = await post<{ order: OrderJson }>(`/v1/purchase-orders/${order.id}/payments`, w.tokens.opFinance, {
      reference: `VIR-${order.id.slice(0, 8)}`,
      paidOn: today,
      amountCents: confirmed.body.amountDueCents,
    });
    if (paid.status !== 200) throw new Error(`payment failed: ${paid.status} ${JSON.stringify(paid.body)}`);
    return paid.body.order;
  }

  beforeAll(async () => {
    w = await createOrderWorld({ LOG_LEVEL: 'warn' });
    today = parisDate(new Date());
    yesterday = parisDate(new Date(Date.now() - 86_400_000));
    funderId = w.funderId;
    otherFunderId = w.otherFunderId;
    const a = await seedOrganisation(w.t, { kinds: ['distributor'] });
    const b = await seedOrganisation(w.t, { kinds: ['distributor'] });
    const c = await seedOrganisation(w.t, { kinds: ['distributor'] });
    const site = await seedOrganisation(w.t, { kinds: ['site'] });
    [distA, distB, distC] = [a.id, b.id, c.id];
    await seedPartnership(w.t, { id: funderId }, a);
    await seedPartnership(w.t, { id: funderId }, b);
    await seedPartnership(w.t, { id: otherFunderId }, a);
    await seedPartnership(w.t, { id: otherFunderId }, c);
    const agentA = await seedUser(w.t, a, { role: 'agent' });
    agentAId = agentA.id;
    tok = {
      a: tokenFor(w.t, await seedUser(w.t, a, { role: 'admin' })),
      agentA: tokenFor(w.t, agentA),
      b: tokenFor(w.t, await seedUser(w.t, b, { role: 'admin' })),
      agentB: tokenFor(w.t, await seedUser(w.t, b, { role: 'agent' })),
      c: tokenFor(w.t, await seedUser(w.t, c, { role: 'admin' })),
      site: tokenFor(w.t, await seedUser(w.t, site, { role: 'admin' })),
    };

    // Drafts one after the other: creation order is the "oldest first" order of allocation by count.
    const drafts = {
      unpaid: await draftOrder(w, { bookletCount: 2 }),
      // validity ends in 5 days, distribution stops 30 days before: the window started 25 days ago
      stopped: await draftOrder(w, { bookletCount: 2, validityEndDate: futureDate(5), stopDistributionDays: 30 }),
      o1: await draftOrder(w, { bookletCount: 6 }),
      o2: await draftOrder(w, { bookletCount: 6 }),
      o5: await draftOrder(w, { bookletCount: 2, validityEndDate: futureDate(60) }),
      of1: await draftOrder(w, { bookletCount: 3 }, w.tokens.otherFunder),
    };
    const done = await Promise.all(
      (Object.keys(drafts) as (keyof typeof o)[]).map(async (k) => {
        const token = k === 'of1' ? w.tokens.otherFunder : w.tokens.funder;
        return [k, await confirmAndPay(drafts[k], token, k !== 'unpaid')] as const;
      }),
    );
    for (const [k, order] of done) {
      o[k] = order;
      s[k] = [''].concat((await bookletsOf(order.id)).map((b) => b.serial));
    }
    expect(o.unpaid.status).toBe('confirmed');
    // The other funder's first booklets are at distributor A, so A's stock mixes two funders.
    created(await move(w.tokens.otherFunder, { toDistributorId: distA, count: 2 }));
  });

  afterAll(async () => {
    await w?.close();
  });

  describe('allocation by the funder', () => {
    it('by count: the oldest paid orders first, skipping unpaid and stopped ones; one audit event per serial range', async () => {
      const { result: r, events } = await auditEventsDuring(w.t, () => move(w.tokens.funder, { toDistributorId: distA, count: 8 }));
      const m = created(r);
      expect(m).toMatchObject({ kind: 'allocate', funderId, fromDistributorId: null, toDistributorId: distA, bookletCount: 8 });
      const expected = [
        { orderId: o.o1.id, fromSerial: s.o1[1], toSerial: s.o1[6], count: 6 },
        { orderId: o.o2.id, fromSerial: s.o2[1], toSerial: s.o2[2], count: 2 },
      ];
      expect(m.ranges).toHaveLength(2);
      expect(m.ranges).toEqual(expect.arrayContaining(expected));

      expect(await whereAre('o1')).toEqual(Array(6).fill('ALLOCATED@A'));
      expect(await whereAre('o2')).toEqual(['ALLOCATED@A', 'ALLOCATED@A', 'CREATED@-', 'CREATED@-', 'CREATED@-', 'CREATED@-']);
      for (const k of ['unpaid', 'stopped', 'o5'] as const) expect(await whereAre(k)).toEqual(['CREATED@-', 'CREATED@-']);
      expect((await booklet('o1', 1)).allocatedAt).not.toBeNull();

      const allocated = events.filter((e) => e.action === 'booklets.allocated');
      expect(allocated).toHaveLength(2);
      expect(events).toHaveLength(2);
      const subjects = allocated.map((e) => (e.subject as StoredAuditEvent['subject'] & { range: unknown }).range);
      expect(subjects).toEqual(expect.arrayContaining(expected.map((x) => ({ from: x.fromSerial, to: x.toSerial, count: x.count }))));
      for (const e of allocated) {
        expect(e.subject.type).toBe('booklet');
        expect(e.facts).toMatchObject({ movementId: m.id, funderId, toDistributorId: distA });
      }
      expect(allocated.map((e) => e.facts.orderId).sort()).toEqual([o.o1.id, o.o2.id].sort());
    });

    it('by serial ranges: the answer gives the islands of the booklets moved (adjacent ranges merge, gaps split)', async () => {
      const { result: r, events } = await auditEventsDuring(w.t, () =>
        move(w.tokens.funder, { toDistributorId: distB, ranges: [range('o2', 3), range('o2', 4), range('o2', 6)] }),
      );
      const m = created(r);
      expect(m).toMatchObject({ kind: 'allocate', toDistributorId: distB, bookletCount: 3 });
      expect(m.ranges).toEqual([
        { orderId: o.o2.id, fromSerial: s.o2[3], toSerial: s.o2[4], count: 2 },
        { orderId: o.o2.id, fromSerial: s.o2[6], toSerial: s.o2[6], count: 1 },
      ]);
      expect(await whereAre('o2')).toEqual(['ALLOCATED@A', 'ALLOCATED@A', 'ALLOCATED@B', 'ALLOCATED@B', 'CREATED@-', 'ALLOCATED@B']);
      // one event per range, written in the same millisecond: compared in serial order
      const bySerial = [...events].sort((a, b) =>
        String((a.subject as { range?: { from: string } }).range?.from).localeCompare(
          String((b.subject as { range?: { from: string } }).range?.from),
        ),
      );
      expect(bySerial.map((e) => [e.action, (e.subject as { range?: unknown }).range])).toEqual([
        ['booklets.allocated', { from: s.o2[3], to: s.o2[4], count: 2 }],
        ['booklets.allocated', { from: s.o2[6], to: s.o2[6], count: 1 }],
      ]);
    });

    it('the movements are listed to the funder, and to each distributor only those it received', async () => {
      const funderList = await get<{ items: Movement[] }>('/v1/allocations', w.tokens.funder);
      expect(funderList.status).toBe(200);
      expect(funderList.body.items.map((m) => [m.kind, m.toDistributorId, m.bookletCount])).toEqual([
        ['allocate', distA, 8],
        ['allocate', distB, 3],
      ]);
      const bList = await get<{ items: Movement[] }>('/v1/allocations', tok.b);
      expect(bList.body.items.map((m) => [m.funderId, m.toDistributorId, m.bookletCount])).toEqual([[funderId, distB, 3]]);
      const otherList = await get<{ items: Movement[] }>('/v1/allocations', w.tokens.otherFunder);
      expect(otherList.body.items.map((m) => [m.funderId, m.toDistributorId, m.bookletCount])).toEqual([[otherFunderId, distA, 2]]);
    });

    it('to a distributor the funder has no partnership with: 400 NOT_PARTNERED, nothing written', async () => {
      await refused(() => move(w.tokens.funder, { toDistributorId: distC, count: 1 }), 400, 'NOT_PARTNERED', 'toDistributorId');
    });

    it('more than the funder can allocate: 409 NOT_ENOUGH_STOCK with how many are available, nothing written', async () => {
      // left: o2 #5 and o5 #1-2 (the unpaid and stopped orders do not count)
      const p = await refused(() => move(w.tokens.funder, { toDistributorId: distA, count: 4 }), 409, 'NOT_ENOUGH_STOCK', 'count');
      expect(p.available).toBe(3);
      const onlyO5 = await refused(
        () => move(w.tokens.funder, { toDistributorId: distA, count: 3, orderId: o.o5.id }),
        409,
        'NOT_ENOUGH_STOCK',
      );
      expect(onlyO5.available).toBe(2);
    });

    it('ranges holding unavailable booklets: 409 BOOKLETS_UNAVAILABLE listing each serial and why, nothing moved (all or nothing)', async () => {
      const blocked = await booklet('o2', 5);
      const block = await post(`/v1/booklets/${blocked.id}/block`, w.tokens.funder, { reasonCode: 'lost' });
      expect(block.status).toBe(200);
      const stoppedOn = (
        await sql<{ d: string }>(
          w.t,
          `SELECT to_char(validity_end_date - stop_distribution_days, 'YYYY-MM-DD') AS d FROM purchase_order WHERE id = $1`,
          [o.stopped.id],
        )
      )[0].d;
      expect(stoppedOn < today).toBe(true);
      const cases = [
        { range: range('o1', 1), reason: /already allocated/ },
        { range: range('o2', 5), reason: /blocked \(lost\)/ },
        { range: range('unpaid', 1), reason: /confirmed, not paid/ },
        { range: range('stopped', 1), reason: new RegExp(`distribution stopped on ${stoppedOn}`) },
        { range: range('of1', 3), reason: /not a booklet of this funder/ },
      ];
      // one request with a movable booklet first: refused whole, each problem named
      const p = await refused(
        () => move(w.tokens.funder, { toDistributorId: distA, ranges: [range('o5', 1), ...cases.map((c) => c.range)] }),
        409,
        'BOOKLETS_UNAVAILABLE',
        'ranges',
      );
      expect(p.unavailable).toBe(5);
      expect(p.problems).toEqual(cases.map((c) => ({ serial: c.range.fromSerial, reason: expect.stringMatching(c.reason) })));
      expect(await whereAre('o5')).toEqual(['CREATED@-', 'CREATED@-']);
      // and each reason on its own
      for (const c of cases) {
        const one = await refused(
          () => move(w.tokens.funder, { toDistributorId: distA, ranges: [c.range] }),
          409,
          'BOOKLETS_UNAVAILABLE',
          'ranges',
        );
        expect(one.problems).toEqual([{ serial: c.range.fromSerial, reason: expect.stringMatching(c.reason) }]);
      }
    });

    it('a range across two orders, reversed, with an unknown serial, or overlapping another: 400 RANGE_INVALID, nothing written', async () => {
      const to = distA;
      await refused(
        () => move(w.tokens.funder, { toDistributorId: to, ranges: [{ fromSerial: s.o1[6], toSerial: s.o2[5] }] }),
        400,
        'RANGE_INVALID',
        'ranges.0',
      );
      await refused(
        () => move(w.tokens.funder, { toDistributorId: to, ranges: [range('o5', 1), { fromSerial: s.o5[2], toSerial: s.o5[1] }] }),
        400,
        'RANGE_INVALID',
        'ranges.1',
      );
      await refused(
        () => move(w.tokens.funder, { toDistributorId: to, ranges: [{ fromSerial: s.o5[1], toSerial: 'SLG-2099-999999' }] }),
        400,
        'RANGE_INVALID',
        'ranges.0',
      );
      await refused(
        () => move(w.tokens.funder, { toDistributorId: to, ranges: [range('o5', 1, 2), range('o5', 2)] }),
        400,
        'RANGE_INVALID',
        'ranges',
      );
    });

    it('both count and ranges, or neither: 400 ALLOCATION_EMPTY, nothing written', async () => {
      await refused(() => move(w.tokens.funder, { toDistributorId: distA, count: 1, ranges: [range('o5', 1)] }), 400, 'ALLOCATION_EMPTY');
      await refused(() => move(w.tokens.funder, { toDistributorId: distA }), 400, 'ALLOCATION_EMPTY');
    });

    it('a distributor cannot allocate (404: the funder’s booklets are not its own), a funder viewer may not (403)', async () => {
      await refused(() => move(tok.a, { toDistributorId: distA, count: 1 }), 404, 'NOT_FOUND');
      await refused(() => move(tok.a, { toDistributorId: distA, count: 1, funderId }), 404, 'NOT_FOUND');
      await refused(() => move(w.tokens.funderViewer, { toDistributorId: distA, count: 1 }), 403, 'FORBIDDEN');
    });
  });

  describe('transfer, return and stock', () => {
    // Now: A holds o1 #1-6, o2 #1-2 and of1 #1-2; B holds o2 #3, #4, #6; o2 #5 is blocked.

    it('stock: the distributor sees its own, a partner funder only its lines, another funder and distributor 404, the operator all', async () => {
      const own = await stockOf(distA, tok.agentA);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ distributorId: distA, allocated: 10, distributed: 0 });
      expect(linesOf(own.body)).toEqual({
        [o.o1.id]: { allocated: 6, distributed: 0, blocked: 0 },
        [o.o2.id]: { allocated: 2, distributed: 0, blocked: 0 },
        [o.of1.id]: { allocated: 2, distributed: 0, blocked: 0 },
      });
      const o1Line = own.body.lines.find((l) => l.orderId === o.o1.id)!;
      expect(o1Line).toMatchObject({ funderId, orderReference: o.o1.reference, validityEndDate: o.o1.validityEndDate });

      const funderView = await stockOf(distA, w.tokens.funderViewer);
      expect(funderView.status).toBe(200);
      expect(funderView.body.allocated).toBe(8);
      expect(Object.keys(linesOf(funderView.body)).sort()).toEqual([o.o1.id, o.o2.id].sort());
      const otherView = await stockOf(distA, w.tokens.otherFunder);
      expect(otherView.body.allocated).toBe(2);
      expect(Object.keys(linesOf(otherView.body))).toEqual([o.of1.id]);

      expectProblem(await stockOf(distB, w.tokens.otherFunder), 404, 'NOT_FOUND');
      expectProblem(await stockOf(distA, tok.b), 404, 'NOT_FOUND');
      expectProblem(await stockOf(distA, tok.site), 404, 'NOT_FOUND');

      const operator = await stockOf(distA, w.tokens.op);
      expect(operator.body.allocated).toBe(10);
      expect(operator.body.lines).toHaveLength(3);
      expect(linesOf((await stockOf(distB, tok.b)).body)).toEqual({ [o.o2.id]: { allocated: 3, distributed: 0, blocked: 0 } });
    });

    it('transfer by the giving distributor (oldest first), then by the funder (ranges): both stocks follow', async () => {
      const { result: r, events } = await auditEventsDuring(w.t, () =>
        move(tok.agentA, { kind: 'transfer', funderId, fromDistributorId: distA, toDistributorId: distB, count: 2 }),
      );
      const m = created(r);
      expect(m).toMatchObject({ kind: 'transfer', funderId, fromDistributorId: distA, toDistributorId: distB, bookletCount: 2 });
      expect(m.ranges).toEqual([{ orderId: o.o1.id, fromSerial: s.o1[1], toSerial: s.o1[2], count: 2 }]);
      expect(events.map((e) => [e.action, (e.subject as { range?: unknown }).range])).toEqual([
        ['booklets.transferred', { from: s.o1[1], to: s.o1[2], count: 2 }],
      ]);

      const byFunder = created(
        await move(w.tokens.funder, { kind: 'transfer', fromDistributorId: distA, toDistributorId: distB, ranges: [range('o1', 3)] }),
      );
      expect(byFunder.ranges).toEqual([{ orderId: o.o1.id, fromSerial: s.o1[3], toSerial: s.o1[3], count: 1 }]);

      expect(await whereAre('o1')).toEqual(['ALLOCATED@B', 'ALLOCATED@B', 'ALLOCATED@B', 'ALLOCATED@A', 'ALLOCATED@A', 'ALLOCATED@A']);
      const a = await stockOf(distA, tok.a);
      expect(a.body.allocated).toBe(7);
      expect(linesOf(a.body)[o.o1.id]).toEqual({ allocated: 3, distributed: 0, blocked: 0 });
      const b = await stockOf(distB, tok.b);
      expect(b.body.allocated).toBe(6);
      expect(linesOf(b.body)).toEqual({
        [o.o1.id]: { allocated: 3, distributed: 0, blocked: 0 },
        [o.o2.id]: { allocated: 3, distributed: 0, blocked: 0 },
      });
    });

    it('transfer refusals: of another distributor’s stock (404), to a non-partner (NOT_PARTNERED), of booklets it does not hold', async () => {
      await refused(
        () => move(tok.b, { kind: 'transfer', funderId, fromDistributorId: distA, toDistributorId: distB, count: 1 }),
        404,
        'NOT_FOUND',
      );
      await refused(
        () => move(w.tokens.funder, { kind: 'transfer', fromDistributorId: distA, toDistributorId: distC, count: 1 }),
        400,
        'NOT_PARTNERED',
        'toDistributorId',
      );
      const p = await refused(
        () => move(tok.a, { kind: 'transfer', funderId, fromDistributorId: distA, toDistributorId: distB, ranges: [range('o1', 1)] }),
        409,
        'BOOKLETS_UNAVAILABLE',
      );
      expect(p.problems).toEqual([{ serial: s.o1[1], reason: expect.stringMatching(/held by another distributor/) }]);
      const tooMany = await refused(
        () => move(tok.a, { kind: 'transfer', funderId, fromDistributorId: distA, toDistributorId: distB, count: 6 }),
        409,
        'NOT_ENOUGH_STOCK',
      );
      expect(tooMany.available).toBe(5);
    });

    it('return to the funder, by the distributor and by the funder: booklets back to CREATED, without holder', async () => {
      const { result: r, events } = await auditEventsDuring(w.t, () =>
        move(tok.agentB, { kind: 'return', funderId, fromDistributorId: distB, ranges: [range('o1', 1)] }),
      );
      expect(created(r)).toMatchObject({ kind: 'return', fromDistributorId: distB, toDistributorId: null, bookletCount: 1 });
      expect(events.map((e) => [e.action, (e.subject as { range?: unknown }).range])).toEqual([
        ['booklets.returned', { from: s.o1[1], to: s.o1[1], count: 1 }],
      ]);
      const byFunder = created(await move(w.tokens.funder, { kind: 'return', fromDistributorId: distB, count: 1 }));
      expect(byFunder.ranges).toEqual([{ orderId: o.o1.id, fromSerial: s.o1[2], toSerial: s.o1[2], count: 1 }]);

      expect(await whereAre('o1')).toEqual(['CREATED@-', 'CREATED@-', 'ALLOCATED@B', 'ALLOCATED@A', 'ALLOCATED@A', 'ALLOCATED@A']);
      expect((await booklet('o1', 1)).allocatedAt).toBeNull();
      const b = await stockOf(distB, tok.b);
      expect(b.body.allocated).toBe(4);
      expect(linesOf(b.body)[o.o1.id]).toEqual({ allocated: 1, distributed: 0, blocked: 0 });
      // a return names no receiver
      await refused(
        () => move(w.tokens.funder, { kind: 'return', fromDistributorId: distB, toDistributorId: distA, count: 1 }),
        400,
        'NOT_PARTNERED',
        'toDistributorId',
      );
    });
  });

  describe('public categories', () => {
    const ordinary = [
      { code: 'job_seeker', labelFr: 'Demandeur d’emploi', labelEn: 'Job seeker' },
      { code: 'senior', labelFr: 'Senior', labelEn: 'Senior' },
      { code: 'qpv', labelFr: 'Quartier prioritaire de la politique de la ville', labelEn: 'Priority urban neighbourhood' },
      { code: 'illettrisme', labelFr: 'Illettrisme', labelEn: 'Illiteracy' },
    ];

    it('a funder adds ordinary categories; it and its partner distributors read them, nobody else', async () => {
      for (const c of ordinary) {
        expect(created(await post('/v1/public-categories', w.tokens.funder, c))).toEqual({ funderId, ...c, active: true });
      }
      const codes = ordinary.map((c) => c.code).sort();
      const own = await get<{ items: { code: string }[] }>('/v1/public-categories', w.tokens.funderViewer);
      expect(own.body.items.map((c) => c.code)).toEqual(codes);
      const partner = await get<{ items: { code: string }[] }>(`/v1/public-categories?funderId=${funderId}`, tok.agentA);
      expect(partner.body.items.map((c) => c.code)).toEqual(codes);
      expect((await get<{ items: unknown[] }>(`/v1/public-categories?funderId=${funderId}`, tok.c)).body.items).toEqual([]);
      expect((await get<{ items: unknown[] }>(`/v1/public-categories?funderId=${funderId}`, w.tokens.otherFunder)).body.items).toEqual([]);
      // the other funder's own list, used below for a category of the wrong funder
      created(await post('/v1/public-categories', w.tokens.otherFunder, { code: 'other_only', labelFr: 'Étudiant', labelEn: 'Student' }));
    });

    it.each([
      { code: 'cat_people', labelFr: 'Personnes handicapées', labelEn: 'People' },
      { code: 'cat_chronic', labelFr: 'Malades chroniques', labelEn: 'People' },
      { code: 'cat_benefit', labelFr: 'Bénéficiaires AAH', labelEn: 'Benefit recipients' },
      { code: 'sante', labelFr: 'Accès aux droits', labelEn: 'Access to rights' },
      { code: 'cat_english', labelFr: 'Public prioritaire', labelEn: 'Disabled people' },
    ])('special category $labelFr / $labelEn / $code: 400 CATEGORY_FORBIDDEN, nothing written', async (c) => {
      const p = await refused(() => post('/v1/public-categories', w.tokens.funder, c), 400, 'CATEGORY_FORBIDDEN');
      expect(p.detail).toMatch(/special category|health|disability/);
    });

    // Synonyms of the stems already refused (handicap, grossesse, VIH…): each names a disability or health condition.
    // Neutral codes, so only the label can be the reason.
    it.each([
      ['s1', 'Personnes malvoyantes'],
      ['s2', 'Personnes sourdes ou malentendantes'],
      ['s3', 'Travailleurs RQTH'],
      ['s4', 'Femmes enceintes'],
      ['s5', 'Personnes séropositives'],
    ])('a label naming a disability or a health condition in other words (%s, “%s”): 400 CATEGORY_FORBIDDEN', async (code, labelFr) => {
      await refused(
        () => post('/v1/public-categories', w.tokens.funder, { code: `cat_${code}`, labelFr, labelEn: 'People' }),
        400,
        'CATEGORY_FORBIDDEN',
      );
    });

    it('a code the funder already has: 409 CATEGORY_TAKEN; a distributor cannot add one (404), a viewer may not (403)', async () => {
      await refused(
        () => post('/v1/public-categories', w.tokens.funder, { code: 'senior', labelFr: 'Plus de 60 ans', labelEn: 'Over 60' }),
        409,
        'CATEGORY_TAKEN',
        'code',
      );
      const c = { code: 'young', labelFr: 'Jeune', labelEn: 'Young' };
      await refused(() => post('/v1/public-categories', tok.a, c), 404, 'NOT_FOUND');
      await refused(() => post('/v1/public-categories', w.tokens.funderViewer, c), 403, 'FORBIDDEN');
    });
  });

  describe('hand-overs', () => {
    // Now: A holds o1 #4-6, o2 #1-2, of1 #1-2; B holds o1 #3, o2 #3, #4, #6; o1 #1-2 are back at the funder.
    let first: Handover;
    let withContact: Handover;

    it('an agent hands a booklet of its stock over with a reporting profile: 201, booklet DISTRIBUTED, audited without the person', async () => {
      const { result: r, events } = await auditEventsDuring(w.t, () =>
        handOver(tok.agentA, { bookletSerial: s.o1[4], profile: profile() }),
      );
      first = created(r);
      const b = await booklet('o1', 4);
      expect(first).toMatchObject({
        bookletId: b.id,
        bookletSerial: s.o1[4],
        orderId: o.o1.id,
        distributorId: distA,
        handedOn: today,
        beneficiaryId: expect.any(String),
        withContact: false,
        returnedAt: null,
      });
      expect(b).toMatchObject({ state: 'DISTRIBUTED', holder: distA, distributedAt: expect.any(Date) });
      const rows = await sql(
        w.t,
        `SELECT bp.funder_id, bp.distributor_id, bp.age_band, bp.commune_code, bp.public_category_code,
                bp.person_pseudonym ~ '^[0-9a-f]{64}$' AS pseudonymous, h.agent_id, to_char(h.handed_on, 'YYYY-MM-DD') AS handed_on,
                (SELECT count(*)::int FROM vault_record vr JOIN vault_person vp USING (vault_id) WHERE vp.pseudonym = bp.person_pseudonym) AS records
         FROM handover h JOIN beneficiary_profile bp ON bp.id = h.profile_id WHERE h.id = $1`,
        [first.id],
      );
      expect(rows).toEqual([
        {
          funder_id: funderId,
          distributor_id: distA,
          age_band: '26_44',
          commune_code: '35238',
          public_category_code: 'job_seeker',
          pseudonymous: true,
          agent_id: agentAId,
          handed_on: today,
          records: 0,
        },
      ]);
      expect(events.map((e) => [e.action, e.subject.id])).toEqual([['booklet.handed_over', b.id]]);
      // a booklet state: the vouchers are not rewritten one by one
      expect(await sql(w.t, `SELECT DISTINCT status FROM voucher WHERE booklet_id = $1`, [b.id])).toEqual([{ status: 'ACTIVE' }]);
    });

    it('with contact and consent: sealed in the vault; the planted name, email and phone appear in no table, no column, no audit event', async () => {
      const r = await handOver(tok.agentA, {
        bookletSerial: s.o1[5],
        profile: profile({ ageBand: '60_74', publicCategoryCode: 'senior' }),
        contact: SENTINEL,
        consent: consent(),
      });
      withContact = created(r);
      expect(withContact).toMatchObject({ bookletSerial: s.o1[5], withContact: true });
      for (const n of NEEDLES) expect(r.res.body.toLowerCase()).not.toContain(n.toLowerCase());

      const pseudonym = (
        await sql<{ p: string }>(w.t, `SELECT person_pseudonym AS p FROM beneficiary_profile WHERE id = $1`, [withContact.beneficiaryId])
      )[0].p;
      const records = await sql(
        w.t,
        `SELECT vr.field, vr.consent_purpose, to_char(vr.consent_given_on, 'YYYY-MM-DD') AS given_on, vr.consent_text_version
         FROM vault_record vr JOIN vault_person vp USING (vault_id) WHERE vp.pseudonym = $1`,
        [pseudonym],
      );
      expect(records).toEqual([
        { field: 'contact', consent_purpose: 'reminders', given_on: today, consent_text_version: 'consent-2026-01' },
      ]);
      // the sealed record opens to what the agent typed: the data is kept, only encrypted
      const opened = await w.t.app.get(VaultService).records(w.t.app.get(TransactionRunner).manager, pseudonym);
      expect(opened.records.contact.record).toEqual(SENTINEL);

      const tables = await publicTables();
      expect(tables).toEqual(expect.arrayContaining(['vault_record', 'vault_person', 'beneficiary_profile', 'handover', 'audit_event']));
      expect(await plainTextHits(tables, NEEDLES)).toEqual([]);
      for (const n of NEEDLES) expect(await auditEventsContaining(w.t, n)).toBe(0);
      // the same search does find what is stored in plain text (so an empty result means something)
      expect(await plainTextHits(tables, [s.o1[5]])).toEqual(expect.arrayContaining([expect.stringMatching(/^booklet\b/)]));
      expect(await plainTextHits(tables, [withContact.bookletId])).toEqual(expect.arrayContaining(['audit_event.canonical (bytea)']));
    });

    it('contact without consent: 400 CONSENT_REQUIRED, nothing written', async () => {
      await refused(
        () => handOver(tok.agentA, { bookletSerial: s.o1[6], profile: profile(), contact: { email: SENTINEL.email } }),
        400,
        'CONSENT_REQUIRED',
        'consent',
      );
    });

    it('bad profile: invalid INSEE code, unknown category, another funder’s category, unknown age band → 400, nothing written', async () => {
      const p = await refused(
        () => handOver(tok.agentA, { bookletSerial: s.o1[6], profile: profile({ communeCode: '75000' }) }),
        400,
        'VALIDATION_FAILED',
        'profile.communeCode',
      );
      expect(p.detail).toMatch(/profile\.communeCode/);
      await refused(
        () => handOver(tok.agentA, { bookletSerial: s.o1[6], profile: profile({ publicCategoryCode: 'astronaut' }) }),
        400,
        'CATEGORY_UNKNOWN',
        'profile.publicCategoryCode',
      );
      // job_seeker is the funder's, not the other funder's whose booklet this is
      await refused(
        () => handOver(tok.agentA, { bookletSerial: s.of1[1], profile: profile({ publicCategoryCode: 'job_seeker' }) }),
        400,
        'CATEGORY_UNKNOWN',
        'profile.publicCategoryCode',
      );
      await refused(
        () => handOver(tok.agentA, { bookletSerial: s.o1[6], profile: profile({ ageBand: 'under_12' }) }),
        400,
        'VALIDATION_FAILED',
        'profile.ageBand',
      );
    });

    it('a booklet not in the agent’s stock (held by B, back at the funder, unknown, blocked): 409 BOOKLET_NOT_IN_STOCK', async () => {
      for (const serial of [s.o1[3], s.o1[1], 'SLG-2099-999999']) {
        await refused(
          () => handOver(tok.agentA, { bookletSerial: serial, profile: profile() }),
          409,
          'BOOKLET_NOT_IN_STOCK',
          'bookletSerial',
        );
      }
      // another distributor's agent, for a booklet A handed over
      await refused(() => handOver(tok.agentB, { bookletSerial: s.o1[4], profile: profile() }), 409, 'BOOKLET_NOT_IN_STOCK');
      const blocked = await booklet('o2', 2);
      expect((await post(`/v1/booklets/${blocked.id}/block`, w.tokens.funder, { reasonCode: 'stolen' })).status).toBe(200);
      await refused(() => handOver(tok.agentA, { bookletSerial: s.o2[2], profile: profile() }), 409, 'BOOKLET_NOT_IN_STOCK');
    });

    it('twice the same booklet: 409 ALREADY_HANDED_OVER; nor can a handed-over booklet be allocated again', async () => {
      await refused(() => handOver(tok.agentA, { bookletSerial: s.o1[4], profile: profile() }), 409, 'ALREADY_HANDED_OVER');
      const p = await refused(
        () => move(w.tokens.funder, { kind: 'transfer', fromDistributorId: distA, toDistributorId: distB, ranges: [range('o1', 4)] }),
        409,
        'BOOKLETS_UNAVAILABLE',
      );
      expect(p.problems).toEqual([{ serial: s.o1[4], reason: expect.stringMatching(/handed over/) }]);
    });

    it('dated in the future: 4xx naming handedOn, nothing written', async () => {
      const before = await snapshot();
      const r = await handOver(tok.agentA, { bookletSerial: s.o1[6], handedOn: futureDate(3), profile: profile() });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((r.body as unknown as Problem).field).toBe('handedOn');
      expect(await snapshot()).toEqual(before);
    });

    it('inside the stop-distribution window: 409 DISTRIBUTION_STOPPED with the date it stopped, nothing written', async () => {
      const m = created(await move(w.tokens.funder, { toDistributorId: distA, count: 1, orderId: o.o5.id }));
      expect(m.ranges).toEqual([{ orderId: o.o5.id, fromSerial: s.o5[1], toSerial: s.o5[1], count: 1 }]);
      // Time passes: the order's last distribution day is now yesterday.
      await sql(w.t, `UPDATE purchase_order SET stop_distribution_days = (validity_end_date - $2::date) + 1 WHERE id = $1`, [
        o.o5.id,
        today,
      ]);
      const line = (await stockOf(distA, tok.a)).body.lines.find((l) => l.orderId === o.o5.id)!;
      expect(line.distributionEndsOn).toBe(yesterday);
      const p = await refused(
        () => handOver(tok.agentA, { bookletSerial: s.o5[1], profile: profile() }),
        409,
        'DISTRIBUTION_STOPPED',
        'handedOn',
      );
      expect(p.distributionEndedOn).toBe(yesterday);
      expect(p.detail).toContain(yesterday);
    });

    it('a return puts the booklet back in stock (audited), it can be handed over again; a second return is refused', async () => {
      const { result: r, events } = await auditEventsDuring(w.t, () =>
        post<Handover>(`/v1/handovers/${first.id}/return`, tok.agentA, { reasonCode: 'recorded_in_error' }),
      );
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: first.id, returnedAt: expect.any(String), returnReason: 'recorded_in_error' });
      expect(await booklet('o1', 4)).toMatchObject({ state: 'ALLOCATED', holder: distA, distributedAt: null });
      expect(events.map((e) => [e.action, e.subject.id, e.reason])).toEqual([
        ['booklet.handover_returned', first.bookletId, 'recorded_in_error'],
      ]);

      const again = created(await handOver(tok.agentA, { bookletSerial: s.o1[4], profile: profile({ ageBand: '18_25' }) }));
      expect(again.id).not.toBe(first.id);
      expect((await booklet('o1', 4)).state).toBe('DISTRIBUTED');

      await refused(() => post(`/v1/handovers/${first.id}/return`, tok.agentA, { reasonCode: 'other' }), 409, 'HANDOVER_NOT_RETURNABLE');
      await refused(() => post(`/v1/handovers/${withContact.id}/return`, tok.agentB, { reasonCode: 'other' }), 404, 'NOT_FOUND');
      await refused(() => post(`/v1/handovers/${withContact.id}/return`, w.tokens.funder, { reasonCode: 'other' }), 404, 'NOT_FOUND');
    });

    it('lists: the distributor sees its beneficiary ids, the funder its orders’ hand-overs without them, others nothing', async () => {
      const mine = await get<{ items: Handover[] }>('/v1/handovers', tok.agentA);
      expect(mine.status).toBe(200);
      expect(mine.body.items).toHaveLength(3);
      for (const h of mine.body.items)
        expect(h).toEqual(expect.objectContaining({ beneficiaryId: expect.any(String), withContact: expect.any(Boolean) }));
      expect(mine.body.items.find((h) => h.id === withContact.id)).toMatchObject({
        beneficiaryId: withContact.beneficiaryId,
        withContact: true,
      });
      expect(mine.body.items.find((h) => h.id === first.id)?.returnedAt).toEqual(expect.any(String));
      const ids = mine.body.items.map((h) => h.id).sort();

      for (const token of [w.tokens.funder, w.tokens.funderViewer]) {
        const theirs = await get<{ items: Handover[] }>('/v1/handovers', token);
        expect(theirs.status).toBe(200);
        expect(theirs.body.items.map((h) => h.id).sort()).toEqual(ids);
        for (const h of theirs.body.items) {
          expect(h).not.toHaveProperty('beneficiaryId');
          expect(h).not.toHaveProperty('withContact');
        }
      }
      expect((await get<{ items: Handover[] }>('/v1/handovers', w.tokens.otherFunder)).body.items).toEqual([]);
      expect((await get<{ items: Handover[] }>('/v1/handovers', tok.b)).body.items).toEqual([]);
      expectProblem(await get('/v1/handovers', tok.site), 404, 'NOT_FOUND');

      // One booklet's hand-overs, the cancelled one included; the newest first, page by page.
      const returned = await get<{ items: Handover[] }>(`/v1/handovers?bookletSerial=${first.bookletSerial}`, tok.agentA);
      expect(returned.body.items.map((h) => h.id)).toContain(first.id);
      expect(returned.body.items.every((h) => h.bookletSerial === first.bookletSerial)).toBe(true);
      expect((await get<{ items: Handover[] }>(`/v1/handovers?bookletSerial=${first.bookletSerial}`, tok.b)).body.items).toEqual([]);
      expectProblem(await get('/v1/handovers?bookletSerial=SLG-nope', tok.agentA), 400, 'VALIDATION_FAILED');
      expectProblem(await get('/v1/handovers?order=random', tok.agentA), 400, 'VALIDATION_FAILED');
      const oldestFirst = mine.body.items.map((h) => h.id);
      const newest = await get<{ items: Handover[]; nextCursor: string | null }>('/v1/handovers?order=newest&limit=2', tok.agentA);
      const rest = await get<{ items: Handover[] }>(`/v1/handovers?order=newest&limit=2&cursor=${newest.body.nextCursor}`, tok.agentA);
      expect([...newest.body.items, ...rest.body.items].map((h) => h.id)).toEqual([...oldestFirst].reverse());

      const a = await stockOf(distA, tok.a);
      expect(linesOf(a.body)[o.o1.id]).toEqual({ allocated: 1, distributed: 2, blocked: 0 });
      expect(linesOf(a.body)[o.o2.id]).toEqual({ allocated: 2, distributed: 0, blocked: 1 });
      expect(a.body.distributed).toBe(2);
    });
  });

  describe('at the same time', () => {
    // Now: A holds o1 #6 (not handed over); o1 #1-2 are the funder's only allocatable booklets.

    it('two agents handing the same booklet over at once: one 201, one 409 ALREADY_HANDED_OVER, one hand-over written', async () => {
      const before = await tableCounts(w.t, TABLES);
      const answers = await Promise.all([
        handOver(tok.agentA, { bookletSerial: s.o1[6], profile: profile() }),
        handOver(tok.a, { bookletSerial: s.o1[6], profile: profile({ ageBand: '45_59' }) }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expectProblem(
        answers.find((r) => r.status === 409)!,
        409,
        'ALREADY_HANDED_OVER',
      );
      const after = await tableCounts(w.t, TABLES);
      expect({
        handover: after.handover - before.handover,
        beneficiary_profile: after.beneficiary_profile - before.beneficiary_profile,
        vault_person: after.vault_person - before.vault_person,
        audit_event: after.audit_event - before.audit_event,
      }).toEqual({ handover: 1, beneficiary_profile: 1, vault_person: 1, audit_event: 1 });
    });

    it('two allocations by count at once never move a booklet twice: the second gets what is left', async () => {
      const answers = await Promise.all([
        move(w.tokens.funder, { toDistributorId: distA, count: 2 }),
        move(w.tokens.funder, { toDistributorId: distB, count: 2 }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      const ok = answers.find((r) => r.status === 201)!.body;
      expect(ok.ranges).toEqual([{ orderId: o.o1.id, fromSerial: s.o1[1], toSerial: s.o1[2], count: 2 }]);
      expect(
        expectProblem(
          answers.find((r) => r.status === 409)!,
          409,
          'NOT_ENOUGH_STOCK',
        ).available,
      ).toBe(0);
      const holder = ok.toDistributorId === distA ? 'A' : 'B';
      expect((await whereAre('o1')).slice(0, 2)).toEqual([`ALLOCATED@${holder}`, `ALLOCATED@${holder}`]);
    });
  });

  describe('sites and funders never read beneficiary personal data', () => {
    it('every GET route they can call under /v1/handovers, /v1/distributors/{id}/stock and /v1/allocations', async () => {
      const people = await sql<{ id: string; pseudonym: string | null }>(
        w.t,
        `SELECT id, person_pseudonym AS pseudonym FROM beneficiary_profile`,
      );
      expect(people.length).toBeGreaterThanOrEqual(3);
      // the hand-over with contact details, found by its booklet
      const liveHandover = (
        await sql<{ id: string }>(
          w.t,
          `SELECT h.id FROM handover h JOIN booklet b ON b.id = h.booklet_id WHERE b.serial = $1 AND h.returned_at IS NULL`,
          [s.o1[5]],
        )
      )[0].id;
      const secrets = [...NEEDLES, ...people.map((p) => p.id), ...people.flatMap((p) => (p.pseudonym ? [p.pseudonym] : []))];
      const routes = [
        '/v1/handovers',
        `/v1/handovers?orderId=${o.o1.id}`,
        `/v1/handovers?orderId=${o.of1.id}`,
        `/v1/distributors/${distA}/stock`,
        `/v1/distributors/${distB}/stock`,
        '/v1/allocations',
        `/v1/allocations?distributorId=${distA}`,
        `/v1/allocations?funderId=${funderId}`,
        `/v1/allocations?kind=allocate`,
      ];
      const readers = { site: tok.site, funder: w.tokens.funder, funderViewer: w.tokens.funderViewer, otherFunder: w.tokens.otherFunder };
      let funderSawHandovers = false;
      for (const [who, token] of Object.entries(readers)) {
        for (const url of routes) {
          const r = await get(url, token);
          // sites have no such routes; the other funder has no partnership with B
          const expected = who === 'site' || (who === 'otherFunder' && url.includes(distB)) ? 404 : 200;
          expect({ who, url, status: r.status }).toEqual({ who, url, status: expected });
          const text = r.res.body.toLowerCase();
          for (const secret of secrets)
            expect({ who, url, leaks: text.includes(secret.toLowerCase()) ? secret : null }).toEqual({ who, url, leaks: null });
          if (who === 'funder' && url === '/v1/handovers') funderSawHandovers = text.includes(liveHandover);
        }
      }
      // the funder's hand-over list is not empty: the check above read real hand-overs
      expect(funderSawHandovers).toBe(true);
    });
  });

  describe('hand-over dates', () => {
    // Last in the file: while the refusal is missing, the hand-over it writes would change the counts above.
    it('dated before its order was even placed: 4xx naming handedOn, nothing written (else the stop window is dodged by backdating)', async () => {
      expect(o.o2.orderedOn).toBeDefined();
      expect(String(o.o2.orderedOn) > '2020-01-01').toBe(true);
      const before = await snapshot();
      const r = await handOver(tok.agentA, { bookletSerial: s.o2[1], handedOn: '2020-01-01', profile: profile() });
      expect({ status: r.status, field: (r.body as unknown as Problem).field }).toEqual({ status: expect.any(Number), field: 'handedOn' });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(await snapshot()).toEqual(before);
    });
  });

  async function publicTables(): Promise<string[]> {
    return (
      await sql<{ t: string }>(
        w.t,
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      )
    ).map((r) => r.t);
  }

  /**
   * Where any needle appears in plain text: every row of every table as text (case-insensitive), and
   * every bytea column byte-wise (a row's text shows bytea in hex, which would hide plain bytes).
   */
  async function plainTextHits(tables: string[], needles: string[]): Promise<string[]> {
    const hits: string[] = [];
    // one statement for the whole dump (each `sql` call opens a connection)
    const rows = await sql<{ t: string; row: string }>(
      w.t,
      tables.map((table) => `SELECT '${table}' AS t, x::text AS row FROM "${table}" x`).join(' UNION ALL '),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const { t, row } of rows) {
      const text = row.toLowerCase();
      for (const n of needles) if (text.includes(n.toLowerCase())) hits.push(`${t}: ${n}`);
    }
    const byteaColumns = await sql<{ t: string; c: string }>(
      w.t,
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'bytea'`,
    );
    expect(byteaColumns).toEqual(
      expect.arrayContaining([
        { t: 'vault_record', c: 'sealed' },
        { t: 'audit_event', c: 'canonical' },
      ]),
    );
    const variants = [...new Set(needles.flatMap((n) => [n, n.toLowerCase()]))];
    const found = await sql<{ t: string; c: string }>(
      w.t,
      byteaColumns
        .map(
          ({ t, c }) =>
            `SELECT '${t}' AS t, '${c}' AS c FROM "${t}" WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) v WHERE position(convert_to(v, 'UTF8') IN "${c}") > 0)`,
        )
        .join(' UNION ALL '),
      [variants],
    );
    for (const { t, c } of found) hits.push(`${t}.${c} (bytea)`);
    return hits;
  }
});
