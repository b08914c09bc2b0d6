import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuditSealer } from '@sillage/audit';
import { ReportConsumer } from '@sillage/reporting';
import { auditEventsDuring, sql, TestApp } from '@sillage/testing';
import { api } from './order-support';
import { createRedemptionWorld, handOver, qualifiedSite, RedemptionWorld, stockedOrder } from './redemption-support';
import { expectLedgerOk, redeemedAgo, runUntilDone, verifiedBankAccount } from './settlement-support';

const XSD = resolve(__dirname, '../../shared/data/iso20022/camt.053.001.08.xsd');
const FIXTURES = resolve(__dirname, '../libs/settlement/src/bank-statements/fixtures');

interface Payout {
  id: string;
  reference: string;
  siteId: string;
  amountCents: number;
  status: string;
  statements: string[];
  settledAt: string | null;
  returnReason: string | null;
}
interface Entry {
  importId: string;
  position: number;
  entryIndex: number;
  amountCents: number | null;
  direction: string;
  status: string;
  endToEndId: string | null;
  returnReason: string | null;
  outcome: string;
  payoutId: string | null;
  payoutReference: string | null;
  payoutStatus: string | null;
  note: string | null;
}
interface Import {
  id: string;
  format: string;
  bankStatementId: string;
  entryCount: number;
  transactionCount: number;
  outcomes: Record<string, number>;
  entries: Entry[];
}

// ---- camt.053.001.08 files built from the payouts the test made (end-to-end id = payout reference) ----

interface Tx {
  endToEndId: string | null;
  amountCents?: number;
  /** RtrInf with this reason code (a return). */
  returnReason?: string;
  currency?: string;
}
interface Ntry {
  amountCents: number;
  direction: 'DBIT' | 'CRDT';
  status?: 'BOOK' | 'PDNG' | 'INFO';
  reversal?: boolean;
  txs: Tx[];
}

const euros = (cents: number): string => (cents / 100).toFixed(2);
const today = (): string => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
let fileSeq = 0;

/** A camt.053.001.08 statement with these entries, shaped like the parser's fixtures. */
function camt053(entries: Ntry[], statementId = `STMT-E2E-${Date.now()}-${++fileSeq}`): string {
  const ntry = (n: Ntry, i: number): string => {
    const details = n.txs
      .map(
        (t) => `
          <TxDtls>
            <Refs><EndToEndId>${t.endToEndId ?? 'NOTPROVIDED'}</EndToEndId></Refs>${
              t.amountCents === undefined ? '' : `\n            <Amt Ccy="${t.currency ?? 'EUR'}">${euros(t.amountCents)}</Amt>`
            }
            <CdtDbtInd>${n.direction}</CdtDbtInd>${
              t.returnReason === undefined ? '' : `\n            <RtrInf><Rsn><Cd>${t.returnReason}</Cd></Rsn></RtrInf>`
            }
          </TxDtls>`,
      )
      .join('');
    const batch =
      n.txs.length > 1
        ? `
          <Btch><NbOfTxs>${n.txs.length}</NbOfTxs><TtlAmt Ccy="EUR">${euros(n.amountCents)}</TtlAmt><CdtDbtInd>${n.direction}</CdtDbtInd></Btch>`
        : '';
    return `
      <Ntry>
        <NtryRef>NTRY-${i + 1}</NtryRef>
        <Amt Ccy="EUR">${euros(n.amountCents)}</Amt>
        <CdtDbtInd>${n.direction}</CdtDbtInd>${n.reversal ? '\n        <RvslInd>true</RvslInd>' : ''}
        <Sts><Cd>${n.status ?? 'BOOK'}</Cd></Sts>
        <BookgDt><Dt>${today()}</Dt></BookgDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>${n.direction === 'CRDT' ? 'RRTN' : 'ESCT'}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>${batch}${details}
        </NtryDtls>
      </Ntry>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-${statementId}</MsgId><CreDtTm>${new Date().toISOString()}</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${statementId}</Id>
      <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">5000000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>${today()}</Dt></Dt>
      </Bal>${entries.map(ntry).join('')}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}

/** The file validates against the camt.053.001.08 XSD (xmllint, Debian libxml2-utils). */
function expectValidCamt(xml: string): void {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', XSD, '-'], { input: xml, encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint is needed by this test (Debian package libxml2-utils): ${run.error.message}`);
  expect(run.stderr.trim()).toBe('- validates');
  expect(run.status).toBe(0);
}

