import { randomUUID } from 'node:crypto';
import { parisDate } from '@sillage/common';
import { sql, tableCounts } from '@sillage/testing';
import { api } from './order-support';
import {
  addDays,
  createRedemptionWorld,
  handOver,
  qualifiedSite,
  RedemptionWorld,
  stockedOrder,
  TestSite,
  voucherCodes,
} from './redemption-support';

jest.setTimeout(180_000);

interface Incident {
  id: string;
  siteId: string;
  idempotencyKey: string;
  reasonCode: string;
  bookletSerial: string | null;
  orderId: string | null;
  voucherSerials: string[];
  amountCents: number;
  serviceCategoryCode: string;
  occurredAt: string;
  recordedAt: string;
  status: string;
  resolutionReason: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  statementId: string | null;
}
interface Page {
  items: Incident[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  detail: string;
  field?: string;
}

const DAY = 86400_000;

describe('redemption incidents: seen by their site and the operator, resolved once by the operator', () => {
  let w: RedemptionWorld;
  let other: TestSite;
  let orderId: string;
  /** The site's three incidents (8-day-old scans of 1, 2 and 3 vouchers) and the other site's one. */
  let mine: Incident[];
  let theirs: Incident;

  /** Syncs one 8-day-old scan of `count` vouchers of a fresh booklet: an OFFLINE_WINDOW_EXCEEDED incident. */
  const lateScan = async (site: TestSite, booklet: string, count: number): Promise<Incident> => {
    const vouchers = [];
    for (let i = 1; i <= count; i++) vouchers.push({ code: (await voucherCodes(w.t, booklet, i)).code });
    const res = await w.t.inject({
      method: 'POST',
      url: '/v1/redemptions/batch',
      headers: { authorization: `Bearer ${site.agent}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        items: [
          {
            idempotencyKey: `late-${randomUUID()}`,
            vouchers,
            serviceCategoryCode: 'atelier-collectif',
            occurredAt: new Date(Date.now() - 8 * DAY).toISOString(),
          },
        ],
      }),
    });
    const item = res.json().items[0];
    if (item.outcome !== 'incident') throw new Error(`expected an incident: ${JSON.stringify(item)}`);
    return item.incident as Incident;
  };

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const stocked = await stockedOrder(w, { bookletCount: 6, vouchersPerBooklet: 4, faceValueCents: 1500 });
    orderId = stocked.order.id;
    for (const s of stocked.serials) await handOver(w, s);
    other = await qualifiedSite(w.t);
    mine = [];
    for (const [i, n] of [1, 2, 3].entries()) mine.push(await lateScan(w.site, stocked.serials[i], n));
    theirs = await lateScan(other, stocked.serials[3], 1);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('lists a site’s own incidents, and all of them to the operator, with filters and pages', async () => {
    const list = async (token: string, query = '') => api<Page>(w.t, 'GET', `/v1/incidents${query}`, token);
    const ids = (p: { body: Page }) => p.body.items.map((i) => i.id);
    expect(ids(await list(w.site.agent))).toEqual(mine.map((i) => i.id));
    expect(ids(await list(other.admin))).toEqual([theirs.id]);
    // a site cannot widen its scope by naming another site
    expect(ids(await list(w.site.admin, `?siteId=${other.id}`))).toEqual([]);
    expect(ids(await list(w.tokens.op))).toEqual([...mine, theirs].map((i) => i.id));
    expect(ids(await list(w.tokens.op, `?siteId=${other.id}`))).toEqual([theirs.id]);
    expect(ids(await list(w.tokens.op, '?status=open'))).toHaveLength(4);
    expect(ids(await list(w.tokens.op, '?status=accepted'))).toEqual([]);
    const today = parisDate(new Date());
    expect(ids(await list(w.tokens.op, `?from=${today}&to=${today}`))).toHaveLength(4);
    expect(ids(await list(w.tokens.op, `?from=${addDays(today, 1)}`))).toEqual([]);
    expect(ids(await list(w.tokens.op, `?to=${addDays(today, -1)}`))).toEqual([]);
    // pages
    const first = await list(w.site.agent, '?limit=2');
    expect(ids(first)).toEqual([mine[0].id, mine[1].id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(w.site.agent, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(ids(second)).toEqual([mine[2].id]);
    expect(second.body.nextCursor).toBeNull();
    // what a site sees of one: its scan, the vouchers and what it claims
    expect(mine[2]).toMatchObject({
      siteId: w.site.id,
      reasonCode: 'OFFLINE_WINDOW_EXCEEDED',
      orderId,
      amountCents: 4500,
      serviceCategoryCode: 'atelier-collectif',
      status: 'open',
      resolutionReason: null,
      resolvedBy: null,
      resolvedAt: null,
      statementId: null,
    });
    expect(mine[2].voucherSerials).toHaveLength(3);
    // bad queries
    for (const q of ['?status=closed', '?siteId=abc', '?from=2026-13-01', '?cursor=not-a-cursor', '?limit=0', '?colour=red']) {
      const r = await list(w.tokens.op, q);
      expect({ q, status: r.status }).toEqual({ q, status: 400 });
      expect(r.res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    // funders and distributors have no incidents to see
    expect((await list(w.tokens.funder)).status).toBe(404);
    expect((await list(w.distributorAgent)).status).toBe(404);
  });

  it('shows one incident to its site and the operator only', async () => {
    const get = (token: string, id: string) => api<Incident>(w.t, 'GET', `/v1/incidents/${id}`, token);
    expect((await get(w.site.agent, mine[0].id)).body).toEqual(mine[0]);
    expect((await get(w.tokens.op, theirs.id)).body).toEqual(theirs);
    const hidden = await get(w.site.agent, theirs.id);
    expect(hidden.status).toBe(404);
    expect((hidden.body as unknown as Problem).code).toBe('NOT_FOUND');
    expect((await get(w.tokens.funder, mine[0].id)).status).toBe(404);
    expect((await get(w.tokens.op, randomUUID())).status).toBe(404);
    expect((await get(w.tokens.op, 'not-an-id')).status).toBe(404);
  });

  it('is resolved by an operator admin, accepted or rejected with a reason code, audited, and only once', async () => {
    const resolve = (token: string, id: string, body: object) =>
      api<Incident & Problem>(w.t, 'POST', `/v1/incidents/${id}/resolve`, token, body);
    const written = ['redemption_incident', 'audit_event'] as const;
    const before = await tableCounts(w.t, written);
    const expectProblem = async (token: string, id: string, body: object, status: number, code: string) => {
      const r = await resolve(token, id, body);
      expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
      expect(r.res.headers['content-type']).toMatch(/application\/problem\+json/);
    };
    const ok = { decision: 'accepted', reasonCode: 'service_delivered' };
    await expectProblem(w.tokens.op, mine[0].id, { decision: 'maybe', reasonCode: 'service_delivered' }, 400, 'VALIDATION_FAILED');
    await expectProblem(w.tokens.op, mine[0].id, { decision: 'accepted' }, 400, 'VALIDATION_FAILED');
    await expectProblem(w.tokens.op, mine[0].id, { decision: 'accepted', reasonCode: 'because' }, 400, 'VALIDATION_FAILED');
    // a reason must fit the decision
    await expectProblem(w.tokens.op, mine[0].id, { decision: 'accepted', reasonCode: 'fraud_suspected' }, 400, 'VALIDATION_FAILED');
    await expectProblem(w.tokens.op, mine[0].id, { ...ok, comment: 'x' }, 400, 'VALIDATION_FAILED');
    await expectProblem(w.tokens.op, randomUUID(), ok, 404, 'NOT_FOUND');
    // only the operator's admins
    await expectProblem(w.tokens.opFinance, mine[0].id, ok, 403, 'FORBIDDEN');
    expect((await resolve(w.site.admin, mine[0].id, ok)).status).toBe(404);
    expect((await resolve(w.tokens.funder, mine[0].id, ok)).status).toBe(404);
    expect(await tableCounts(w.t, written)).toEqual(before);
    const open = await sql<{ status: string }>(w.t, `SELECT status FROM redemption_incident WHERE id = $1`, [mine[0].id]);
    expect(open).toEqual([{ status: 'open' }]);

    // its voucher can still be redeemed (the scan came too late): paying the incident would pay it twice
    await expectProblem(w.tokens.op, mine[0].id, ok, 409, 'INCIDENT_VOUCHERS_USABLE');
    expect(await tableCounts(w.t, written)).toEqual(before);
    for (const serial of mine[0].voucherSerials) {
      expect((await api(w.t, 'POST', `/v1/vouchers/${serial}/block`, w.tokens.op, { reasonCode: 'other' })).status).toBe(200);
    }
    const accepted = await resolve(w.tokens.op, mine[0].id, ok);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      id: mine[0].id,
      status: 'accepted',
      resolutionReason: 'service_delivered',
      resolvedBy: expect.stringMatching(/^[0-9a-f-]{36}$/),
      resolvedAt: expect.any(String),
      // paid by a correction line on the site's next statement (settlement sets it)
      statementId: null,
    });
    const events = async (id: string) =>
      sql<{ action: string; reason_code: string; actor_id: string; actor_organisation_id: string; canonical: string }>(
        w.t,
        `SELECT action, reason_code, actor_id, actor_organisation_id, canonical FROM audit_event
         WHERE subject_type = 'redemption_incident' AND subject_id = $1 ORDER BY recorded_at`,
        [id],
      );
    const acceptedEvents = await events(mine[0].id);
    expect(acceptedEvents.map((e) => e.action)).toEqual(['redemption.incident_recorded', 'redemption.incident_accepted']);
    expect(acceptedEvents[1]).toMatchObject({
      reason_code: 'service_delivered',
      actor_id: accepted.body.resolvedBy,
      actor_organisation_id: w.operatorId,
    });
    expect(JSON.parse(acceptedEvents[1].canonical).facts).toEqual({ siteId: w.site.id, orderId, amountCents: 1500 });
    // the site sees the decision
    expect((await api<Incident>(w.t, 'GET', `/v1/incidents/${mine[0].id}`, w.site.agent)).body).toEqual(accepted.body);

    // once resolved, never again: neither the other decision nor the same one
    const afterAccept = await tableCounts(w.t, written);
    await expectProblem(w.tokens.op, mine[0].id, { decision: 'rejected', reasonCode: 'duplicate_scan' }, 409, 'INCIDENT_ALREADY_RESOLVED');
    await expectProblem(w.tokens.op, mine[0].id, ok, 409, 'INCIDENT_ALREADY_RESOLVED');
    expect(await tableCounts(w.t, written)).toEqual(afterAccept);
    expect((await api<Incident>(w.t, 'GET', `/v1/incidents/${mine[0].id}`, w.tokens.op)).body.status).toBe('accepted');

    const rejected = await resolve(w.tokens.op, mine[1].id, { decision: 'rejected', reasonCode: 'late_sync_unjustified' });
    expect(rejected.body).toMatchObject({ status: 'rejected', resolutionReason: 'late_sync_unjustified' });
    const rejectedEvents = await events(mine[1].id);
    expect(rejectedEvents.map((e) => [e.action, e.reason_code])).toEqual([
      ['redemption.incident_recorded', 'OFFLINE_WINDOW_EXCEEDED'],
      ['redemption.incident_rejected', 'late_sync_unjustified'],
    ]);
    expect(JSON.parse(rejectedEvents[1].canonical).facts).toEqual({ siteId: w.site.id, orderId, amountCents: 3000 });

    // two operators deciding at once: one decision wins, the other is told
    const raced = await Promise.all([
      resolve(w.tokens.op, mine[2].id, ok),
      resolve(w.tokens.op, mine[2].id, { decision: 'rejected', reasonCode: 'service_not_delivered' }),
    ]);
    expect(raced.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await events(mine[2].id)).map((e) => e.action)).toHaveLength(2);

    // filters see the decisions; an incident never touched a voucher nor wrote a redemption
    const byStatus = async (status: string) =>
      (await api<Page>(w.t, 'GET', `/v1/incidents?status=${status}`, w.tokens.op)).body.items.map((i) => i.id);
    expect(await byStatus('open')).toEqual([theirs.id]);
    expect(await byStatus('rejected')).toContain(mine[1].id);
    const redemptions = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM redemption`);
    expect(redemptions).toEqual([{ n: 0 }]);
  });
});
