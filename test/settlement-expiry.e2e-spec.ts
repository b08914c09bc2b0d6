import { randomUUID } from 'node:crypto';
import { parisDate } from '@sillage/common';
import { SettlementExpireJob } from '@sillage/settlement';
import { sql, tableCounts } from '@sillage/testing';
import { api } from './order-support';
import { eventually } from './queue-support';
import {
  addDays,
  createRedemptionWorld,
  handOver,
  redeem,
  RedemptionWorld,
  stockedOrder,
  TestSite,
  voucherCodes,
} from './redemption-support';

interface CreditNote {
  id: string;
  number: string;
  orderId: string;
  funderId: string;
  creditedInvoiceId: string;
  creditedInvoiceNumber: string;
  expiredVoucherCount: number;
  faceValueCents: number;
  unusedFaceValueCents: number;
  incidentDeductionCents: number;
  amountCents: number;
  incidents?: { incidentId: string; kind: string; amountCents: number; invoiceId: string | null; invoiceNumber: string | null }[];
}
interface Check {
  ok: boolean;
  checks: { name: string; ok: boolean; problems: string[] }[];
}

const DAY = 86_400_000;
const FACE = 1000;

describe('voucher expiry and credit notes', () => {
  let w: RedemptionWorld;
  let job: SettlementExpireJob;
  const today = parisDate(new Date());

  beforeAll(async () => {
    w = await createRedemptionWorld();
    job = w.t.app.get(SettlementExpireJob);
  }, 120_000);
  afterAll(() => w.close());

  /** A paid order of `booklets` booklets of 4 €10 vouchers, every booklet handed over to a beneficiary. */
  async function handedOverOrder(booklets = 2): Promise<{ id: string; serials: string[] }> {
    const { order, serials } = await stockedOrder(w, { bookletCount: booklets, vouchersPerBooklet: 4, faceValueCents: FACE });
    for (const serial of serials) await handOver(w, serial);
    return { id: order.id, serials };
  }

  /** Moves an order's dates so that its last valid day (validity end, no tolerance) is `lastDay`. */
  async function setLastDay(orderId: string, lastDay: string): Promise<void> {
    await sql(w.t, `UPDATE purchase_order SET validity_end_date = $2, tolerance_days = 0 WHERE id = $1`, [orderId, lastDay]);
  }

  async function redeemNow(site: TestSite, serial: string, idxs: number[], occurredAt?: string): Promise<{ status: number; id: string }> {
    const codes = await Promise.all(idxs.map((i) => voucherCodes(w.t, serial, i)));
    const r = await redeem<{ id: string }>(w.t, site.agent, {
      vouchers: codes.map((c) => ({ qrToken: c.qrToken })),
      ...(occurredAt ? { occurredAt } : {}),
    });
    return { status: r.status, id: r.body.id };
  }

  const statuses = async (orderId: string) =>
    Object.fromEntries(
      (
        await sql<{ status: string; n: number }>(
          w.t,
          `SELECT status, count(*)::int AS n FROM voucher WHERE order_id = $1 GROUP BY status`,
          [orderId],
        )
      ).map((r) => [r.status, r.n]),
    );

  async function ledgerCheck(): Promise<Check> {
    const r = await api<Check>(w.t, 'GET', '/v1/ledger/check', w.tokens.op);
    expect(r.status).toBe(200);
    return r.body;
  }

  async function creditNotesOf(orderId: string, token = w.tokens.funder): Promise<CreditNote[]> {
    const r = await api<{ items: CreditNote[] }>(w.t, 'GET', `/v1/credit-notes?orderId=${orderId}`, token);
    expect(r.status).toBe(200);
    return r.body.items;
  }

  /** Syncs an 8-day-old scan (an OFFLINE_WINDOW_EXCEEDED incident), blocks its vouchers and accepts it. */
  async function acceptedIncident(serial: string, idx: number): Promise<string> {
    const { code, serial: voucherSerial } = await voucherCodes(w.t, serial, idx);
    const res = await w.t.inject({
      method: 'POST',
      url: '/v1/redemptions/batch',
      headers: { authorization: `Bearer ${w.site.agent}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        items: [
          {
            idempotencyKey: `late-${randomUUID()}`,
            vouchers: [{ code }],
            serviceCategoryCode: 'atelier-collectif',
            occurredAt: new Date(Date.now() - 8 * DAY).toISOString(),
          },
        ],
      }),
    });
    const item = res.json<{ items: { outcome: string; incident: { id: string } }[] }>().items[0];
    expect(item.outcome).toBe('incident');
    const status = await sql<{ status: string }>(
      w.t,
      `SELECT v.status FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE b.serial = $1 AND v.idx = $2`,
      [serial, idx],
    );
    if (status[0].status === 'ACTIVE') {
      expect((await api(w.t, 'POST', `/v1/vouchers/${voucherSerial}/block`, w.tokens.op, { reasonCode: 'other' })).status).toBe(200);
    }
    const resolved = await api(w.t, 'POST', `/v1/incidents/${item.incident.id}/resolve`, w.tokens.op, {
      decision: 'accepted',
      reasonCode: 'service_delivered',
    });
    expect(resolved.status).toBe(200);
    return item.incident.id;
  }

  let boundaryOrder: string;
  let boundaryNote: CreditNote;

  it('expires ACTIVE and BLOCKED vouchers at the end of expiresOn (deadline + 8 days), not a day before, once, with a credit note', async () => {
    const { id, serials } = await handedOverOrder(2);
    boundaryOrder = id;
    expect((await redeemNow(w.site, serials[0], [1, 2])).status).toBe(201);
    const [blocked] = await Promise.all([voucherCodes(w.t, serials[1], 4)]);
    expect((await api(w.t, 'POST', `/v1/vouchers/${blocked.serial}/block`, w.tokens.op, { reasonCode: 'lost' })).status).toBe(200);
    // Last valid day 9 days ago: deadline = its end, expiry 8 days later = today 00:00 (Paris).
    await setLastDay(id, addDays(today, -9));
    const order = await api<{ redemptionDeadline: string; expiresOn: string }>(w.t, 'GET', `/v1/purchase-orders/${id}`, w.tokens.funder);
    expect(order.body).toMatchObject({ redemptionDeadline: addDays(today, -9), expiresOn: addDays(today, -1) });

    const written = ['credit_note', 'credit_note_incident', 'invoice', 'ledger_transfer', 'audit_event', 'outbox_message'] as const;
    const before = await tableCounts(w.t, written);
    await job.handle({ day: addDays(today, -1) }); // the day before: nothing
    expect(await statuses(id)).toEqual({ ACTIVE: 5, BLOCKED: 1, REDEEMED: 2 });
    expect(await tableCounts(w.t, written)).toEqual(before);

    await job.handle({ day: today });
    expect(await statuses(id)).toEqual({ EXPIRED: 6, REDEEMED: 2 });
    const afterFirst = await tableCounts(w.t, written);
    expect(afterFirst).toMatchObject({
      credit_note: before.credit_note + 1,
      invoice: before.invoice + 1,
      ledger_transfer: before.ledger_transfer + 2, // expiry, then the credit note's restitution
      outbox_message: before.outbox_message + 1,
    });

    // The same day again, and a later day: nothing more (idempotent).
    await job.handle({ day: today });
    await job.handle({ day: addDays(today, 1) }); // a day in the future expires nothing early either
    expect(await tableCounts(w.t, written)).toEqual(afterFirst);

    const [note] = await creditNotesOf(id);
    boundaryNote = note;
    expect(note).toMatchObject({
      orderId: id,
      funderId: w.funderId,
      expiredVoucherCount: 6,
      faceValueCents: FACE,
      unusedFaceValueCents: 6 * FACE,
      incidentDeductionCents: 0,
      amountCents: 6 * FACE,
    });
    expect(note.number).toMatch(/^AV-\d{4}-\d{6}$/);
    expect(note.creditedInvoiceNumber).toMatch(/^FA-\d{4}-\d{6}$/);

    // Ledger: the order's outstanding value moved to restitution, then the note's amount to the funder.
    const moves = await sql<{ debit: string; credit: string; amount: string; ref: string }>(
      w.t,
      `SELECT d.kind AS debit, c.kind AS credit, t.amount::text AS amount, t.reference_type AS ref FROM ledger_transfer t
         JOIN ledger_account d ON d.id = t.debit_account_id JOIN ledger_account c ON c.id = t.credit_account_id
        WHERE (t.reference_type = 'order' AND t.reference_id = $1 AND c.kind = 'restitution_payable')
           OR (t.reference_type = 'credit_note' AND t.reference_id = $2) ORDER BY t.seq`,
      [id, note.id],
    );
    expect(moves).toEqual([
      { debit: 'order_outstanding', credit: 'restitution_payable', amount: String(6 * FACE), ref: 'order' },
      { debit: 'restitution_payable', credit: 'funder_available', amount: String(6 * FACE), ref: 'credit_note' },
    ]);
    expect((await ledgerCheck()).ok).toBe(true);

    // Audited per order with counts only; the funder is notified through the outbox (the email job runs).
    const events = await sql<{ facts: string }>(
      w.t,
      `SELECT convert_from(canonical, 'UTF8') AS facts FROM audit_event WHERE action = 'settlement.vouchers_expired' AND subject_id = $1`,
      [id],
    );
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].facts).facts).toEqual({ orderId: id, vouchers: 6, faceValueCents: 6 * FACE });
    const notified = await eventually(async () => {
      const rows = await sql<{ published_at: Date | null; last_error: string | null }>(
        w.t,
        `SELECT published_at, last_error FROM outbox_message WHERE job_name = 'settlement.credit-note-issued' AND payload->>'creditNoteId' = $1`,
        [note.id],
      );
      return rows[0]?.published_at ? rows : undefined;
    }, 'the credit note email job');
    expect(notified).toEqual([expect.objectContaining({ last_error: null })]);

    // An expired voucher cannot be redeemed.
    const late = await redeemNow(w.site, serials[1], [1]);
    expect(late.status).toBe(410);
  });

  it('serves the credit note to its funder and the operator as JSON, PDF and UBL CreditNote referring to the invoice', async () => {
    const detail = await api<CreditNote>(w.t, 'GET', `/v1/credit-notes/${boundaryNote.id}`, w.tokens.funder);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ ...boundaryNote, incidents: [] });
    expect((await api(w.t, 'GET', `/v1/credit-notes/${boundaryNote.id}`, w.tokens.opFinance)).status).toBe(200);
    // the same document is one of the funder's invoices (kind credit_note)
    const invoice = await api<{ kind: string; payableCents: number; creditedInvoiceId: string }>(
      w.t,
      'GET',
      `/v1/invoices/${boundaryNote.id}`,
      w.tokens.funder,
    );
    expect(invoice.body).toMatchObject({ kind: 'credit_note', payableCents: 6 * FACE, creditedInvoiceId: boundaryNote.creditedInvoiceId });

    const pdf = await w.t.inject({
      method: 'GET',
      url: `/v1/credit-notes/${boundaryNote.id}/pdf`,
      headers: { authorization: `Bearer ${w.tokens.funder}` },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="${boundaryNote.number}.pdf"`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const xml = await api<string>(w.t, 'GET', `/v1/credit-notes/${boundaryNote.id}/xml`, w.tokens.opFinance);
    expect(xml.status).toBe(200);
    expect(xml.res.headers['content-type']).toMatch(/^application\/xml/);
    expect(xml.body).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(xml.body).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(xml.body).toMatch(
      new RegExp(`<cac:BillingReference>\\s*<cac:InvoiceDocumentReference>\\s*<cbc:ID>${boundaryNote.creditedInvoiceNumber}</cbc:ID>`),
    );
    expect(xml.body).toContain('<cbc:PayableAmount currencyID="EUR">60.00</cbc:PayableAmount>');
    expect(xml.body).toContain('<cbc:CreditedQuantity unitCode="C62">6</cbc:CreditedQuantity>');
  });

  it('scopes credit notes to their funder (another funder gets 404 and an empty list) and answers bad ids with problem+json', async () => {
    expect(await creditNotesOf(boundaryOrder, w.tokens.otherFunder)).toEqual([]);
    const mine = await api<{ items: CreditNote[] }>(w.t, 'GET', '/v1/credit-notes', w.tokens.funder);
    expect(mine.body.items.map((n) => n.funderId).every((f) => f === w.funderId)).toBe(true);
    const before = await tableCounts(w.t, ['audit_event']);
    for (const suffix of ['', '/pdf', '/xml']) {
      const other = await api<{ code: string }>(w.t, 'GET', `/v1/credit-notes/${boundaryNote.id}${suffix}`, w.tokens.otherFunder);
      expect({ status: other.status, code: other.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect(other.res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const unknown = await api<{ code: string }>(w.t, 'GET', `/v1/credit-notes/${randomUUID()}${suffix}`, w.tokens.op);
      expect(unknown.status).toBe(404);
      // a malformed id names nothing: 404 like an id out of scope (the project's ParseIdPipe), never a 500
      const bad = await api<{ code: string }>(w.t, 'GET', `/v1/credit-notes/not-a-uuid${suffix}`, w.tokens.op);
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect(bad.res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    for (const query of ['?orderId=nope', '?limit=0', '?cursor=%25%25%25']) {
      const r = await api(w.t, 'GET', `/v1/credit-notes${query}`, w.tokens.op);
      expect(r.status).toBe(400);
      expect(r.res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // readers: admin and finance of the operator or a funder; nobody else
    expect((await api(w.t, 'GET', '/v1/credit-notes', w.tokens.funderViewer)).status).toBe(403);
    expect((await api(w.t, 'GET', '/v1/credit-notes', w.site.admin)).status).toBe(404); // another kind: the route is not theirs
    expect(await tableCounts(w.t, ['audit_event'])).toEqual(before); // refused downloads are not audited as downloads
  });

  it('settles, not expires, a voucher redeemed on its last day and synced 6 days later', async () => {
    const { id, serials } = await handedOverOrder(1);
    const lastDay = addDays(today, -6);
    await setLastDay(id, lastDay);
    // Scanned offline at 18:00 Paris on the last valid day, synced now (6 days later): redeemed.
    const scan = await redeemNow(w.site, serials[0], [1], new Date(`${lastDay}T16:00:00Z`).toISOString());
    expect(scan.status).toBe(201);
    // Three days pass (dates moved back): the order expires today, the sync is past its undo window.
    await setLastDay(id, addDays(today, -9));
    await sql(
      w.t,
      `UPDATE redemption SET occurred_at = occurred_at - interval '3 days', recorded_at = recorded_at - interval '3 days' WHERE id = $1`,
      [scan.id],
    );
    await job.handle({ day: today });
    expect(await statuses(id)).toEqual({ EXPIRED: 3, REDEEMED: 1 });
    expect((await creditNotesOf(id))[0]).toMatchObject({ expiredVoucherCount: 3, amountCents: 3 * FACE });

    const started = await api<{ id: string }>(w.t, 'POST', '/v1/settlement-runs', w.tokens.opFinance, { cutoff: new Date().toISOString() });
    expect(started.status).toBe(201);
    await eventually(async () => {
      const r = await api<{ status: string }>(w.t, 'GET', `/v1/settlement-runs/${started.body.id}`, w.tokens.opFinance);
      return r.body.status === 'completed' || undefined;
    }, 'the settlement run');
    const [settled] = await sql<{ statement_id: string | null }>(w.t, `SELECT statement_id FROM redemption WHERE id = $1`, [scan.id]);
    expect(settled.statement_id).not.toBeNull();
    // Its face value moved to the site payable when it was recorded, and stays there (ADR 15).
    const posted = await sql<{ kind: string; amount: number }>(
      w.t,
      `SELECT t.kind, t.amount::int - r.amount_cents::int AS amount FROM ledger_transfer t JOIN redemption r ON r.id::text = t.reference_id
        WHERE t.reference_type = 'redemption' AND t.reference_id = $1`,
      [scan.id],
    );
    expect(posted).toEqual([{ kind: 'single', amount: 0 }]);
    expect((await ledgerCheck()).ok).toBe(true);
  });

  it('deducts accepted incidents charged to the order from its credit note, and invoices one accepted after the note', async () => {
    const { id, serials } = await handedOverOrder(2);
    const deducted = await acceptedIncident(serials[0], 1); // its voucher is blocked, then expires with the others
    expect((await redeemNow(w.site, serials[1], [1])).status).toBe(201);
    await setLastDay(id, addDays(today, -9));
    await job.handle({ day: today });
    expect(await statuses(id)).toEqual({ EXPIRED: 7, REDEEMED: 1 });
    const [note] = await creditNotesOf(id);
    // By hand: 7 unused vouchers × €10 = €70.00, less the accepted incident (1 voucher, €10.00) = €60.00.
    expect(note).toMatchObject({ expiredVoucherCount: 7, unusedFaceValueCents: 7000, incidentDeductionCents: 1000, amountCents: 6000 });
    // €60 back to the funder; the €10 deducted pays the order's receivable (debited by the statement paying the incident).
    const credited = await sql<{ amount: string; credit: string }>(
      w.t,
      `SELECT t.amount::text, c.kind AS credit FROM ledger_transfer t JOIN ledger_account c ON c.id = t.credit_account_id
        WHERE t.reference_type = 'credit_note' AND t.reference_id = $1 ORDER BY c.kind`,
      [note.id],
    );
    expect(credited).toEqual([
      { amount: '6000', credit: 'funder_available' },
      { amount: '1000', credit: 'order_receivable' },
    ]);
    expect((await ledgerCheck()).ok).toBe(true);

    // An incident accepted after the note (a voucher redeemed elsewhere first — here: already expired) is invoiced to the funder.
    const late = await acceptedIncident(serials[1], 2);
    await job.handle({ day: today });
    const detail = await api<CreditNote>(w.t, 'GET', `/v1/credit-notes/${note.id}`, w.tokens.funder);
    expect(detail.body.incidents).toEqual([
      { incidentId: deducted, kind: 'deducted', amountCents: 1000, invoiceId: null, invoiceNumber: null },
      {
        incidentId: late,
        kind: 'invoiced',
        amountCents: 1000,
        invoiceId: expect.any(String),
        invoiceNumber: expect.stringMatching(/^FA-/),
      },
    ]);
    const invoice = await api<{ kind: string; payableCents: number; orderId: string }>(
      w.t,
      'GET',
      `/v1/invoices/${detail.body.incidents![1].invoiceId}`,
      w.tokens.funder,
    );
    expect(invoice.body).toMatchObject({ kind: 'invoice', payableCents: 1000, orderId: id });
    // once: the next day's job invoices nothing more
    const counts = await tableCounts(w.t, ['invoice', 'credit_note_incident']);
    await job.handle({ day: today });
    expect(await tableCounts(w.t, ['invoice', 'credit_note_incident'])).toEqual(counts);
    expect((await ledgerCheck()).ok).toBe(true);
  });

  it('deducts incidents only up to the unused value (a note of 0) and invoices the rest in the same run', async () => {
    const { id, serials } = await handedOverOrder(1);
    expect((await redeemNow(w.site, serials[0], [1, 2, 3])).status).toBe(201);
    // two accepted incidents on vouchers already redeemed (paid twice: charged to the order)
    const first = await acceptedIncident(serials[0], 1);
    const second = await acceptedIncident(serials[0], 2);
    await setLastDay(id, addDays(today, -9));
    const transfers = await tableCounts(w.t, ['ledger_transfer']);
    await job.handle({ day: today });
    const [note] = await creditNotesOf(id);
    expect(note).toMatchObject({ expiredVoucherCount: 1, unusedFaceValueCents: 1000, incidentDeductionCents: 1000, amountCents: 0 });
    // The expiry, and the deduction to the order's receivable; nothing to the funder.
    expect(await tableCounts(w.t, ['ledger_transfer'])).toEqual({ ledger_transfer: transfers.ledger_transfer + 2 });
    const detail = await api<CreditNote>(w.t, 'GET', `/v1/credit-notes/${note.id}`, w.tokens.op);
    expect(detail.body.incidents!.map((i) => [i.incidentId, i.kind, i.amountCents])).toEqual([
      [first, 'deducted', 1000],
      [second, 'invoiced', 1000],
    ]);
    const xml = await api<string>(w.t, 'GET', `/v1/credit-notes/${note.id}/xml`, w.tokens.op);
    expect(xml.body).toContain('<cbc:PayableAmount currencyID="EUR">0.00</cbc:PayableAmount>');
    expect((await ledgerCheck()).ok).toBe(true);
  });

  it('ledger:check names an order whose expired value disagrees with its EXPIRED vouchers', async () => {
    expect((await ledgerCheck()).ok).toBe(true);
    const broken = randomUUID();
    await sql(
      w.t,
      `INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
       SELECT $1, 'single', o.id, r.id, 1, 'EUR', now(), 'order', $2::text FROM ledger_account o, ledger_account r
        WHERE o.kind = 'order_outstanding' AND o.order_id = $2::uuid AND r.kind = 'restitution_payable'`,
      [broken, boundaryOrder],
    );
    try {
      const check = await ledgerCheck();
      expect(check.ok).toBe(false);
      const problems = check.checks.find((c) => c.name === 'vouchers')!.problems.join('\n');
      expect(problems).toContain(`order/voucher ${boundaryOrder}: expired value 6001 ≠ face value × 6 EXPIRED vouchers (6000)`);
    } finally {
      await sql(
        w.t,
        `SET session_replication_role = replica; DELETE FROM ledger_transfer WHERE id = '${broken}'; SET session_replication_role = origin`,
      );
    }
    expect((await ledgerCheck()).ok).toBe(true);
  });
});
