import { randomUUID } from 'node:crypto';
import { sql, tableCounts } from '@sillage/testing';
import { api } from './order-support';
import {
  createRedemptionWorld,
  handOver,
  qualifiedSite,
  redeem,
  RedemptionWorld,
  stockedOrder,
  TestSite,
  voucherCodes,
} from './redemption-support';

jest.setTimeout(180_000);

interface Redemption {
  id: string;
  siteId: string;
  bookletSerial: string;
  vouchers: { serial: string; amountCents: number }[];
  amountCents: number;
  channel: string;
}
interface Incident {
  id: string;
  siteId: string;
  idempotencyKey: string;
  reasonCode: string;
  bookletSerial: string | null;
  orderId: string | null;
  voucherSerials: string[];
  amountCents: number;
  status: string;
  statementId: string | null;
}
interface ItemResult {
  idempotencyKey: string;
  outcome: 'redeemed' | 'incident' | 'refused';
  redemption?: Redemption;
  incident?: Incident;
  problem?: { code: string; detail: string; field?: string };
}
interface BatchResult {
  items: ItemResult[];
  summary: { redeemed: number; incidents: number; refused: number };
}
interface Problem {
  code: string;
  detail: string;
  status: number;
  field?: string;
}

const WRITTEN = ['redemption', 'redemption_line', 'redemption_incident', 'ledger_transfer', 'audit_event', 'outbox_message'] as const;
const DAY = 86400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const key = () => `scan-${randomUUID()}`;