async function upload(t: TestApp, token: string, body: string | Buffer, contentType = 'application/xml') {
  const res = await t.inject({
    method: 'POST',
    url: '/v1/bank-statements',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    payload: body,
  });
  const isJson = /json/.test(String(res.headers['content-type'] ?? ''));
  return { status: res.statusCode, body: (isJson ? res.json() : res.body) as Import & { code: string; reason?: string }, res };
}

/** What an import may write, counted: refused files must leave every number as it was. */
async function footprint(t: TestApp) {
  const [row] = await sql<Record<string, number>>(
    t,
    `SELECT (SELECT count(*)::int FROM bank_statement_import) AS imports, (SELECT count(*)::int FROM bank_statement_entry) AS entries,
            (SELECT count(*)::int FROM ledger_transfer) AS transfers, (SELECT count(*)::int FROM audit_event) AS events,
            (SELECT count(*)::int FROM payout WHERE status = 'pending') AS pending,
            (SELECT count(*)::int FROM settlement_statement WHERE status = 'paid') AS paid`,
  );
  return row;
}

describe('bank statement import and payout reconciliation', () => {
  let w: RedemptionWorld;
  let serials: string[];
  let nextSerial = 0;

  /** A site with a verified account, redemptions of `vouchers` €10 vouchers 30 h ago, and the payout a run makes for them. */
  async function sitePaidOut(vouchers = 2): Promise<{ site: Awaited<ReturnType<typeof qualifiedSite>>; payout: Payout }> {
    const site = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, site.id);
    await redeemedAgo(
      w,
      site,
      serials[nextSerial++],
      Array.from({ length: vouchers }, (_, i) => i + 1),
      30,
    );
    await runUntilDone(w, new Date().toISOString());
    return { site, payout: await payoutOf(site.id) };
  }

  /** The site's newest payout. */
  async function payoutOf(siteId: string): Promise<Payout> {
    const r = await api<{ items: Payout[] }>(w.t, 'GET', `/v1/payouts?siteId=${siteId}`, w.tokens.opFinance);
    return r.body.items[0];
  }

  async function statementsOf(siteId: string) {
    return sql<{ status: string; payout_id: string | null }>(w.t, `SELECT status, payout_id FROM settlement_statement WHERE site_id = $1`, [
      siteId,
    ]);
  }

  async function transfersOf(payoutId: string) {
    return sql<{ kind: string; amount: string; debit: string; credit: string }>(
      w.t,
      `SELECT t.kind, t.amount::text, d.kind AS debit, c.kind AS credit FROM ledger_transfer t
         JOIN ledger_account d ON d.id = t.debit_account_id JOIN ledger_account c ON c.id = t.credit_account_id
        WHERE t.reference_type = 'payout' AND t.reference_id = $1 ORDER BY t.seq`,
      [payoutId],
    );
  }

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const stocked = await stockedOrder(w, { bookletCount: 8 });
    serials = stocked.serials;
    for (const serial of serials) await handOver(w, serial);
  }, 120_000);
  afterAll(() => w.close());

  it('pays per transaction of a batch entry (partial match), lists amount mismatches and unknown ids for review, and imports a file once', async () => {
    const a = await sitePaidOut(2);
    const b = await sitePaidOut(3);
    expect([a.payout.status, b.payout.status, a.payout.amountCents, b.payout.amountCents]).toEqual(['pending', 'pending', 2000, 3000]);

    const xml = camt053([
      // One batch booking, three transfers: A exact, B one cent short, one nobody made.
      {
        amountCents: 2000 + 2999 + 1234,
        direction: 'DBIT',
        txs: [
          { endToEndId: a.payout.reference, amountCents: 2000 },
          { endToEndId: b.payout.reference, amountCents: 2999 },
          { endToEndId: 'PAY-01JD0Q7Z5N3V4X2C8B6M9K1H0G', amountCents: 1234 },
        ],
      },
      { amountCents: 3000, direction: 'DBIT', status: 'PDNG', txs: [{ endToEndId: b.payout.reference, amountCents: 3000 }] },
      { amountCents: 4200, direction: 'CRDT', txs: [{ endToEndId: null, amountCents: 4200 }] },
    ]);
    expectValidCamt(xml);

    const { result: first, events } = await auditEventsDuring(w.t, () => upload(w.t, w.tokens.opFinance, xml));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ format: 'camt053', entryCount: 3, transactionCount: 5 });
    expect(first.body.outcomes).toEqual({
      paid: 1,
      rejected: 0,
      returned: 0,
      amount_mismatch: 1,
      unmatched: 2,
      conflict: 0,
      already_applied: 0,
      not_booked: 1,
    });
    expect(
      first.body.entries.map((e) => [e.entryIndex, e.endToEndId, e.amountCents, e.outcome, e.payoutReference, e.payoutStatus]),
    ).toEqual([
      [1, a.payout.reference, 2000, 'paid', a.payout.reference, 'paid'],
      [1, b.payout.reference, 2999, 'amount_mismatch', b.payout.reference, 'pending'],
      [1, 'PAY-01JD0Q7Z5N3V4X2C8B6M9K1H0G', 1234, 'unmatched', null, null],
      [2, b.payout.reference, 3000, 'not_booked', b.payout.reference, 'pending'],
      [3, null, 4200, 'unmatched', null, null],
    ]);
    expect(first.body.entries[1].note).toBe(`29.99 € booked for payout ${b.payout.reference} of 30.00 €`);
    expect(events.map((e) => e.action).sort()).toEqual(['settlement.bank_statement_imported', 'settlement.payout_paid']);
    const imported = events.find((e) => e.action === 'settlement.bank_statement_imported')!;
    expect(imported.facts).toMatchObject({ paid: 1, amountMismatch: 1, unmatched: 2, notBooked: 1, transactions: 5 });

    // A is paid: its statement, the ledger (pending transfer posted); B is untouched.
    const paidA = await payoutOf(a.site.id);
    expect(paidA).toMatchObject({ status: 'paid', settledAt: expect.any(String) });
    expect(await statementsOf(a.site.id)).toEqual([{ status: 'paid', payout_id: a.payout.id }]);
    expect((await transfersOf(a.payout.id)).map((t) => [t.kind, t.amount])).toEqual([
      ['pending', '2000'],
      ['post_pending', '2000'],
    ]);
    expect((await payoutOf(b.site.id)).status).toBe('pending');
    expect(await statementsOf(b.site.id)).toEqual([{ status: 'in_payout', payout_id: b.payout.id }]);

    // The review list, across imports.
    const review = await api<{ items: Entry[] }>(w.t, 'GET', '/v1/bank-statements/entries', w.tokens.opFinance);
    expect(review.status).toBe(200);
    expect(review.body.items.map((e) => [e.outcome, e.endToEndId])).toEqual([
      ['amount_mismatch', b.payout.reference],
      ['unmatched', 'PAY-01JD0Q7Z5N3V4X2C8B6M9K1H0G'],
      ['unmatched', null],
    ]);
    const unmatched = await api<{ items: Entry[]; nextCursor: string }>(
      w.t,
      'GET',
      '/v1/bank-statements/entries?outcome=unmatched&limit=1',
      w.tokens.opFinance,
    );
    expect(unmatched.body.items.map((e) => e.position)).toEqual([3]);
    const next = await api<{ items: Entry[]; nextCursor: string | null }>(
      w.t,
      'GET',
      `/v1/bank-statements/entries?outcome=unmatched&limit=1&cursor=${unmatched.body.nextCursor}`,
      w.tokens.opFinance,
    );
    expect(next.body.items.map((e) => e.position)).toEqual([5]);
    expect(next.body.nextCursor).toBeNull();
    await expectLedgerOk(w);

    // The same file again: 200 with the first import, nothing written, no event.
    const before = await footprint(w.t);
    const { result: again, events: none } = await auditEventsDuring(w.t, () => upload(w.t, w.tokens.op, Buffer.from(xml)));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.entries).toEqual(first.body.entries);
    expect(none).toEqual([]);
    expect(await footprint(w.t)).toEqual(before);

    // The next day's file: B booked at its amount; A's booking seen again changes nothing.
    const second = camt053([
      { amountCents: 3000, direction: 'DBIT', txs: [{ endToEndId: b.payout.reference, amountCents: 3000 }] },
      { amountCents: 2000, direction: 'DBIT', txs: [{ endToEndId: a.payout.reference }] },
    ]);
    expectValidCamt(second);
    const applied = await upload(w.t, w.tokens.opFinance, second);
    expect(applied.status).toBe(201);
    expect(applied.body.entries.map((e) => [e.endToEndId, e.amountCents, e.outcome])).toEqual([
      [b.payout.reference, 3000, 'paid'],
      [a.payout.reference, 2000, 'already_applied'],
    ]);
    expect(await statementsOf(b.site.id)).toEqual([{ status: 'paid', payout_id: b.payout.id }]);
    expect((await transfersOf(a.payout.id)).map((t) => t.kind)).toEqual(['pending', 'post_pending']);

    // Imports, newest first, paginated.
    const page = await api<{ items: Import[]; nextCursor: string }>(w.t, 'GET', '/v1/bank-statements?limit=1', w.tokens.opFinance);
    expect(page.body.items.map((i) => i.id)).toEqual([applied.body.id]);
    const rest = await api<{ items: Import[]; nextCursor: string | null }>(
      w.t,
      'GET',
      `/v1/bank-statements?limit=1&cursor=${page.body.nextCursor}`,
      w.tokens.opFinance,
    );
    expect(rest.body.items.map((i) => i.id)).toEqual([first.body.id]);
    await expectLedgerOk(w);
  });

  it('a payout rejected by the bank releases its statements; the next batch pays them with a new reference, then the bank books it', async () => {
    const d = await sitePaidOut(2);
    const xml = camt053([
      { amountCents: 2000, direction: 'CRDT', txs: [{ endToEndId: d.payout.reference, amountCents: 2000, returnReason: 'AC01' }] },
    ]);
    expectValidCamt(xml);
    const { result, events } = await auditEventsDuring(w.t, () => upload(w.t, w.tokens.opFinance, xml));
    expect(result.status).toBe(201);
    expect(result.body.entries.map((e) => [e.outcome, e.returnReason])).toEqual([['rejected', 'AC01']]);
    expect(events.map((e) => e.action).sort()).toEqual(['settlement.bank_statement_imported', 'settlement.payout_rejected']);
    expect(events.find((e) => e.action === 'settlement.payout_rejected')!.facts).toMatchObject({
      reference: d.payout.reference,
      returnReason: 'AC01',
      amountCents: 2000,
    });
    expect(await payoutOf(d.site.id)).toMatchObject({ status: 'rejected', returnReason: 'AC01' });
    expect(await statementsOf(d.site.id)).toEqual([{ status: 'unpaid', payout_id: null }]);
    expect((await transfersOf(d.payout.id)).map((t) => t.kind)).toEqual(['pending', 'void_pending']);
    await expectLedgerOk(w);

    // A batch asked for by hand pays the released statement again, under a new reference.
    const batch = await api<{ id: string }>(w.t, 'POST', '/v1/payout-batches', w.tokens.opFinance);
    expect(batch.status).toBe(201);
    const retry = await payoutOf(d.site.id);
    expect(retry.id).not.toBe(d.payout.id);
    expect(retry.reference).not.toBe(d.payout.reference);
    expect(retry).toMatchObject({ status: 'pending', amountCents: 2000, statements: d.payout.statements });
    expect(await statementsOf(d.site.id)).toEqual([{ status: 'in_payout', payout_id: retry.id }]);

    // From the bank's CSV export: the old reference returned again changes nothing, a booking of the rejected one contradicts
    // it (for review), the new one booked is paid.
    const csv = [
      'date;end_to_end_id;amount;currency;direction;return_reason',
      `${today()};${d.payout.reference};20,00;EUR;credit;AC01`,
      `${today()};${d.payout.reference};20,00;EUR;debit;`,
      `${today()};${retry.reference};20,00;EUR;debit;`,
    ].join('\r\n');
    const booked = await upload(w.t, w.tokens.opFinance, csv, 'text/csv; charset=utf-8');
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ format: 'csv', bankStatementId: expect.stringMatching(/^csv:[0-9a-f]{64}$/) });
    expect(booked.body.entries.map((e) => [e.endToEndId, e.outcome])).toEqual([
      [d.payout.reference, 'already_applied'],
      [d.payout.reference, 'conflict'],
      [retry.reference, 'paid'],
    ]);
    expect(await payoutOf(d.site.id)).toMatchObject({ id: retry.id, status: 'paid' });
    expect(await statementsOf(d.site.id)).toEqual([{ status: 'paid', payout_id: retry.id }]);
    const history = await sql<{ payout_id: string }>(
      w.t,
      `SELECT ps.payout_id FROM payout_statement ps JOIN settlement_statement s ON s.id = ps.statement_id WHERE s.site_id = $1 ORDER BY ps.payout_id = $2`,
      [d.site.id, retry.id],
    );
    expect(history.map((h) => h.payout_id)).toEqual([d.payout.id, retry.id]);
    await expectLedgerOk(w);
  });

  it('a payout returned after booking goes back to the site payable; its statements wait for the next batch', async () => {
    const c = await sitePaidOut(2);
    // Booked and returned in the same statement, in that order (as the parser's payout-returned fixture).
    const xml = camt053([
      { amountCents: 2000, direction: 'DBIT', txs: [{ endToEndId: c.payout.reference, amountCents: 2000 }] },
      { amountCents: 2000, direction: 'CRDT', txs: [{ endToEndId: c.payout.reference, amountCents: 2000, returnReason: 'AC04' }] },
    ]);
    expectValidCamt(xml);
    const { result, events } = await auditEventsDuring(w.t, () => upload(w.t, w.tokens.opFinance, xml));
    expect(result.status).toBe(201);
    expect(result.body.entries.map((e) => e.outcome)).toEqual(['paid', 'returned']);
    expect(events.map((e) => e.action).sort()).toEqual([
      'settlement.bank_statement_imported',
      'settlement.payout_paid',
      'settlement.payout_returned',
    ]);
    expect(await payoutOf(c.site.id)).toMatchObject({ status: 'returned', returnReason: 'AC04' });
    expect(await statementsOf(c.site.id)).toEqual([{ status: 'unpaid', payout_id: null }]);
    expect((await transfersOf(c.payout.id)).map((t) => [t.kind, t.amount, t.debit, t.credit])).toEqual([
      ['pending', '2000', 'site_payable', 'bank_in_flight'],
      ['post_pending', '2000', 'site_payable', 'bank_in_flight'],
      ['single', '2000', 'bank_in_flight', 'site_payable'],
    ]);
    const waiting = await api<{ items: { siteId: string; amountCents: number; waitingReason: string | null }[] }>(
      w.t,
      'GET',
      '/v1/payouts/waiting',
      w.tokens.opFinance,
    );
    expect(waiting.body.items.filter((i) => i.siteId === c.site.id)).toEqual([
      expect.objectContaining({ amountCents: 2000, waitingReason: null }),
    ]);

    // A return the bank reports twice changes nothing.
    const twice = camt053([
      { amountCents: 2000, direction: 'CRDT', txs: [{ endToEndId: c.payout.reference, amountCents: 2000, returnReason: 'AC04' }] },
    ]);
    // Uploaded twice at once: one import (201), the other answer is that import (200).
    const [x, y] = await Promise.all([upload(w.t, w.tokens.opFinance, twice), upload(w.t, w.tokens.op, twice)]);
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    expect(y.body.id).toBe(x.body.id);
    expect(x.body.entries.map((e) => e.outcome)).toEqual(['already_applied']);
    expect((await sql(w.t, `SELECT 1 FROM bank_statement_entry WHERE import_id = $1`, [x.body.id])).length).toBe(1);
    expect((await transfersOf(c.payout.id)).length).toBe(3);
    await expectLedgerOk(w);
  });

  it('refuses bad files with problem+json and writes nothing', async () => {
    const e = await sitePaidOut(2);
    const valid = { amountCents: 2000, direction: 'DBIT' as const, txs: [{ endToEndId: e.payout.reference, amountCents: 2000 }] };
    const before = await footprint(w.t);
    const refusals: [string, string | Buffer, string, number, string, string?][] = [
      ['malformed XML', camt053([valid]).replace('</Stmt>', ''), 'application/xml', 400, 'BANK_STATEMENT_MALFORMED', 'NOT_XML'],
      [
        'another message (pain.001)',
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn/></Document>',
        'application/xml',
        422,
        'BANK_STATEMENT_INVALID',
        'NOT_CAMT053',
      ],
      [
        'foreign currency fixture',
        readFileSync(join(FIXTURES, 'foreign-currency.xml')),
        'application/xml',
        422,
        'BANK_STATEMENT_INVALID',
        'WRONG_CURRENCY',
      ],
      // A payable entry followed by a foreign-currency one: the whole file is refused, the payout stays pending.
      [
        'one foreign-currency transaction after a valid one',
        camt053([valid, { amountCents: 500, direction: 'DBIT', txs: [{ endToEndId: null, amountCents: 500, currency: 'USD' }] }]),
        'application/xml',
        422,
        'BANK_STATEMENT_INVALID',
        'WRONG_CURRENCY',
      ],
      ['an empty body', '', 'application/xml', 400, 'BANK_STATEMENT_EMPTY'],
      [
        'a CSV with a bad amount',
        `date;end_to_end_id;amount;currency;direction\n${today()};${e.payout.reference};20.001;EUR;debit\n`,
        'text/csv',
        400,
        'BANK_STATEMENT_MALFORMED',
        'INVALID_CSV',
      ],
      ['JSON', JSON.stringify({ file: 'x' }), 'application/json', 415, 'UNSUPPORTED_STATEMENT_TYPE'],
      ['a PDF', '%PDF-1.7', 'application/pdf', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [name, body, type, status, code, reason] of refusals) {
      const r = await upload(w.t, w.tokens.opFinance, body, type);
      expect({ name, status: r.status, code: r.body.code, reason: r.body.reason }).toEqual({ name, status, code, reason });
      expect(r.res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await footprint(w.t)).toEqual(before);
    expect((await payoutOf(e.site.id)).status).toBe('pending');

    // Only operator finance and admins import; the XML parser serves this route only.
    expect((await upload(w.t, e.site.admin, camt053([valid]))).status).toBe(404);
    const elsewhere = await postXml(w.t, '/v1/payout-batches', w.tokens.opFinance, camt053([valid]));
    expect(elsewhere.statusCode).toBe(415);
    expect((await api(w.t, 'GET', '/v1/bank-statements/00000000-0000-4000-8000-000000000000', w.tokens.opFinance)).status).toBe(404);
    expect((await api(w.t, 'GET', '/v1/bank-statements/entries?outcome=lost', w.tokens.opFinance)).status).toBe(400);
    expect((await api(w.t, 'GET', '/v1/bank-statements/entries?cursor=bm9wZQ', w.tokens.opFinance)).status).toBe(400);
    expect(await footprint(w.t)).toEqual(before);
    await expectLedgerOk(w);
  });

  it('the money report (issue 8) counts what the bank booked for field actors, less what it gave back, against what funders paid', async () => {
    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
    // From the base tables: booked payouts still paid (a returned one was paid, then given back; a rejected one never was).
    const [paid] = await sql<{ n: number; amount: number }>(
      w.t,
      `SELECT count(*)::int AS n, coalesce(sum(amount_cents), 0)::int AS amount FROM payout WHERE status = 'paid'`,
    );
    const [returned] = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM payout WHERE status = 'returned'`);
    expect(paid.n).toBeGreaterThan(0);
    expect(returned.n).toBeGreaterThan(0);
    const [money] = await sql<{ received: number; fees: number }>(
      w.t,
      `SELECT (SELECT sum(amount_cents)::int FROM order_payment) AS received,
              (SELECT sum(amount_due_cents - booklet_count * vouchers_per_booklet * face_value_cents)::int FROM purchase_order WHERE paid_on IS NOT NULL) AS fees`,
    );
    const r = await api<{
      receivedCents: number;
      feesCents: number;
      creditNotesCents: number;
      paidToFieldActorsCents: number;
      fieldShare: number | null;
      periods: { period: string; paidToFieldActorsCents: number }[];
      sites: { siteId: string; year: number; paidCents: number }[];
      checkpoint: { treeSize: number };
    }>(w.t, 'GET', `/v1/reports/money?groupBy=month&asOf=${today()}`, w.tokens.opFinance);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      receivedCents: money.received,
      feesCents: money.fees,
      creditNotesCents: 0,
      paidToFieldActorsCents: paid.amount,
      fieldShare: Math.round((paid.amount / money.received) * 10_000) / 10_000,
    });
    expect(r.body.periods).toEqual([expect.objectContaining({ period: today().slice(0, 7), paidToFieldActorsCents: paid.amount })]);
    const perSite = await sql<{ siteId: string; paid: number }>(
      w.t,
      // a site whose only booked payout came back earned 0 that year
      `SELECT site_id AS "siteId", sum(CASE WHEN status = 'paid' THEN amount_cents ELSE 0 END)::int AS paid
         FROM payout WHERE status IN ('paid', 'returned') GROUP BY 1 ORDER BY 1`,
    );
    expect(r.body.sites.map((x) => ({ siteId: x.siteId, paid: x.paidCents })).sort((a, b) => a.siteId.localeCompare(b.siteId))).toEqual(
      perSite.sort((a, b) => a.siteId.localeCompare(b.siteId)),
    );
    expect(r.body.sites.every((x) => x.year === Number(today().slice(0, 4)))).toBe(true);
    // Before today: nothing was booked yet.
    const before = await api<{ paidToFieldActorsCents: number }>(w.t, 'GET', '/v1/reports/money?asOf=2020-01-01', w.tokens.opFinance);
    expect(before.body.paidToFieldActorsCents).toBe(0);
    const csv = await api<string>(w.t, 'GET', `/v1/reports/money?format=csv&asOf=${today()}`, w.tokens.opFinance);
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'period;received_eur;fees_eur;credit_notes_eur;paid_to_field_actors_eur;tree_size',
    );
    expect((await api(w.t, 'GET', '/v1/reports/money', w.tokens.funder)).status).toBe(404);

    // The funnel's settled and paid steps: the vouchers of the statements issued, and of those whose
    // payout the bank booked and kept (a rejected or returned payout pays nothing).
    const [statements] = await sql<{ settled: number; paid: number }>(
      w.t,
      `SELECT sum(voucher_count)::int AS settled, coalesce(sum(voucher_count) FILTER (WHERE status = 'paid'), 0)::int AS paid FROM settlement_statement`,
    );
    const funnel = await api<{ total: { steps: Record<string, { vouchers: number }>; rates: Record<string, number | null> } }>(
      w.t,
      'GET',
      `/v1/reports/funnel?asOf=${today()}`,
      w.tokens.op,
    );
    expect(statements.paid).toBeGreaterThan(0);
    expect(funnel.body.total.steps.settled.vouchers).toBe(statements.settled);
    expect(funnel.body.total.steps.paid.vouchers).toBe(statements.paid);
    expect(funnel.body.total.steps.paid.vouchers).toBeLessThan(funnel.body.total.steps.settled.vouchers);
    expect((await api(w.t, 'GET', '/v1/reports/money?groupBy=week', w.tokens.opFinance)).status).toBe(400);
  });
});

function postXml(t: TestApp, url: string, token: string, payload: string) {
  return t.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, payload });
}
