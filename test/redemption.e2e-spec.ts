import { parisDate, uuidV7Time } from '@sillage/common';
import { randomUUID } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { seedApiKey, seedPartnership, seedUser, sql, tableCounts, tokenFor } from '@sillage/testing';
import { signVoucherToken } from '@sillage/issuance';
import { api, paidOrder } from './order-support';
import {
  addDays,
  createRedemptionWorld,
  handOver,
  qualifiedSite,
  redeem,
  RedemptionWorld,
  stockedOrder,
  voucherCodes,
} from './redemption-support';

jest.setTimeout(180_000);

interface Redemption {
  id: string;
  siteId: string;
  orderId: string;
  bookletSerial: string;
  vouchers: { serial: string; amountCents: number }[];
  amountCents: number;
  occurredAt: string;
  recordedAt: string;
  undoneAt: string | null;
}
interface Problem {
  code: string;
  detail: string;
  status: number;
}

const WRITTEN = ['redemption', 'redemption_line', 'ledger_transfer', 'audit_event', 'outbox_message'] as const;

describe('redemption: rules, reason codes, exactly once', () => {
  let w: RedemptionWorld;
  let serials: string[];
  let orderId: string;
  let next = 0;
  /** A fresh handed-over booklet of the main order. */
  const freshBooklet = async () => {
    const s = serials[next++];
    await handOver(w, s);
    return s;
  };

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const stocked = await stockedOrder(w, { bookletCount: 30, vouchersPerBooklet: 4, faceValueCents: 1000 });
    serials = stocked.serials;
    orderId = stocked.order.id;
  });
  afterAll(async () => {
    await w?.close();
  });

  it('redeems vouchers of one booklet by QR token and by human code, writing lines, a pending transfer, an audit event and an outbox row', async () => {
    const booklet = await freshBooklet();
    const a = await voucherCodes(w.t, booklet, 1);
    const b = await voucherCodes(w.t, booklet, 2);
    const r = await redeem<Redemption>(w.t, w.site.agent, {
      vouchers: [{ qrToken: a.qrToken }, { code: b.code.toLowerCase().replace(/(.{4})/g, '$1 ') }],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ siteId: w.site.id, orderId, bookletSerial: booklet, amountCents: 2000, undoneAt: null });
    expect(r.body.vouchers).toEqual([
      { serial: a.serial, amountCents: 1000 },
      { serial: b.serial, amountCents: 1000 },
    ]);
    const vouchers = await sql<{ idx: number; status: string }>(
      w.t,
      `SELECT v.idx, v.status FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE b.serial = $1 ORDER BY v.idx`,
      [booklet],
    );
    expect(vouchers.map((v) => v.status)).toEqual(['REDEEMED', 'REDEEMED', 'ACTIVE', 'ACTIVE']);
    const transfer = await sql<{ kind: string; amount: string; debit: string; credit: string }>(
      w.t,
      `SELECT t.kind, t.amount::text, d.kind AS debit, c.kind AS credit FROM ledger_transfer t
       JOIN ledger_account d ON d.id = t.debit_account_id JOIN ledger_account c ON c.id = t.credit_account_id WHERE t.id = $1`,
      [r.body.id],
    );
    expect(transfer).toEqual([{ kind: 'single', amount: '2000', debit: 'order_outstanding', credit: 'site_payable' }]);
    const audit = await sql<{ id: string; action: string; canonical: string }>(
      w.t,
      `SELECT id, action, canonical FROM audit_event WHERE subject_id = $1`,
      [r.body.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].action).toBe('redemption.recorded');
    // Time-ordered ids (ADR 21): the redemption's and its event's hold the instant it was recorded.
    expect(uuidV7Time(r.body.id)).toBe(Date.parse(r.body.recordedAt));
    expect(uuidV7Time(audit[0].id)).toBe(Date.parse(r.body.recordedAt));
    expect(JSON.parse(audit[0].canonical).facts).toMatchObject({ siteId: w.site.id, orderId, vouchers: 2, amountCents: 2000 });
    const outbox = await sql(w.t, `SELECT job_name FROM outbox_message WHERE job_id = $1`, [`voucher-redeemed:${r.body.id}`]);
    expect(outbox).toEqual([{ job_name: 'redemption.voucher-redeemed' }]);
    const read = await api<Redemption>(w.t, 'GET', `/v1/redemptions/${r.body.id}`, w.tokens.funder);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(r.body);
  });

  it('redeems nothing when one voucher of the request cannot be redeemed, and says which', async () => {
    const booklet = await freshBooklet();
    const [v1, v2, v3] = await Promise.all([1, 2, 3].map((i) => voucherCodes(w.t, booklet, i)));
    expect((await redeem(w.t, w.site.agent, { vouchers: [{ code: v2.code }] })).status).toBe(201);
    const before = await tableCounts(w.t, WRITTEN);
    const r = await redeem<Problem>(w.t, w.site.agent, { vouchers: [{ code: v1.code }, { code: v2.code }, { code: v3.code }] });
    expect(r.status).toBe(409);
    expect(r.res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body.code).toBe('ALREADY_REDEEMED');
    expect(r.body.detail).toContain(v2.serial);
    expect(r.body.detail).not.toContain(w.site.id);
    expect(await tableCounts(w.t, WRITTEN)).toEqual(before);
    const statuses = await sql<{ status: string }>(
      w.t,
      `SELECT v.status FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE b.serial = $1 AND v.idx IN (1, 3) ORDER BY v.idx`,
      [booklet],
    );
    expect(statuses.map((s) => s.status)).toEqual(['ACTIVE', 'ACTIVE']);
  });

  it('answers each refusal with its reason code, problem+json, and writes nothing', async () => {
    const booklet = await freshBooklet();
    const v = await voucherCodes(w.t, booklet, 1);
    const other = await freshBooklet();
    const o1 = await voucherCodes(w.t, other, 1);
    const before = await tableCounts(w.t, WRITTEN);
    const expectRefusal = async (body: Parameters<typeof redeem>[2], status: number, code: string, token = w.site.agent) => {
      const r = await redeem<Problem>(w.t, token, body);
      expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
      expect(r.res.headers['content-type']).toMatch(/application\/problem\+json/);
    };
    // a well-formed code nobody issued: its check character is right, the code is unknown
    await expectRefusal({ vouchers: [{ code: '000000000000' }] }, 404, 'UNKNOWN_CODE');
    await expectRefusal({ vouchers: [{ code: 'not-a-code' }] }, 400, 'VALIDATION_FAILED');
    await expectRefusal({ vouchers: [{ code: v.code, qrToken: v.qrToken }] }, 400, 'VALIDATION_FAILED');
    await expectRefusal({ vouchers: [] }, 400, 'VALIDATION_FAILED');
    await expectRefusal({ vouchers: [{ code: v.code }, { code: o1.code }] }, 422, 'MIXED_BOOKLETS');
    await expectRefusal({ vouchers: [{ code: v.code }, { qrToken: v.qrToken }] }, 422, 'DUPLICATE_VOUCHER');
    await expectRefusal({ vouchers: [{ code: v.code }], serviceCategoryCode: 'Atelier collectif' }, 400, 'VALIDATION_FAILED');
    for (const occurredAt of [
      'yesterday',
      '2026-11-28T10:30:00+01',
      '2026-W48-6T10:30:00Z',
      '2026-332T10:30:00Z',
      '2026-11-28T10:30:00,5Z',
      '2026-11-28T10:30:00',
      '2026-02-30T10:30:00Z',
    ]) {
      await expectRefusal({ vouchers: [{ code: v.code }], occurredAt }, 400, 'VALIDATION_FAILED');
    }
    await expectRefusal(
      { vouchers: [{ code: v.code }], occurredAt: new Date(Date.now() + 3600_000).toISOString() },
      422,
      'OFFLINE_WINDOW_EXCEEDED',
    );
    // forged (another key), altered (payload changed) and unknown-key tokens
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expectRefusal(
      { vouchers: [{ qrToken: signVoucherToken({ kid: 'voucher-test', privateKey }, { s: v.serial, v: 1000 }) }] },
      404,
      'UNKNOWN_CODE',
    );
    await expectRefusal(
      { vouchers: [{ qrToken: signVoucherToken({ kid: 'rogue', privateKey }, { s: v.serial, v: 1000 }) }] },
      404,
      'UNKNOWN_CODE',
    );
    const [h, , sig] = v.qrToken.split('.');
    const altered = Buffer.from(JSON.stringify({ s: o1.serial, v: 1000, aud: 'sillage:voucher' })).toString('base64url');
    await expectRefusal({ vouchers: [{ qrToken: `${h}.${altered}.${sig}` }] }, 404, 'UNKNOWN_CODE');
    // a category the order does not pay for is tested below; here a funder and a site viewer cannot redeem
    expect((await redeem(w.t, w.tokens.funder, { vouchers: [{ code: v.code }] })).status).toBe(404);
    const viewer = tokenFor(w.t, await seedUser(w.t, { id: w.site.id, kinds: ['site'] }, { role: 'viewer' }));
    expect((await redeem(w.t, viewer, { vouchers: [{ code: v.code }] })).status).toBe(403);
    // no Idempotency-Key
    const noKey = await w.t.inject({
      method: 'POST',
      url: '/v1/redemptions',
      headers: { authorization: `Bearer ${w.site.agent}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        vouchers: [{ code: v.code }],
        serviceCategoryCode: 'atelier-collectif',
        occurredAt: new Date().toISOString(),
      }),
    });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await tableCounts(w.t, WRITTEN)).toEqual(before);
  });

  it('refuses blocked, unpaid, undistributed, expired vouchers and ineligible sites, categories and self-redemption', async () => {
    const reason = async (token: string, codes: { code: string }[], over: object = {}) => {
      const r = await redeem<Problem>(w.t, token, { vouchers: codes, ...over });
      return `${r.status} ${r.body.code}`;
    };
    // blocked booklet
    const blocked = await freshBooklet();
    const bId = (await sql<{ id: string }>(w.t, `SELECT id FROM booklet WHERE serial = $1`, [blocked]))[0].id;
    expect((await api(w.t, 'POST', `/v1/booklets/${bId}/block`, w.tokens.funder, { reasonCode: 'lost' })).status).toBe(200);
    expect(await reason(w.site.agent, [{ code: (await voucherCodes(w.t, blocked, 1)).code }])).toBe('410 BLOCKED');
    // allocated, not handed over
    const stock = serials[next++];
    expect(await reason(w.site.agent, [{ code: (await voucherCodes(w.t, stock, 1)).code }])).toBe('409 NOT_DISTRIBUTED');
    // a confirmed order that is not paid
    const confirmed = await api<{ id: string }>(w.t, 'POST', '/v1/purchase-orders', w.tokens.funder, {
      bookletCount: 1,
      vouchersPerBooklet: 1,
      validityEndDate: addDays(parisDate(new Date()), 100),
    });
    await api(w.t, 'POST', `/v1/purchase-orders/${confirmed.body.id}/confirm`, w.tokens.funder);
    const unpaid = await eventuallySerial(w, confirmed.body.id);
    expect(await reason(w.site.agent, [{ code: (await voucherCodes(w.t, unpaid, 1)).code }])).toBe('409 NOT_ACTIVE');
    // order limited to Ille-et-Vilaine (35), site in Lyon (69)
    const ineligible = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 2, departmentCodes: ['35'] });
    await handOver(w, ineligible.serials[0]);
    expect(await reason(w.site.agent, [{ code: (await voucherCodes(w.t, ineligible.serials[0], 1)).code }])).toBe('403 SITE_NOT_ELIGIBLE');
    // an allow-list that names the site wins over the territory
    const listed = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 2, siteOrganisationIds: [w.site.id] });
    await handOver(w, listed.serials[0]);
    expect((await redeem(w.t, w.site.agent, { vouchers: [{ code: (await voucherCodes(w.t, listed.serials[0], 1)).code }] })).status).toBe(
      201,
    );
    // a category the order does not pay for
    const online = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 2, serviceCategoryCodes: ['aide-demarches'] });
    await handOver(w, online.serials[0]);
    const c = (await voucherCodes(w.t, online.serials[0], 1)).code;
    expect(await reason(w.site.agent, [{ code: c }])).toBe('422 CATEGORY_NOT_ALLOWED');
    expect(await reason(w.site.agent, [{ code: c }], { serviceCategoryCode: 'aide-demarches' })).toBe('201 undefined');
    // a site that is also a distributor cannot redeem a booklet it handed over itself
    const both = await qualifiedSite(w.t, { kinds: ['site', 'distributor'] });
    await seedPartnership(w.t, { id: w.funderId }, { id: both.id });
    const own = await paidOrder(w, { bookletCount: 1, vouchersPerBooklet: 2 });
    await api(w.t, 'POST', '/v1/allocations', w.tokens.funder, { toDistributorId: both.id, orderId: own.id, count: 1 });
    const ownSerial = (await sql<{ serial: string }>(w.t, `SELECT serial FROM booklet WHERE order_id = $1`, [own.id]))[0].serial;
    await handOver(w, ownSerial, both.agent);
    const ownCode = (await voucherCodes(w.t, ownSerial, 1)).code;
    expect(await reason(both.agent, [{ code: ownCode }])).toBe('403 SELF_REDEMPTION');
    expect(await reason(w.site.agent, [{ code: ownCode }])).toBe('201 undefined');
  });

  it('applies the site’s qualification: suspended now, or a label that did not cover the day of service', async () => {
    const booklet = await freshBooklet();
    const code = (await voucherCodes(w.t, booklet, 1)).code;
    const today = parisDate(new Date());
    const ended = await qualifiedSite(w.t, { validFrom: addDays(today, -300), validUntil: addDays(today, -1) });
    expect((await redeem<Problem>(w.t, ended.agent, { vouchers: [{ code }] })).body.code).toBe('SITE_NOT_QUALIFIED');
    // the label covered the day of service (3 days ago), but the site was suspended before the sync
    const suspended = await qualifiedSite(w.t);
    await sql(w.t, `UPDATE site_profile SET status = 'suspended' WHERE organisation_id = $1`, [suspended.id]);
    const r = await redeem<Problem>(w.t, suspended.agent, {
      vouchers: [{ code }],
      occurredAt: new Date(Date.now() - 3 * 86400_000).toISOString(),
    });
    expect({ status: r.status, code: r.body.code }).toEqual({ status: 403, code: 'SITE_NOT_QUALIFIED' });
    // a label that starts tomorrow does not cover today
    const future = await qualifiedSite(w.t, { validFrom: addDays(today, 1), validUntil: addDays(today, 300) });
    expect((await redeem<Problem>(w.t, future.agent, { vouchers: [{ code }] })).body.code).toBe('SITE_NOT_QUALIFIED');
    expect((await redeem(w.t, w.site.agent, { vouchers: [{ code }] })).status).toBe(201);
  });

  it('refuses services done while the site was suspended, and after a renewal shortened its label', async () => {
    const today = parisDate(new Date());
    const decide = (siteId: string, decision: string, daysAgo: number, label?: [string, string]) =>
      sql(
        w.t,
        `INSERT INTO site_qualification (site_id, decision, reason_code, label_name, label_valid_from, label_valid_until, decided_at)
         VALUES ($1, $2, 'test', $3, $4, $5, now() - make_interval(days => $6))`,
        [siteId, decision, label ? 'Label' : null, label?.[0] ?? null, label?.[1] ?? null, daysAgo],
      );
    const daysAgo = (n: number) => new Date(Date.now() - n * 86400_000).toISOString();
    // suspended 5 days ago, reinstated 2 days ago
    const reinstated = await qualifiedSite(w.t);
    await decide(reinstated.id, 'suspended', 5);
    await decide(reinstated.id, 'qualified', 2, [addDays(today, -365), addDays(today, 365)]);
    const booklet = await freshBooklet();
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map((i) => voucherCodes(w.t, booklet, i)));
    const during = await redeem<Problem>(w.t, reinstated.agent, { vouchers: [{ code: a.code }], occurredAt: daysAgo(3) });
    expect({ status: during.status, code: during.body.code }).toEqual({ status: 403, code: 'SITE_NOT_QUALIFIED' });
    expect((await redeem(w.t, reinstated.agent, { vouchers: [{ code: b.code }], occurredAt: daysAgo(1) })).status).toBe(201);
    // a renewal decided 10 days ago shortened the label to end 2 days ago
    const shortened = await qualifiedSite(w.t);
    await decide(shortened.id, 'qualified', 10, [addDays(today, -10), addDays(today, -2)]);
    expect((await redeem<Problem>(w.t, shortened.agent, { vouchers: [{ code: c.code }] })).body.code).toBe('SITE_NOT_QUALIFIED');
    expect((await redeem(w.t, shortened.agent, { vouchers: [{ code: d.code }], occurredAt: daysAgo(3) })).status).toBe(201);
  });

  it('records a scan from a clock up to a minute ahead as done when it was recorded, never after', async () => {
    const booklet = await freshBooklet();
    const r = await redeem<Redemption>(w.t, w.site.agent, {
      vouchers: [{ code: (await voucherCodes(w.t, booklet, 1)).code }],
      occurredAt: new Date(Date.now() + 30_000).toISOString(),
    });
    expect(r.status).toBe(201);
    expect(r.body.occurredAt).toBe(r.body.recordedAt);
    const stored = await sql<{ ok: boolean }>(w.t, `SELECT occurred_at <= recorded_at AS ok FROM redemption WHERE id = $1`, [r.body.id]);
    expect(stored).toEqual([{ ok: true }]);
  });

  it('accepts a scan 7 days old and refuses one 8 days old', async () => {
    const booklet = await freshBooklet();
    const [a, b] = await Promise.all([1, 2].map((i) => voucherCodes(w.t, booklet, i)));
    const eight = await redeem<Problem>(w.t, w.site.agent, {
      vouchers: [{ code: a.code }],
      occurredAt: new Date(Date.now() - 8 * 86400_000).toISOString(),
    });
    expect({ status: eight.status, code: eight.body.code }).toEqual({ status: 422, code: 'OFFLINE_WINDOW_EXCEEDED' });
    const seven = await redeem<Redemption>(w.t, w.site.agent, {
      vouchers: [{ code: b.code }],
      occurredAt: new Date(Date.now() - 7 * 86400_000 + 60_000).toISOString(),
    });
    expect(seven.status).toBe(201);
  });

  it('redeems until 23:59:59 (Paris) of the last day plus tolerance, and refuses one second later', async () => {
    const today = parisDate(new Date());
    const order = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 2 });
    await handOver(w, order.serials[0]);
    // validity ended 4 days ago with 2 days of tolerance: the deadline was midnight (Paris) starting the day before yesterday... +1
    await sql(w.t, `UPDATE purchase_order SET validity_end_date = $2::date - 4, tolerance_days = 2 WHERE id = $1`, [order.order.id, today]);
    const deadline = (
      await sql<{ d: Date }>(w.t, `SELECT (($1::date - 4 + 2 + 1)::timestamp AT TIME ZONE 'Europe/Paris') AS d`, [today])
    )[0].d;
    const [a, b] = await Promise.all([1, 2].map((i) => voucherCodes(w.t, order.serials[0], i)));
    const late = await redeem<Problem>(w.t, w.site.agent, { vouchers: [{ code: a.code }], occurredAt: deadline.toISOString() });
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 410, code: 'EXPIRED' });
    expect(late.body.detail).toContain(addDays(today, -2));
    const inTime = await redeem(w.t, w.site.agent, {
      vouchers: [{ code: b.code }],
      occurredAt: new Date(deadline.getTime() - 1000).toISOString(),
    });
    expect(inTime.status).toBe(201);
  });

  it('computes the deadline in Paris time across daylight-saving changes', async () => {
    const rows = await sql<{ d: string }>(
      w.t,
      `SELECT to_char(((v::date + t + 1)::timestamp AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS d
       FROM (VALUES ('2027-03-27', 0), ('2027-03-26', 2), ('2026-10-24', 0), ('2026-10-23', 3)) AS x(v, t)`,
    );
    // CET (+1) before the last Sunday of March, CEST (+2) after; back to CET after the last Sunday of October
    expect(rows.map((r) => r.d)).toEqual(['2027-03-27T23:00:00', '2027-03-28T22:00:00', '2026-10-24T22:00:00', '2026-10-26T23:00:00']);
  });

  it('redeems a bearer voucher of an order paid a second ago', async () => {
    const order = await paidOrder(w, { bookletCount: 1, vouchersPerBooklet: 1, redeemableBeforeDistribution: true });
    const serial = (await sql<{ serial: string }>(w.t, `SELECT serial FROM booklet WHERE order_id = $1`, [order.id]))[0].serial;
    const code = (await voucherCodes(w.t, serial, 1)).code;
    const paid = (await sql<{ at: Date }>(w.t, `SELECT max(created_at) AS at FROM ledger_transfer WHERE reference_id = $1`, [order.id]))[0]
      .at;
    const r = await redeem(w.t, w.site.agent, { vouchers: [{ code }] });
    expect(r.status).toBe(201);
    expect(Date.now() - paid.getTime()).toBeLessThan(2000);
  });

  it('answers 10 concurrent identical requests with one redemption and 10 identical responses; the key with another body is refused', async () => {
    const booklet = await freshBooklet();
    const v = await voucherCodes(w.t, booklet, 1);
    const key = randomUUID();
    const occurredAt = new Date().toISOString();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => redeem(w.t, w.site.agent, { vouchers: [{ code: v.code }], occurredAt }, key)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const count = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM redemption WHERE site_id = $1 AND idempotency_key = $2`, [
      w.site.id,
      key,
    ]);
    expect(count[0].n).toBe(1);
    const other = await voucherCodes(w.t, booklet, 2);
    const reused = await redeem<Problem>(w.t, w.site.agent, { vouchers: [{ code: other.code }], occurredAt }, key);
    expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(
      (
        await sql<{ status: string }>(
          w.t,
          `SELECT status FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE b.serial = $1 AND idx = 2`,
          [booklet],
        )
      )[0].status,
    ).toBe('ACTIVE');
  });

  it('undoes a whole redemption within 24 h, after which its vouchers redeem again, once; refuses after 24 h or once settled', async () => {
    const booklet = await freshBooklet();
    const [a, b] = await Promise.all([1, 2].map((i) => voucherCodes(w.t, booklet, i)));
    const r = await redeem<Redemption>(w.t, w.site.agent, { vouchers: [{ code: a.code }, { code: b.code }] });
    const undo = await api<Redemption>(w.t, 'POST', `/v1/redemptions/${r.body.id}/undo`, w.site.agent, { reasonCode: 'scan_error' });
    expect(undo.status).toBe(200);
    expect(undo.body.undoneAt).not.toBeNull();
    const again = await api<Problem>(w.t, 'POST', `/v1/redemptions/${r.body.id}/undo`, w.site.agent, { reasonCode: 'scan_error' });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'ALREADY_UNDONE' });
    // The redemption's transfer is reversed, never edited: the value is back in the order (ADR 15).
    const transfers = await sql(
      w.t,
      `SELECT t.kind, t.amount::int, d.kind AS debit, c.kind AS credit FROM ledger_transfer t
         JOIN ledger_account d ON d.id = t.debit_account_id JOIN ledger_account c ON c.id = t.credit_account_id
        WHERE t.reference_type = 'redemption' AND t.reference_id = $1 ORDER BY t.seq`,
      [r.body.id],
    );
    expect(transfers).toEqual([
      { kind: 'single', amount: 2000, debit: 'order_outstanding', credit: 'site_payable' },
      { kind: 'single', amount: 2000, debit: 'site_payable', credit: 'order_outstanding' },
    ]);
    expect(
      (await sql(w.t, `SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY recorded_at`, [r.body.id])).map((e) => e.action),
    ).toEqual(['redemption.recorded', 'redemption.undone']);
    const twice = await Promise.all([1, 2].map(() => redeem(w.t, w.site.agent, { vouchers: [{ code: a.code }] })));
    expect(twice.map((x) => x.status).sort()).toEqual([201, 409]);
    // another site cannot undo it; a bad reason is a 400
    const stranger = await qualifiedSite(w.t);
    expect((await api(w.t, 'POST', `/v1/redemptions/${r.body.id}/undo`, stranger.agent, { reasonCode: 'scan_error' })).status).toBe(404);
    const done = twice.find((x) => x.status === 201)!.body as unknown as Redemption;
    expect((await api(w.t, 'POST', `/v1/redemptions/${done.id}/undo`, w.site.agent, { reasonCode: 'because' })).status).toBe(400);
    // 24 h later
    await sql(w.t, `UPDATE redemption SET recorded_at = now() - interval '24 hours 1 second' WHERE id = $1`, [done.id]);
    const late = await api<Problem>(w.t, 'POST', `/v1/redemptions/${done.id}/undo`, w.site.agent, { reasonCode: 'scan_error' });
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'UNDO_WINDOW_CLOSED' });
    // in a statement
    const c = await redeem<Redemption>(w.t, w.site.agent, { vouchers: [{ code: (await voucherCodes(w.t, booklet, 3)).code }] });
    await sql(w.t, `UPDATE redemption SET statement_id = gen_random_uuid() WHERE id = $1`, [c.body.id]);
    const settled = await api<Problem>(w.t, 'POST', `/v1/redemptions/${c.body.id}/undo`, w.site.agent, { reasonCode: 'scan_error' });
    expect({ status: settled.status, code: settled.body.code }).toEqual({ status: 409, code: 'ALREADY_SETTLED' });
  });

  it('redeems with a site device’s API key (the actor in the audit event is the key); a revoked key cannot', async () => {
    const booklet = await freshBooklet();
    const device = await seedApiKey(w.t, { id: w.site.id }, { role: 'agent' });
    const r = await redeem<Redemption>(w.t, device.secret, { vouchers: [{ qrToken: (await voucherCodes(w.t, booklet, 1)).qrToken }] });
    expect(r.status).toBe(201);
    const row = await sql<{ api_key_id: string; agent_id: string | null }>(
      w.t,
      `SELECT api_key_id, agent_id FROM redemption WHERE id = $1`,
      [r.body.id],
    );
    expect(row).toEqual([{ api_key_id: device.id, agent_id: null }]);
    const event = await sql<{ actor_type: string; actor_id: string }>(
      w.t,
      `SELECT actor_type, actor_id FROM audit_event WHERE subject_id = $1`,
      [r.body.id],
    );
    expect(event).toEqual([{ actor_type: 'api_key', actor_id: device.id }]);
    const revoked = await seedApiKey(w.t, { id: w.site.id }, { role: 'agent', revoked: true });
    expect((await redeem(w.t, revoked.secret, { vouchers: [{ qrToken: (await voucherCodes(w.t, booklet, 2)).qrToken }] })).status).toBe(
      401,
    );
  });

  it('checks a voucher without redeeming it', async () => {
    const booklet = await freshBooklet();
    const v = await voucherCodes(w.t, booklet, 1);
    const check = (body: object, token = w.site.agent) =>
      api<{ redeemable: boolean; reasonCode: string; serial?: string }>(w.t, 'POST', '/v1/vouchers/check', token, body);
    const ok = await check({ qrToken: v.qrToken });
    expect(ok.body).toMatchObject({ redeemable: true, reasonCode: 'OK', serial: v.serial, amountCents: 1000 });
    expect((await check({ code: v.code, serviceCategoryCode: 'atelier-collectif' })).body.reasonCode).toBe('OK');
    expect((await check({ code: '000000000000' })).body).toMatchObject({ redeemable: false, reasonCode: 'UNKNOWN_CODE' });
    expect((await check({})).status).toBe(400);
    expect(
      (await sql(w.t, `SELECT status FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE b.serial = $1 AND idx = 1`, [booklet]))[0]
        .status,
    ).toBe('ACTIVE');
    await redeem(w.t, w.site.agent, { vouchers: [{ code: v.code }] });
    expect((await check({ code: v.code })).body).toMatchObject({ redeemable: false, reasonCode: 'ALREADY_REDEEMED' });
    expect((await check({ code: v.code }, w.tokens.funder)).status).toBe(404);
  });

  it('lists redemptions to their site, their funder and the operator only', async () => {
    const stranger = await qualifiedSite(w.t);
    const own = await api<{ items: Redemption[] }>(w.t, 'GET', '/v1/redemptions?limit=100', w.site.admin);
    expect(own.body.items.length).toBeGreaterThan(5);
    expect(own.body.items.every((r) => r.siteId === w.site.id)).toBe(true);
    expect((await api<{ items: Redemption[] }>(w.t, 'GET', '/v1/redemptions', stranger.admin)).body.items).toEqual([]);
    expect((await api<{ items: Redemption[] }>(w.t, 'GET', '/v1/redemptions', w.tokens.otherFunder)).body.items).toEqual([]);
    const funder = await api<{ items: Redemption[] }>(w.t, 'GET', `/v1/redemptions?orderId=${orderId}&limit=100`, w.tokens.funder);
    expect(funder.body.items.length).toBeGreaterThan(0);
    expect(funder.body.items.every((r) => r.orderId === orderId)).toBe(true);
    const id = own.body.items[0].id;
    expect((await api(w.t, 'GET', `/v1/redemptions/${id}`, stranger.admin)).status).toBe(404);
    expect((await api(w.t, 'GET', `/v1/redemptions/${id}`, w.tokens.otherFunder)).status).toBe(404);
    expect((await api(w.t, 'GET', '/v1/redemptions?from=2026-02-30', w.site.admin)).status).toBe(400);
    expect((await api(w.t, 'GET', '/v1/redemptions?orderId=nope', w.site.admin)).status).toBe(400);
  });

  it('answers 429 with Retry-After once a device keeps sending unknown codes', async () => {
    const site = await qualifiedSite(w.t);
    const codes = ['000000000000', ...Array.from({ length: 12 }, (_, i) => wellFormedCode(i + 1))];
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (const code of codes) {
      const r = await redeem(w.t, site.agent, { vouchers: [{ code }] });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = String(r.res.headers['retry-after']);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.slice(10)).toEqual([429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // even a valid code is refused while blocked
    const booklet = await freshBooklet();
    expect((await redeem(w.t, site.agent, { vouchers: [{ code: (await voucherCodes(w.t, booklet, 1)).code }] })).status).toBe(429);
  });
});

/** The confirmed order's first booklet serial, once issued. */
async function eventuallySerial(w: RedemptionWorld, orderId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const rows = await sql<{ serial: string }>(w.t, `SELECT serial FROM booklet WHERE order_id = $1 ORDER BY number LIMIT 1`, [orderId]);
    const issued = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM voucher WHERE order_id = $1`, [orderId]);
    if (rows[0] && issued[0].n > 0) return rows[0].serial;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`order ${orderId} not issued`);
}

/** A well-formed human code (right check character) that was never issued: 11 characters then the check. */
function wellFormedCode(n: number): string {
  const alphabet = '0123456789ACDEFGHJKMNPQRTVWXY';
  const body = `1${String(n).padStart(10, '0')}`;
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += (i + 1) * alphabet.indexOf(body[i]);
  // choose d12 with (sum + 12·d12) ≡ 0 (mod 29)
  for (let d = 0; d < 29; d++) if ((sum + 12 * d) % 29 === 0) return body + alphabet[d];
  throw new Error('no check character');
}
