import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { validateAgainstPain001Schema } from '../libs/settlement/src/sepa/test-fixtures';
import { PayoutPlanner } from '@sillage/settlement';
import { auditEventsDuring, seedUser, sql, tokenFor } from '@sillage/testing';
import { api } from './order-support';
import { createRedemptionWorld, handOver, qualifiedSite, RedemptionWorld, stockedOrder } from './redemption-support';
import { expectLedgerOk, redeemedAgo, runUntilDone, verifiedBankAccount } from './settlement-support';

interface Payout {
  id: string;
  reference: string;
  siteId: string;
  batchId: string;
  amountCents: number;
  status: string;
  ibanMasked: string;
  statements: string[];
}
interface Batch {
  id: string;
  number: string;
  status: string;
  paymentCount: number;
  totalCents: number;
  preparedBy: string | null;
  fileSha256: string | null;
}
interface Waiting {
  minimumCents: number;
  items: { siteId: string; amountCents: number; statements: number; waitingReason: string | null }[];
}

describe('payouts and payout batches', () => {
  let w: RedemptionWorld;
  let serials: string[];
  let secondFinance: string;
  let secondFinanceId: string;

  beforeAll(async () => {
    // A minimum of €15: one €10 voucher waits, two are paid.
    w = await createRedemptionWorld({ PAYOUT_MINIMUM_CENTS: '1500' });
    const stocked = await stockedOrder(w, { bookletCount: 9 });
    serials = stocked.serials;
    for (const serial of serials) await handOver(w, serial);
    const user = await seedUser(w.t, { id: w.operatorId, kinds: ['operator'] }, { role: 'finance' });
    secondFinance = tokenFor(w.t, user);
    secondFinanceId = user.id;
  }, 120_000);
  afterAll(() => w.close());

  it('pays each site whose statements may be paid, shows why the others wait, and releases the file only to a second finance user', async () => {
    const paid = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, paid.id, 'FR1420041010050500013M02606', 'PSSTFRPPXXX');
    const noAccount = await qualifiedSite(w.t);
    const small = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, small.id);
    const suspended = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, suspended.id);

    await redeemedAgo(w, paid, serials[0], [1, 2], 30);
    await redeemedAgo(w, paid, serials[0], [3], 28, 'accompagnement-individuel');
    await redeemedAgo(w, noAccount, serials[1], [1, 2], 30);
    await redeemedAgo(w, small, serials[2], [1], 30);
    await redeemedAgo(w, suspended, serials[3], [1, 2], 30);
    await sql(w.t, `UPDATE site_profile SET status = 'suspended' WHERE organisation_id = $1`, [suspended.id]);

    const { run } = await runUntilDone(w, new Date().toISOString());
    expect(run.statements).toBe(4);
    const batchOfRun = (await api<{ batchId: string }>(w.t, 'GET', `/v1/settlement-runs/${run.id}`, w.tokens.opFinance)).body.batchId;

    const payouts = await api<{ items: Payout[] }>(w.t, 'GET', '/v1/payouts', w.tokens.opFinance);
    expect(payouts.status).toBe(200);
    expect(payouts.body.items).toHaveLength(1);
    const payout = payouts.body.items[0];
    expect(payout).toMatchObject({ siteId: paid.id, amountCents: 3000, status: 'pending', ibanMasked: expect.stringMatching(/•+2606$/) });
    expect(payout.reference).toMatch(/^PAY-[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(payout.statements).toHaveLength(1);
    expect(payout.batchId).toBe(batchOfRun);
    const listed = await api<{ items: { status: string; payoutId: string | null }[] }>(
      w.t,
      'GET',
      `/v1/statements?runId=${run.id}&siteId=${paid.id}`,
      w.tokens.opFinance,
    );
    expect(listed.body.items).toEqual([expect.objectContaining({ status: 'in_payout', payoutId: payout.id })]);

    const waiting = await api<Waiting>(w.t, 'GET', '/v1/payouts/waiting', w.tokens.opFinance);
    expect(waiting.body.minimumCents).toBe(1500);
    const reasons = Object.fromEntries(waiting.body.items.map((i) => [i.siteId, [i.waitingReason, i.amountCents]]));
    expect(reasons).toEqual({
      [noAccount.id]: ['NO_VERIFIED_BANK_ACCOUNT', 2000],
      [small.id]: ['BELOW_MINIMUM', 1000],
      [suspended.id]: ['SITE_SUSPENDED', 2000],
    });
    // A site sees only its own waiting statements and payouts.
    const own = await api<Waiting>(w.t, 'GET', '/v1/payouts/waiting', small.admin);
    expect(own.body.items.map((i) => i.siteId)).toEqual([small.id]);
    expect((await api<{ items: Payout[] }>(w.t, 'GET', '/v1/payouts', small.admin)).body.items).toEqual([]);
    expect((await api(w.t, 'GET', `/v1/payouts/${payout.id}`, small.admin)).status).toBe(404);
    expect((await api(w.t, 'GET', `/v1/payouts/${payout.id}`, paid.admin)).status).toBe(200);

    // The statement is in the payout; the ledger holds the amount in flight.
    const [statement] = await sql<{ status: string; payout_id: string }>(
      w.t,
      `SELECT status, payout_id FROM settlement_statement WHERE site_id = $1`,
      [paid.id],
    );
    expect(statement).toEqual({ status: 'in_payout', payout_id: payout.id });
    const [pending] = await sql<{ amount: string; kind: string }>(w.t, `SELECT amount::text, kind FROM ledger_transfer WHERE id = $1`, [
      payout.id,
    ]);
    expect(pending).toEqual({ amount: '3000', kind: 'pending' });

    // The batch: prepared by the user who started the run, file written, not downloadable yet.
    const batch = await api<Batch>(w.t, 'GET', `/v1/payout-batches/${payout.batchId}`, w.tokens.opFinance);
    expect(batch.body).toMatchObject({ status: 'awaiting_release', paymentCount: 1, totalCents: 3000 });
    expect(batch.body.number).toMatch(/^VIR-\d{4}-\d{6}$/);
    const early = await api<{ code: string }>(w.t, 'GET', `/v1/payout-batches/${payout.batchId}/sepa`, secondFinance);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('BATCH_NOT_RELEASED');
    expect(early.res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const self = await api<{ code: string }>(w.t, 'POST', `/v1/payout-batches/${payout.batchId}/release`, w.tokens.opFinance);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('FOUR_EYES');
    expect((await sql<{ status: string }>(w.t, `SELECT status FROM payout_batch WHERE id = $1`, [payout.batchId]))[0].status).toBe(
      'awaiting_release',
    );
    // A site user may not release or download: operator routes do not exist for it.
    expect((await api(w.t, 'POST', `/v1/payout-batches/${payout.batchId}/release`, paid.admin)).status).toBe(404);
    expect((await api(w.t, 'GET', `/v1/payout-batches/${payout.batchId}/sepa`, paid.admin)).status).toBe(404);

    const released = await api<Batch & { releasedBy: string }>(w.t, 'POST', `/v1/payout-batches/${payout.batchId}/release`, secondFinance);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', releasedBy: secondFinanceId });

    const { result: file, events } = await auditEventsDuring(w.t, () =>
      api<string>(w.t, 'GET', `/v1/payout-batches/${payout.batchId}/sepa`, w.tokens.opFinance),
    );
    expect(file.status).toBe(200);
    expect(file.res.headers['content-type']).toMatch(/^application\/xml/);
    expect(file.res.headers['content-disposition']).toBe(`attachment; filename="${batch.body.number}.xml"`);
    expect(events.map((e) => e.action)).toEqual(['settlement.payout_batch_downloaded']);
    const validation = validateAgainstPain001Schema(file.body);
    expect(validation.errors).not.toMatch(/error/i);
    expect(validation.valid).toBe(true);
    const doc = new XMLParser({ parseTagValue: false }).parse(file.body) as {
      Document: {
        CstmrCdtTrfInitn: { GrpHdr: { NbOfTxs: string; CtrlSum: string }; PmtInf: { CdtTrfTxInf: { PmtId: { EndToEndId: string } } } };
      };
    };
    const init = doc.Document.CstmrCdtTrfInitn;
    expect(init.GrpHdr).toMatchObject({ NbOfTxs: '1', CtrlSum: '30.00' });
    expect(init.PmtInf.CdtTrfTxInf.PmtId.EndToEndId).toBe(payout.reference);
    // Downloads are byte-identical: the file is stored once.
    const again = await api<string>(w.t, 'GET', `/v1/payout-batches/${payout.batchId}/sepa`, secondFinance);
    expect(again.body).toBe(file.body);

    const csv = await api<string>(w.t, 'GET', `/v1/payout-batches/${payout.batchId}/csv`, w.tokens.opFinance);
    expect(csv.status).toBe(200);
    const rows = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(new RegExp(`^${payout.reference};.*;FR1420041010050500013M02606;PSSTFRPPXXX;30\\.00;`));

    await expectLedgerOk(w);
  });

  it('pays what waited once the reason is gone: one payout covering several statements, in a batch asked for by hand', async () => {
    const site = await qualifiedSite(w.t);
    await redeemedAgo(w, site, serials[4], [1], 50);
    await runUntilDone(w, new Date(Date.now() - 1000).toISOString());
    await redeemedAgo(w, site, serials[4], [2], 30);
    await runUntilDone(w, new Date().toISOString());
    const before = await api<Waiting>(w.t, 'GET', '/v1/payouts/waiting', site.admin);
    expect(before.body.items).toEqual([
      expect.objectContaining({ statements: 2, amountCents: 2000, waitingReason: 'NO_VERIFIED_BANK_ACCOUNT' }),
    ]);

    await verifiedBankAccount(w.t, site.id);
    const batch = await api<Batch>(w.t, 'POST', '/v1/payout-batches', secondFinance);
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({ status: 'awaiting_release', preparedBy: secondFinanceId });
    const mine = await api<{ items: Payout[] }>(w.t, 'GET', `/v1/payouts?batchId=${batch.body.id}&siteId=${site.id}`, w.tokens.opFinance);
    expect(mine.body.items).toEqual([expect.objectContaining({ amountCents: 2000, status: 'pending' })]);
    expect(mine.body.items[0].statements).toHaveLength(2);

    // Nothing else may be paid now: a second batch is refused and nothing is written.
    const count = async () => (await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM payout_batch`))[0].n;
    const batches = await count();
    const none = await api<{ code: string }>(w.t, 'POST', '/v1/payout-batches', secondFinance);
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('NOTHING_TO_PAY');
    expect(await count()).toBe(batches);
    await expectLedgerOk(w);
  });

  it('closes a batch asked for by hand whose request was interrupted after adding payouts, so they are not stuck', async () => {
    const site = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, site.id);
    await redeemedAgo(w, site, serials[6], [1, 2], 30);
    await runUntilDone(w, new Date().toISOString());
    // The run paid it; a bank return puts the statement back to unpaid — here by hand, as reconciliation would.
    const [{ payoutId, statementId }] = await sql<{ payoutId: string; statementId: string }>(
      w.t,
      `SELECT p.id AS "payoutId", s.id AS "statementId" FROM payout p JOIN settlement_statement s ON s.payout_id = p.id WHERE p.site_id = $1`,
      [site.id],
    );
    await sql(w.t, `UPDATE payout SET status = 'rejected', settled_at = now() WHERE id = $1`, [payoutId]);
    await sql(w.t, `UPDATE settlement_statement SET status = 'unpaid', payout_id = NULL WHERE id = $1`, [statementId]);
    await sql(
      w.t,
      `SET session_replication_role = replica; INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, pending_id, pending_amount, event_at)
       SELECT gen_random_uuid(), 'void_pending', debit_account_id, credit_account_id, amount, currency, id, amount, now() FROM ledger_transfer WHERE id = '${payoutId}'`,
    );
    // A request that added the payout and died before writing the file (as PayoutBatchesService.create does, first half).
    const interrupted = randomUUID();
    const added = await w.t.app.get(PayoutPlanner).addPayouts(interrupted, { runId: null, preparedBy: secondFinanceId });
    expect(added).toBe(1);
    await sql(w.t, `UPDATE payout_batch SET created_at = now() - interval '11 minutes' WHERE id = $1`, [interrupted]);

    // The next request closes it first (its payout waits there, not in a new batch): nothing else to pay now.
    const next = await api<{ code: string }>(w.t, 'POST', '/v1/payout-batches', w.tokens.opFinance);
    expect(next.status).toBe(409);
    expect(next.body.code).toBe('NOTHING_TO_PAY');
    const closed = await api<Batch>(w.t, 'GET', `/v1/payout-batches/${interrupted}`, w.tokens.opFinance);
    expect(closed.body).toMatchObject({ status: 'awaiting_release', paymentCount: 1, totalCents: 2000 });
    await expectLedgerOk(w);
  });

  it('a batch prepared by the schedule takes an approval, then a release by another user', async () => {
    const site = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, site.id);
    await redeemedAgo(w, site, serials[5], [1, 2], 30);
    const { run } = await runUntilDone(w, new Date().toISOString());
    // As the schedule would have left it: nobody prepared it.
    await sql(w.t, `UPDATE payout_batch SET prepared_by = NULL WHERE run_id = $1`, [run.id]);
    const [{ id }] = await sql<{ id: string }>(w.t, `SELECT id FROM payout_batch WHERE run_id = $1`, [run.id]);
    const first = await api<Batch>(w.t, 'POST', `/v1/payout-batches/${id}/release`, secondFinance);
    expect(first.body).toMatchObject({ status: 'awaiting_release', preparedBy: secondFinanceId });
    expect((await api(w.t, 'POST', `/v1/payout-batches/${id}/release`, secondFinance)).status).toBe(403);
    const second = await api<Batch>(w.t, 'POST', `/v1/payout-batches/${id}/release`, w.tokens.opFinance);
    expect(second.body.status).toBe('released');
  });

  it('ledger:check names a statement marked paid while its payout is pending, and a payout whose amount disagrees', async () => {
    const [s] = await sql<{ id: string; number: string; payout_id: string }>(
      w.t,
      `SELECT id, number, payout_id FROM settlement_statement WHERE status = 'in_payout' ORDER BY number LIMIT 1`,
    );
    await sql(w.t, `UPDATE settlement_statement SET status = 'paid' WHERE id = $1`, [s.id]);
    await sql(w.t, `UPDATE payout SET amount_cents = amount_cents + 1 WHERE id = $1`, [s.payout_id]);
    try {
      const check = await api<{ ok: boolean; checks: { name: string; problems: string[] }[] }>(w.t, 'GET', '/v1/ledger/check', w.tokens.op);
      expect(check.body.ok).toBe(false);
      const problems = check.body.checks.find((c) => c.name === 'payouts')!.problems.join('\n');
      expect(problems).toContain(`statement ${s.number} is paid but in 1 live payouts (1 pending, 0 paid)`);
      expect(problems).toMatch(new RegExp(`payout ${s.payout_id}: payout PAY-\\w+ of \\d+ ≠ its statements`));
    } finally {
      await sql(w.t, `UPDATE settlement_statement SET status = 'in_payout' WHERE id = $1`, [s.id]);
      await sql(w.t, `UPDATE payout SET amount_cents = amount_cents - 1 WHERE id = $1`, [s.payout_id]);
    }
    await expectLedgerOk(w);
  });

  it('pages every settlement list one row at a time without skipping any, and refuses a cursor it did not make', async () => {
    const forged = Buffer.from(JSON.stringify(['not-a-time', 'not-an-id'])).toString('base64url');
    // A date JavaScript accepts and PostgreSQL does not.
    const yearZero = Buffer.from(JSON.stringify(['0000-01-01T00:00:00.000000Z', randomUUID()])).toString('base64url');
    for (const path of [
      '/v1/pricing-rules',
      '/v1/settlement-runs',
      '/v1/statements',
      '/v1/payouts',
      '/v1/payout-batches',
      '/v1/settlement-corrections',
    ]) {
      const all = await api<{ items: { id: string }[] }>(w.t, 'GET', `${path}?limit=100`, w.tokens.opFinance);
      expect([path, all.status]).toEqual([path, 200]);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await api(
          w.t,
          'GET',
          `${path}?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          w.tokens.opFinance,
        );
        paged.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect([path, paged]).toEqual([path, all.body.items.map((i) => i.id)]);
      for (const cursor of [forged, yearZero]) {
        const bad = await api<{ code: string }>(w.t, 'GET', `${path}?cursor=${cursor}`, w.tokens.opFinance);
        expect([path, bad.status, bad.body.code]).toEqual([path, 400, 'INVALID_CURSOR']);
      }
    }
  });

  it('refuses bad ids and unknown batches with problem+json', async () => {
    // A malformed id names nothing: 404, like an unknown one.
    const bad = await api<{ code: string }>(w.t, 'GET', '/v1/payout-batches/not-a-uuid', w.tokens.opFinance);
    expect(bad.status).toBe(404);
    expect(bad.res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const unknown = await api(w.t, 'POST', '/v1/payout-batches/00000000-0000-4000-8000-000000000000/release', secondFinance);
    expect(unknown.status).toBe(404);
    expect(unknown.res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const badFilter = await api(w.t, 'GET', '/v1/payouts?status=lost', w.tokens.opFinance);
    expect(badFilter.status).toBe(400);
  });
});