async function postBatch<T = BatchResult>(w: RedemptionWorld, token: string, body: unknown) {
  const res = await w.t.inject({
    method: 'POST',
    url: '/v1/redemptions/batch',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json<T>(), res };
}

describe('offline batches: each scan on its own; late or conflicting scans become incidents', () => {
  let w: RedemptionWorld;
  let serials: string[];
  let orderId: string;
  let next = 0;
  let elsewhere: TestSite;
  const freshBooklet = async () => {
    const s = serials[next++];
    await handOver(w, s);
    return s;
  };

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const stocked = await stockedOrder(w, { bookletCount: 20, vouchersPerBooklet: 4, faceValueCents: 1000 });
    serials = stocked.serials;
    orderId = stocked.order.id;
    elsewhere = await qualifiedSite(w.t);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('answers per item, in request order: redeemed, incidents (already redeemed elsewhere, 8 days old, expired), refused; and re-sending changes nothing', async () => {
    const [a, b, c, d] = [await freshBooklet(), await freshBooklet(), await freshBooklet(), await freshBooklet()];
    const a1 = await voucherCodes(w.t, a, 1);
    const a2 = await voucherCodes(w.t, a, 2);
    const b1 = await voucherCodes(w.t, b, 1);
    const c1 = await voucherCodes(w.t, c, 1);
    const c2 = await voucherCodes(w.t, c, 2);
    const d1 = await voucherCodes(w.t, d, 1);
    // b1 was redeemed online at another site before the offline scanner synced
    expect((await redeem(w.t, elsewhere.agent, { vouchers: [{ code: b1.code }] })).status).toBe(201);
    // d1 expired (the daily expiry moved it) before the sync
    await sql(w.t, `UPDATE voucher SET status = 'EXPIRED' WHERE booklet_id = (SELECT id FROM booklet WHERE serial = $1) AND idx = 1`, [d]);
    const base = { serviceCategoryCode: 'atelier-collectif' };
    const items = [
      { ...base, idempotencyKey: key(), vouchers: [{ qrToken: a1.qrToken }, { code: a2.code }], occurredAt: ago(2 * DAY) },
      { ...base, idempotencyKey: key(), vouchers: [{ qrToken: b1.qrToken }], occurredAt: ago(DAY) },
      { ...base, idempotencyKey: key(), vouchers: [{ code: c1.code }, { code: c2.code }], occurredAt: ago(8 * DAY) },
      { ...base, idempotencyKey: key(), vouchers: [{ code: '000000000000' }], occurredAt: ago(DAY) },
      { ...base, idempotencyKey: key(), vouchers: [{ code: d1.code }], occurredAt: ago(3 * DAY) },
      // the same voucher scanned twice by the scanner: the second scan lost to the first (item 0)
      { ...base, idempotencyKey: key(), vouchers: [{ code: a1.code }], occurredAt: ago(2 * DAY - 60_000) },
      // a scan dated in the future is a clock problem, not a late scan
      { ...base, idempotencyKey: key(), vouchers: [{ code: c1.code }], occurredAt: new Date(Date.now() + 3 * 3600_000).toISOString() },
      // one malformed scan does not refuse the batch
      { idempotencyKey: key(), vouchers: [{ code: c1.code }], occurredAt: ago(DAY), serviceCategoryCode: 'Atelier collectif' },
      { ...base, idempotencyKey: key(), vouchers: [{ code: c1.code }], occurredAt: ago(DAY), comment: 'not a field' },
    ];
    const before = await tableCounts(w.t, WRITTEN);
    const r = await postBatch(w, w.site.agent, { items });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i) => [i.idempotencyKey, i.outcome, i.problem?.code])).toEqual([
      [items[0].idempotencyKey, 'redeemed', undefined],
      [items[1].idempotencyKey, 'incident', 'ALREADY_REDEEMED'],
      [items[2].idempotencyKey, 'incident', 'OFFLINE_WINDOW_EXCEEDED'],
      [items[3].idempotencyKey, 'refused', 'UNKNOWN_CODE'],
      [items[4].idempotencyKey, 'incident', 'EXPIRED'],
      [items[5].idempotencyKey, 'incident', 'ALREADY_REDEEMED'],
      [items[6].idempotencyKey, 'refused', 'OFFLINE_WINDOW_EXCEEDED'],
      [items[7].idempotencyKey, 'refused', 'VALIDATION_FAILED'],
      [items[8].idempotencyKey, 'refused', 'VALIDATION_FAILED'],
    ]);
    expect(r.body.summary).toEqual({ redeemed: 1, incidents: 4, refused: 4 });
    expect(r.body.items[7].problem).toMatchObject({ field: 'serviceCategoryCode' });
    expect(r.body.items[8].problem?.detail).toContain('comment is not an accepted field');
    // the redemption is a normal one, recorded by the batch channel
    expect(r.body.items[0].redemption).toMatchObject({ siteId: w.site.id, bookletSerial: a, amountCents: 2000, channel: 'batch' });
    // incidents: the scan's vouchers, booklet, order and claimed amount; never a redemption, no voucher moved
    const incident = (i: number) => r.body.items[i].incident!;
    expect(incident(1)).toMatchObject({
      siteId: w.site.id,
      reasonCode: 'ALREADY_REDEEMED',
      bookletSerial: b,
      orderId,
      voucherSerials: [b1.serial],
      amountCents: 1000,
      status: 'open',
      statementId: null,
    });
    expect(incident(2)).toMatchObject({ reasonCode: 'OFFLINE_WINDOW_EXCEEDED', voucherSerials: [c1.serial, c2.serial], amountCents: 2000 });
    expect(incident(4)).toMatchObject({ reasonCode: 'EXPIRED', voucherSerials: [d1.serial], amountCents: 1000 });
    expect(incident(5)).toMatchObject({ reasonCode: 'ALREADY_REDEEMED', voucherSerials: [a1.serial] });
    const statuses = await sql<{ serial: string; status: string }>(
      w.t,
      `SELECT b.serial || '-' || lpad(v.idx::text, 2, '0') AS serial, v.status FROM voucher v JOIN booklet b ON b.id = v.booklet_id
       WHERE b.serial = ANY($1::text[]) AND v.idx IN (1, 2) ORDER BY 1`,
      [[a, b, c, d]],
    );
    expect(Object.fromEntries(statuses.map((s) => [s.serial, s.status]))).toEqual({
      [a1.serial]: 'REDEEMED',
      [a2.serial]: 'REDEEMED',
      [b1.serial]: 'REDEEMED',
      [`${b}-02`]: 'ACTIVE',
      [c1.serial]: 'ACTIVE',
      [c2.serial]: 'ACTIVE',
      [d1.serial]: 'EXPIRED',
      [`${d}-02`]: 'ACTIVE',
    });
    // written: one redemption (with its transfer, event and outbox row), four incidents each with its audit event
    const after = await tableCounts(w.t, WRITTEN);
    expect({
      redemption: after.redemption - before.redemption,
      redemption_incident: after.redemption_incident - before.redemption_incident,
      ledger_transfer: after.ledger_transfer - before.ledger_transfer,
      audit_event: after.audit_event - before.audit_event,
      outbox_message: after.outbox_message - before.outbox_message,
    }).toEqual({ redemption: 1, redemption_incident: 4, ledger_transfer: 1, audit_event: 5, outbox_message: 1 });
    const events = await sql<{ action: string; reason_code: string; canonical: string }>(
      w.t,
      `SELECT action, reason_code, canonical FROM audit_event WHERE subject_type = 'redemption_incident' AND subject_id = $1`,
      [incident(2).id],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'redemption.incident_recorded', reason_code: 'OFFLINE_WINDOW_EXCEEDED' });
    expect(JSON.parse(events[0].canonical).facts).toEqual({
      siteId: w.site.id,
      reasonCode: 'OFFLINE_WINDOW_EXCEEDED',
      orderId,
      vouchers: 2,
    });
    // the scanned codes are nowhere in what was stored or returned beyond the scanner's own request
    expect(JSON.stringify(r.body)).not.toContain(c1.code);

    // the scanner did not get the answer and sends the whole batch again: same answers, nothing written
    const again = await postBatch(w, w.site.agent, { items });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(r.body);
    expect(await tableCounts(w.t, WRITTEN)).toEqual(after);

    // even once the winning redemption elsewhere is undone, the recorded scan stays an incident (never redeemed later by a re-send)
    const winner = await sql<{ id: string }>(w.t, `SELECT id FROM redemption WHERE site_id = $1`, [elsewhere.id]);
    expect((await api(w.t, 'POST', `/v1/redemptions/${winner[0].id}/undo`, elsewhere.agent, { reasonCode: 'scan_error' })).status).toBe(
      200,
    );
    const undone = await tableCounts(w.t, WRITTEN);
    const third = await postBatch(w, w.site.agent, { items: [items[1]] });
    expect(third.body.items).toEqual([r.body.items[1]]);
    expect(await tableCounts(w.t, WRITTEN)).toEqual(undone);
  });

  it('refuses a key re-used for another scan, whether it named a redemption or an incident', async () => {
    const booklet = await freshBooklet();
    const [v1, v2, v3] = await Promise.all([1, 2, 3].map((i) => voucherCodes(w.t, booklet, i)));
    const redeemedKey = key();
    const incidentKey = key();
    const first = await postBatch(w, w.site.agent, {
      items: [
        { idempotencyKey: redeemedKey, vouchers: [{ code: v1.code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(DAY) },
        { idempotencyKey: incidentKey, vouchers: [{ code: v2.code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(9 * DAY) },
      ],
    });
    expect(first.body.items.map((i) => i.outcome)).toEqual(['redeemed', 'incident']);
    const before = await tableCounts(w.t, WRITTEN);
    const reused = await postBatch(w, w.site.agent, {
      items: [
        { idempotencyKey: redeemedKey, vouchers: [{ code: v3.code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(DAY) },
        { idempotencyKey: incidentKey, vouchers: [{ code: v3.code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(9 * DAY) },
      ],
    });
    expect(reused.status).toBe(200);
    expect(reused.body.items.map((i) => [i.outcome, i.problem?.code])).toEqual([
      ['refused', 'IDEMPOTENCY_KEY_REUSED'],
      ['refused', 'IDEMPOTENCY_KEY_REUSED'],
    ]);
    expect(await tableCounts(w.t, WRITTEN)).toEqual(before);
    // the key of another site is another key: keys are per site
    const v4 = await voucherCodes(w.t, booklet, 4);
    const other = await postBatch(w, elsewhere.agent, {
      items: [
        { idempotencyKey: redeemedKey, vouchers: [{ code: v4.code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(DAY) },
      ],
    });
    expect(other.body.items[0].outcome).toBe('redeemed');
  });

  it('refuses a malformed batch as a whole (problem+json) and writes nothing', async () => {
    const booklet = await freshBooklet();
    const v = await voucherCodes(w.t, booklet, 1);
    const good = { idempotencyKey: key(), vouchers: [{ code: v.code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(DAY) };
    const before = await tableCounts(w.t, WRITTEN);
    const expectRefused = async (body: unknown, field: string, token = w.site.agent) => {
      const r = await postBatch<Problem>(w, token, body);
      expect({ status: r.status, code: r.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(r.res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body.field).toBe(field);
      return r.body;
    };
    const tooMany = await expectRefused({ items: Array.from({ length: 501 }, () => ({ ...good, idempotencyKey: key() })) }, 'items');
    expect(tooMany.detail).toContain('at most 500');
    await expectRefused({ items: good }, 'items');
    await expectRefused({ items: [] }, 'items');
    await expectRefused({}, 'items');
    await expectRefused({ items: [good, 'scan'] }, 'items');
    await expectRefused({ items: [good], extra: true }, 'extra');
    // an item without its key: its result could not be matched, so the whole batch is refused (the good item too)
    const noKey = await expectRefused({ items: [good, { ...good, idempotencyKey: undefined }] }, 'items.1.idempotencyKey');
    expect(noKey.detail).toContain('items.1.idempotencyKey');
    await expectRefused({ items: [good, { ...good, idempotencyKey: 'short' }] }, 'items.1.idempotencyKey');
    const notJson = await w.t.inject({
      method: 'POST',
      url: '/v1/redemptions/batch',
      headers: { authorization: `Bearer ${w.site.agent}`, 'content-type': 'application/json' },
      payload: '{"items": [',
    });
    expect(notJson.statusCode).toBe(400);
    expect(await tableCounts(w.t, WRITTEN)).toEqual(before);
    // only a site's admins, agents and devices may sync; anyone else does not see the route or may not use it
    expect((await postBatch<Problem>(w, w.tokens.op, { items: [good] })).status).toBe(404);
    expect((await postBatch<Problem>(w, w.tokens.funder, { items: [good] })).status).toBe(404);
    expect((await postBatch<Problem>(w, w.distributorAgent, { items: [good] })).status).toBe(404);
    expect(await tableCounts(w.t, WRITTEN)).toEqual(before);
    // and the good scan still redeems once sent properly, by a site admin
    const ok = await postBatch(w, w.site.admin, { items: [good] });
    expect(ok.body.items[0].outcome).toBe('redeemed');
  });

  it('syncs a full batch of 500 scans', async () => {
    // 125 booklets of 4 vouchers: one scan per voucher
    const big = await stockedOrder(w, { bookletCount: 125, vouchersPerBooklet: 4, faceValueCents: 500 });
    for (const s of big.serials) await handOver(w, s);
    const items = [];
    for (const s of big.serials) {
      for (const idx of [1, 2, 3, 4]) {
        const v = await voucherCodes(w.t, s, idx);
        items.push({
          idempotencyKey: key(),
          vouchers: [{ qrToken: v.qrToken }],
          serviceCategoryCode: 'atelier-collectif',
          occurredAt: ago(DAY),
        });
      }
    }
    const started = Date.now();
    const r = await postBatch(w, w.site.agent, { items });
    expect(r.status).toBe(200);
    expect(r.body.summary).toEqual({ redeemed: 500, incidents: 0, refused: 0 });
    expect(r.body.items.map((i) => i.idempotencyKey)).toEqual(items.map((i) => i.idempotencyKey));
    expect(Date.now() - started).toBeLessThan(30_000);
    const n = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM redemption WHERE order_id = $1 AND channel = 'batch'`, [
      big.order.id,
    ]);
    expect(n).toEqual([{ n: 500 }]);
  });

  it('makes an incident only of a scan the site could have redeemed that day: a suspended or ineligible site gets a refusal', async () => {
    const booklet = await freshBooklet();
    const [v1, v2] = await Promise.all([1, 2].map((i) => voucherCodes(w.t, booklet, i)));
    // suspended before the sync: an old scan is refused, not an incident
    const suspended = await qualifiedSite(w.t);
    await sql(w.t, `UPDATE site_profile SET status = 'suspended' WHERE organisation_id = $1`, [suspended.id]);
    const late = await postBatch(w, suspended.agent, {
      items: [{ idempotencyKey: key(), vouchers: [{ code: v1.code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(8 * DAY) }],
    });
    expect(late.body.items.map((i) => [i.outcome, i.problem?.code])).toEqual([['refused', 'SITE_NOT_QUALIFIED']]);
    // a site outside the order's territory scanning a voucher redeemed elsewhere: SITE_NOT_ELIGIBLE, no incident
    const order = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 1, departmentCodes: ['69'] });
    await handOver(w, order.serials[0]);
    const code = (await voucherCodes(w.t, order.serials[0], 1)).code;
    expect((await redeem(w.t, w.site.agent, { vouchers: [{ code }] })).status).toBe(201);
    const outsider = await qualifiedSite(w.t, { communeCode: '35238' });
    const lost = await postBatch(w, outsider.agent, {
      items: [{ idempotencyKey: key(), vouchers: [{ code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(DAY) }],
    });
    expect(lost.body.items.map((i) => [i.outcome, i.problem?.code])).toEqual([['refused', 'SITE_NOT_ELIGIBLE']]);
    // the same old scan at the qualified site is an incident
    const ok = await postBatch(w, w.site.agent, {
      items: [{ idempotencyKey: key(), vouchers: [{ code: v2.code }], serviceCategoryCode: 'atelier-collectif', occurredAt: ago(8 * DAY) }],
    });
    expect(ok.body.items.map((i) => [i.outcome, i.incident?.reasonCode])).toEqual([['incident', 'OFFLINE_WINDOW_EXCEEDED']]);
    expect(
      await sql(w.t, `SELECT count(*)::int AS n FROM redemption_incident WHERE site_id = ANY($1::uuid[])`, [[suspended.id, outsider.id]]),
    ).toEqual([{ n: 0 }]);
  });
});
