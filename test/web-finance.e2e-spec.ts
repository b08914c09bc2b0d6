import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { FixtureUser, pdfText, sql, tokenFor } from '@sillage/testing';
import type { Browser, Download, Page } from 'playwright-core';
import { validateAgainstPain001Schema } from '../libs/settlement/src/sepa/test-fixtures';
import { browserUser, launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations, signInAs } from './browser-support';
import { api } from './order-support';
import { createRedemptionWorld, handOver, qualifiedSite, RedemptionWorld, stockedOrder, TestSite } from './redemption-support';
import { redeemedAgo, verifiedBankAccount } from './settlement-support';

/** The file a click downloads: its suggested name and its bytes. */
async function downloaded(p: Page, click: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
  const [download]: [Download, void] = await Promise.all([p.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), body: readFileSync(await download.path()) };
}

/** Waits until the page shows `n` rows in the table matched by `selector`. */
async function rowsShown(p: Page, selector: string, n: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await p.locator(`${selector} tbody tr`).count()) !== n) {
    if (Date.now() > deadline) throw new Error(`${selector}: not ${n} rows`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const euros = (cents: number) => (cents / 100).toFixed(2);
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });

/** A camt.053.001.08 statement of booked entries, one transaction each (end-to-end id = payout reference). */
function camt053(id: string, entries: { e2e: string; cents: number; direction: 'DBIT' | 'CRDT'; returnReason?: string }[]): string {
  const ntry = entries
    .map(
      (e, i) => `
      <Ntry>
        <NtryRef>NTRY-${i + 1}</NtryRef>
        <Amt Ccy="EUR">${euros(e.cents)}</Amt>
        <CdtDbtInd>${e.direction}</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${today()}</Dt></BookgDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>${e.direction === 'CRDT' ? 'RRTN' : 'ESCT'}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>${e.e2e}</EndToEndId></Refs>
            <Amt Ccy="EUR">${euros(e.cents)}</Amt>
            <CdtDbtInd>${e.direction}</CdtDbtInd>${e.returnReason ? `\n            <RtrInf><Rsn><Cd>${e.returnReason}</Cd></Rsn></RtrInf>` : ''}
          </TxDtls>
        </NtryDtls>
      </Ntry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-${id}</MsgId><CreDtTm>${new Date().toISOString()}</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${id}</Id>
      <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">5000000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>${today()}</Dt></Dt>
      </Bal>${ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}

/**
 * Operator finance in Chromium (issue 9): a settlement run started from its screen, its statements
 * equal to the database, the payout batch it prepared released by a second finance user (the first
 * one is refused, with the reason), the SEPA file downloaded (pain.001 whose control sum is the
 * batch's), statements filtered and downloaded as PDF, and a camt.053 bank statement imported with its
 * match report. axe on every screen.
 */
describe('web: finance — settlement run, four-eyes release, SEPA file, statements, bank statement import', () => {
  let w: RedemptionWorld;
  let browser: Browser;
  let base: string;
  let first: FixtureUser;
  let second: FixtureUser;
  let siteA: TestSite;
  let siteB: TestSite;
  let waiting: TestSite;
  let runId: string;
  let batchId: string;
  let p1: Page;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const { serials } = await stockedOrder(w, { bookletCount: 3, vouchersPerBooklet: 4 });
    for (const serial of serials) await handOver(w, serial);
    siteA = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, siteA.id, 'FR1420041010050500013M02606', 'PSSTFRPPXXX');
    siteB = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, siteB.id);
    waiting = await qualifiedSite(w.t); // no verified bank account: its statement waits
    await redeemedAgo(w, siteA, serials[0], [1, 2], 30);
    await redeemedAgo(w, siteA, serials[0], [3], 28, 'accompagnement-individuel');
    await redeemedAgo(w, siteB, serials[1], [1, 2], 30);
    await redeemedAgo(w, waiting, serials[2], [1], 30);
    // Too recent to settle (the 24 h rule): in no statement of this run.
    await redeemedAgo(w, siteB, serials[1], [3], 2);
    first = await browserUser(w.t, w.operatorId, 'finance', { displayName: 'Claire Durand' });
    second = await browserUser(w.t, w.operatorId, 'finance', { displayName: 'Malik Benali' });
    base = await listening(w.t);
    browser = await launchChromium();
  }, 240_000);
  const siteName = async (id: string) =>
    (await sql<{ name: string }>(w.t, `SELECT legal_name AS name FROM organisation WHERE id = $1`, [id]))[0].name;

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('runs a settlement whose statements equal the database; the batch it prepared cannot be released by the same user', async () => {
    p1 = await (await browser.newContext()).newPage();
    await signInAs(p1, base, w.t, first, '/app/settlement-runs');
    await p1.getByRole('heading', { level: 1, name: 'Règlements des lieux' }).waitFor();
    // The menu holds the operator's finance screens.
    const menu = plain(await p1.getByRole('navigation', { name: 'Menu principal' }).textContent());
    for (const item of ['Règlements', 'Lots de virements', 'Relevés', 'Relevés bancaires', 'Factures et avoirs'])
      expect(menu).toContain(item);
    await p1.getByText('Aucun règlement pour l’instant.').waitFor();
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);
    await p1.screenshot({ path: `${SCREENSHOTS}/finance-settlement-runs.png`, fullPage: true });

    // A cutoff in the future is refused with the reason.
    const cutoff = p1.getByLabel('Date d’arrêté (heure de votre ordinateur)');
    const tomorrow = new Date(Date.now() + 86_400_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const now = await cutoff.inputValue();
    await cutoff.fill(tomorrow);
    await p1.getByRole('button', { name: 'Lancer un règlement' }).click();
    await p1.getByRole('button', { name: 'Confirmer et lancer' }).click();
    expect(plain(await p1.getByRole('alert').textContent())).toBe(
      'La date d’arrêté est dans le futur : choisissez maintenant ou une date passée.',
    );
    expect(await sql(w.t, `SELECT id FROM settlement_run`)).toEqual([]);

    await cutoff.fill(now);
    await p1.getByRole('button', { name: 'Lancer un règlement' }).click();
    expect(plain(await p1.getByRole('group', { name: 'Lancer un règlement' }).textContent())).toMatch(
      /^Lancer le règlement arrêté au .+ \? Les relevés écrits ne se modifient plus/,
    );
    await p1.getByRole('button', { name: 'Confirmer et lancer' }).click();
    await p1.waitForURL(/\/app\/settlement-runs\/[0-9a-f-]{36}$/);
    runId = p1.url().split('/').pop()!;
    await p1.getByText(/^Règlement terminé : 3 relevés écrits\.$/).waitFor({ timeout: 60_000 });
    await p1.locator('table.statements tbody tr').first().waitFor();

    // Every statement of the run, as the database holds it.
    const db = await sql<{ number: string; total: number; site: string; vouchers: number; status: string }>(
      w.t,
      `SELECT s.number, s.total_cents::int AS total, o.legal_name AS site, s.voucher_count::int AS vouchers, s.status
         FROM settlement_statement s JOIN organisation o ON o.id = s.site_id WHERE s.run_id = $1 ORDER BY s.number`,
      [runId],
    );
    expect(db.map((s) => s.total).sort()).toEqual([1000, 2000, 3000]);
    const rows = await p1
      .locator('table.statements tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/[\s\u202f\u00a0]+/g, ' ').trim())),
      );
    const shown = rows
      .map((r) => ({ number: r[0], site: r[1], vouchers: Number(r[3]), total: r[6], status: r[7] }))
      .sort((a, b) => a.number.localeCompare(b.number));
    const fr = (cents: number) => plain(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100));
    const statusFr: Record<string, string> = { unpaid: 'Non payé', in_payout: 'Virement en cours', paid: 'Payé' };
    expect(shown).toEqual(
      db.map((s) => ({ number: s.number, site: s.site, vouchers: s.vouchers, total: fr(s.total), status: statusFr[s.status] })),
    );
    const [run] = await sql<{ amount: number }>(w.t, `SELECT sum(total_cents)::int AS amount FROM settlement_statement WHERE run_id = $1`, [
      runId,
    ]);
    expect(plain(await p1.locator('.run-amount').textContent())).toBe(fr(run.amount));
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);
    await p1.screenshot({ path: `${SCREENSHOTS}/finance-settlement-run.png`, fullPage: true });

    // The batch the run prepared: the two sites with a verified account, prepared by this user.
    await p1.getByRole('link', { name: 'Voir le lot de virements de ce règlement' }).click();
    await p1.getByRole('heading', { level: 1, name: /^Lot de virements VIR-\d{4}-\d{6}$/ }).waitFor();
    batchId = p1.url().split('/').pop()!;
    const [batch] = await sql<{ total: number; payments: number; status: string; prepared_by: string }>(
      w.t,
      `SELECT total_cents::int AS total, payment_count AS payments, status, prepared_by FROM payout_batch WHERE id = $1`,
      [batchId],
    );
    expect(batch).toEqual({ total: 5000, payments: 2, status: 'awaiting_release', prepared_by: first.id });
    expect(plain(await p1.locator('.batch-total').textContent())).toBe(fr(5000));
    await p1.locator('tbody tr').nth(1).waitFor();
    expect(await p1.locator('tbody tr').count()).toBe(2);

    // Four eyes: the screen says why this user may not release it, and offers no release button.
    expect(plain(await p1.locator('.four-eyes').textContent())).toBe(
      'Vous avez préparé ce lot : vous ne pouvez pas le libérer vous-même. Une deuxième personne des finances doit le libérer (principe des quatre yeux) ; le fichier SEPA se télécharge ensuite.',
    );
    expect(await p1.getByRole('button', { name: 'Libérer le lot' }).count()).toBe(0);
    expect(plain(await p1.getByText('Les fichiers se téléchargent une fois le lot libéré.').textContent())).toBeTruthy();
    // And the API refuses this user's release anyway.
    const self = await api<{ code: string }>(w.t, 'POST', `/v1/payout-batches/${batchId}/release`, tokenFor(w.t, first));
    expect([self.status, self.body.code]).toEqual([403, 'FOUR_EYES']);
    expect((await sql<{ status: string }>(w.t, `SELECT status FROM payout_batch WHERE id = $1`, [batchId]))[0].status).toBe(
      'awaiting_release',
    );
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);
    await p1.screenshot({ path: `${SCREENSHOTS}/finance-batch-four-eyes.png`, fullPage: true });
    // The same explanation in English.
    await p1.getByRole('button', { name: 'Switch to English' }).click();
    expect(plain(await p1.locator('.four-eyes').textContent())).toBe(
      'You prepared this batch: you cannot release it yourself. A second finance user must release it (four eyes); the SEPA file downloads after that.',
    );
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);
    await p1.getByRole('button', { name: 'Passer en français' }).click();
    await p1.getByRole('heading', { level: 1, name: /^Lot de virements/ }).waitFor();
  }, 180_000);

  it('lets a second finance user release the batch, then downloads its SEPA file: pain.001 whose total is the batch', async () => {
    const p2 = await (await browser.newContext()).newPage();
    await signInAs(p2, base, w.t, second, '/app/payout-batches');
    await p2.getByRole('heading', { level: 1, name: 'Lots de virements' }).waitFor();
    const [batch] = await sql<{ number: string }>(w.t, `SELECT number FROM payout_batch WHERE id = $1`, [batchId]);
    const row = p2.locator('tbody tr', { has: p2.getByRole('link', { name: batch.number }) });
    expect(plain(await row.textContent())).toContain('En attente de libération');
    // What waits, and why: the site without a verified account.
    await p2.getByText('Pas de compte bancaire vérifié').waitFor();
    expect(await seriousAccessibilityViolations(p2)).toEqual([]);
    await p2.screenshot({ path: `${SCREENSHOTS}/finance-payout-batches.png`, fullPage: true });

    await p2.getByRole('link', { name: batch.number }).click();
    await p2.getByRole('heading', { level: 1, name: `Lot de virements ${batch.number}` }).waitFor();
    expect(plain(await p2.locator('.facts').textContent())).toContain('Préparé parune autre personne des finances');
    await p2.getByRole('button', { name: 'Libérer le lot' }).click();
    expect(plain(await p2.getByRole('group', { name: 'Libérer le lot' }).locator('p').textContent())).toBe(
      `Libérer le lot ${batch.number} : 2 virements pour 50,00 € ? Le fichier pourra alors être téléchargé et envoyé à la banque.`,
    );
    expect(await seriousAccessibilityViolations(p2)).toEqual([]);
    // By keyboard: the focus is on the question; the next stop confirms.
    await p2.locator('.confirm p:focus').waitFor({ timeout: 2_000 });
    expect(await p2.evaluate('document.activeElement.textContent')).toMatch(/^Libérer le lot VIR-/);
    await p2.keyboard.press('Tab');
    expect(await p2.evaluate('document.activeElement.textContent')).toBe('Confirmer la libération');
    await p2.keyboard.press('Enter');
    await p2.getByText('Le lot est libéré : le fichier SEPA peut être téléchargé.').waitFor();
    // The message comes with the answer; the status shown follows when the batch is read again.
    await p2.locator('.batch-status', { hasText: /^Libéré$/ }).waitFor();
    const [released] = await sql<{ status: string; released_by: string }>(
      w.t,
      `SELECT status, released_by FROM payout_batch WHERE id = $1`,
      [batchId],
    );
    expect(released).toEqual({ status: 'released', released_by: second.id });

    const file = await downloaded(p2, () => p2.getByRole('button', { name: 'Télécharger le fichier SEPA (pain.001, XML)' }).click());
    expect(file.name).toBe(`${batch.number}.xml`);
    const xml = file.body.toString('utf8');
    expect(xml).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    const validation = validateAgainstPain001Schema(xml);
    expect(validation.errors).not.toMatch(/error/i);
    expect(validation.valid).toBe(true);
    type Tx = { PmtId: { EndToEndId: string }; Amt: { InstdAmt: { '#text': string } } };
    const doc = new XMLParser({ parseTagValue: false, ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      Document: { CstmrCdtTrfInitn: { GrpHdr: { NbOfTxs: string; CtrlSum: string }; PmtInf: { CtrlSum: string; CdtTrfTxInf: Tx | Tx[] } } };
    };
    const init = doc.Document.CstmrCdtTrfInitn;
    const [dbBatch] = await sql<{ total: number; payments: number }>(
      w.t,
      `SELECT total_cents::int AS total, payment_count AS payments FROM payout_batch WHERE id = $1`,
      [batchId],
    );
    expect(init.GrpHdr).toMatchObject({
      MsgId: `SILLAGE-${batch.number}`,
      NbOfTxs: String(dbBatch.payments),
      CtrlSum: euros(dbBatch.total),
    });
    expect(init.PmtInf.CtrlSum).toBe(euros(dbBatch.total));
    const txs = ([] as Tx[]).concat(init.PmtInf.CdtTrfTxInf);
    const payouts = await sql<{ reference: string; cents: number }>(
      w.t,
      `SELECT reference, amount_cents::int AS cents FROM payout WHERE batch_id = $1 ORDER BY reference`,
      [batchId],
    );
    expect(txs.map((t) => [t.PmtId.EndToEndId, t.Amt.InstdAmt['#text']]).sort()).toEqual(payouts.map((p) => [p.reference, euros(p.cents)]));
    expect(Math.round(txs.reduce((s, t) => s + Number(t.Amt.InstdAmt['#text']) * 100, 0))).toBe(dbBatch.total);
    await p2
      .getByRole('status')
      .filter({ hasText: `Téléchargement de ${batch.number}.xml lancé.` })
      .waitFor({ state: 'attached' });
    expect(await seriousAccessibilityViolations(p2)).toEqual([]);
    await p2.screenshot({ path: `${SCREENSHOTS}/finance-batch-released.png`, fullPage: true });
    await p2.context().close();

    // The first user's screen now shows it released, with its files.
    await p1.reload();
    await p1.getByRole('button', { name: 'Télécharger le fichier SEPA (pain.001, XML)' }).waitFor();
    expect(plain(await p1.locator('.batch-status').textContent())).toBe('Libéré');
    expect(await p1.locator('.four-eyes').count()).toBe(0);
  }, 180_000);

  it('filters the statements by status and by site, and downloads one as PDF', async () => {
    await p1.getByRole('link', { name: 'Relevés', exact: true }).click();
    await p1.getByRole('heading', { level: 1, name: 'Relevés de remboursement' }).waitFor();
    await p1.locator('table.statements tbody tr').nth(2).waitFor();
    expect(await p1.locator('table.statements tbody tr').count()).toBe(3);

    await p1.getByLabel('État').selectOption({ label: 'Non payé' });
    await rowsShown(p1, 'table.statements', 1);
    const [unpaid] = await sql<{ number: string }>(w.t, `SELECT number FROM settlement_statement WHERE status = 'unpaid'`);
    expect(await p1.locator('table.statements tbody tr th').textContent()).toBe(unpaid.number);
    await p1.getByLabel('État').selectOption({ label: 'Tous' });
    await p1.locator('table.statements tbody tr').nth(2).waitFor();

    const [a] = await sql<{ name: string; number: string; total: number }>(
      w.t,
      `SELECT o.legal_name AS name, s.number, s.total_cents::int AS total FROM settlement_statement s JOIN organisation o ON o.id = s.site_id WHERE s.site_id = $1`,
      [siteA.id],
    );
    await p1.getByLabel('Rechercher un lieu par son nom').fill(a.name);
    await p1.locator('#statement-site option', { hasText: a.name }).waitFor({ state: 'attached' });
    await p1.getByLabel('Lieu', { exact: true }).selectOption({ label: a.name });
    await rowsShown(p1, 'table.statements', 1);
    expect(await p1.locator('table.statements tbody tr th').textContent()).toBe(a.number);
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);
    await p1.screenshot({ path: `${SCREENSHOTS}/finance-statements.png`, fullPage: true });

    const pdf = await downloaded(p1, () => p1.getByRole('button', { name: `PDF ${a.number}` }).click());
    expect(pdf.name).toBe(`${a.number}.pdf`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = plain(pdfText(pdf.body));
    expect(text).toContain(a.number);
    expect(text).toContain('30,00');
  }, 120_000);

  it('imports a camt.053 bank statement and shows the match report: matched, returned, unmatched', async () => {
    const payouts = await sql<{ reference: string; cents: number; site: string }>(
      w.t,
      `SELECT reference, amount_cents::int AS cents, site_id AS site FROM payout WHERE batch_id = $1`,
      [batchId],
    );
    const pa = payouts.find((x) => x.site === siteA.id)!;
    const pb = payouts.find((x) => x.site === siteB.id)!;
    const xml = camt053(`STMT-WEB-${Date.now()}`, [
      { e2e: pa.reference, cents: pa.cents, direction: 'DBIT' },
      { e2e: pb.reference, cents: pb.cents, direction: 'DBIT' },
      { e2e: pb.reference, cents: pb.cents, direction: 'CRDT', returnReason: 'AC04' },
      { e2e: 'PAY-01JD0Q7Z5N3V4X2C8B6M9K1H0G', cents: 1234, direction: 'DBIT' },
    ]);

    await p1.getByRole('link', { name: 'Relevés bancaires' }).click();
    await p1.getByRole('heading', { level: 1, name: 'Relevés bancaires' }).waitFor();
    await p1.getByText('Aucun relevé importé.').waitFor();
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);

    // A file that is no statement is refused, and nothing is imported.
    const input = p1.getByLabel('Fichier du relevé (camt.053 XML ou CSV, 20 Mo au plus)');
    await input.setInputFiles({ name: 'notes.xml', mimeType: 'application/xml', buffer: Buffer.from('<notes><n>bonjour</n></notes>') });
    await p1.getByRole('button', { name: 'Importer et rapprocher' }).click();
    expect(plain(await p1.getByRole('alert').textContent())).toMatch(/^Ce relevé est refusé, rien n’a été importé \(NOT_CAMT053\) : /);
    expect(await sql(w.t, `SELECT id FROM bank_statement_import`)).toEqual([]);
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);

    await input.setInputFiles({ name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await p1.getByRole('button', { name: 'Importer et rapprocher' }).click();
    await p1.getByRole('heading', { level: 2, name: 'Rapprochement de ce relevé' }).waitFor();
    expect(plain(await p1.locator('.match-report .summary').textContent())).toBe(
      '4 transactions lues : 2 rapprochées, 1 retournée ou rejetée, 1 à vérifier.',
    );
    const count = async (outcome: string) => Number(await p1.locator(`table.outcomes tr[data-outcome="${outcome}"] td`).textContent());
    expect([await count('paid'), await count('returned'), await count('unmatched'), await count('amount_mismatch')]).toEqual([2, 1, 1, 0]);
    const outcomes = await p1
      .locator('.match-report table.entries tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-outcome')));
    expect(outcomes).toEqual(['paid', 'paid', 'returned', 'unmatched']);
    expect(plain(await p1.locator('.match-report table.entries tbody tr').nth(2).textContent())).toContain(
      'Retourné par la banque après paiement (motif AC04)',
    );

    // The database agrees: A paid, B returned (its statement waits again), the import's counts.
    const status = async (reference: string) =>
      (await sql<{ status: string }>(w.t, `SELECT status FROM payout WHERE reference = $1`, [reference]))[0].status;
    expect([await status(pa.reference), await status(pb.reference)]).toEqual(['paid', 'returned']);
    const [imported] = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM bank_statement_entry WHERE outcome = 'unmatched'`);
    expect(imported.n).toBe(1);
    // The review list across imports holds the transaction no payout matches.
    await rowsShown(p1, '.review table.entries', 1);
    expect(plain(await p1.locator('.review table.entries tbody tr').textContent())).toContain('PAY-01JD0Q7Z5N3V4X2C8B6M9K1H0G');
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);
    await p1.screenshot({ path: `${SCREENSHOTS}/finance-bank-statement-import.png`, fullPage: true });

    // The same file again changes nothing, and says so.
    await p1.getByRole('button', { name: 'Importer et rapprocher' }).click();
    await p1.getByText(/avait déjà été importé : rien n’a changé/).waitFor();
    expect((await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM bank_statement_import`))[0].n).toBe(1);

    // The import's own page, from the list.
    await p1.getByRole('link', { name: /^STMT-WEB-/ }).click();
    await p1.getByRole('heading', { level: 1, name: /^Relevé bancaire STMT-WEB-/ }).waitFor();
    expect(await p1.locator('.match-report table.entries tbody tr').count()).toBe(4);
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);
    await p1.screenshot({ path: `${SCREENSHOTS}/finance-bank-statement.png`, fullPage: true });

    // The payouts as they stand now: A paid, B returned with the bank's reason; B's statement waits for the next batch.
    await p1.getByRole('link', { name: 'Virements', exact: true }).click();
    await p1.getByRole('heading', { level: 1, name: 'Virements aux lieux' }).waitFor();
    await rowsShown(p1, 'table.payouts', 2);
    const payoutRows = await p1
      .locator('table.payouts tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/[\s\u202f\u00a0]+/g, ' ').trim())),
      );
    const bySite = Object.fromEntries(payoutRows.map((r) => [r[0], r[3]]));
    expect(bySite).toEqual({ [pa.reference]: 'Payé', [pb.reference]: 'Retourné par la banque (motif AC04)' });
    // The waiting statements come from their own request: wait for them like the payouts above.
    await rowsShown(p1, 'table.waiting', 2);
    const waitingRows = await p1.locator('table.waiting tbody tr').allTextContents();
    expect(waitingRows.map(plain).sort()).toEqual(
      [
        `${await siteName(siteB.id)}20,00 €1Payé dans le prochain lot`,
        `${await siteName(waiting.id)}10,00 €1Pas de compte bancaire vérifié`,
      ].sort(),
    );
    expect(await seriousAccessibilityViolations(p1)).toEqual([]);
    await p1.screenshot({ path: `${SCREENSHOTS}/finance-payouts.png`, fullPage: true });
    await p1.context().close();
  }, 120_000);
});
