import { readFileSync } from 'node:fs';
import { parisDate } from '@sillage/common';
import { SettlementExpireJob } from '@sillage/settlement';
import { FixtureUser, pdfText, sql } from '@sillage/testing';
import type { Browser, Download, Page } from 'playwright-core';
import { browserUser, launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations, signInAs } from './browser-support';
import { addDays, createRedemptionWorld, handOver, qualifiedSite, RedemptionWorld, stockedOrder, TestSite } from './redemption-support';
import { redeemedAgo, runUntilDone, verifiedBankAccount } from './settlement-support';

async function downloaded(p: Page, click: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
  const [download]: [Download, void] = await Promise.all([p.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), body: readFileSync(await download.path()) };
}

/** The rows of a table as the page shows them: each cell's text, spaces made plain. */
const cells = (p: Page, selector: string) =>
  p
    .locator(`${selector} tbody tr`)
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/[\s\u202f\u00a0]+/g, ' ').trim())),
    );

async function rowsShown(p: Page, selector: string, n: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await p.locator(`${selector} tbody tr`).count()) !== n) {
    if (Date.now() > deadline) throw new Error(`${selector}: not ${n} rows`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const fr = (cents: number) => plain(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100));

/**
 * The finance screens of a site and of a funder (issue 9), in Chromium: a site's finance sees its own
 * statements only (and none of the operator's screens), a funder's finance its invoices and credit
 * notes (filters, PDF), the operator's finance every funder's, filtered by funder. axe on every screen.
 */
describe('web: finance — a site’s statements and payouts, a funder’s invoices and credit notes, a scheduled batch approved then released', () => {
  let w: RedemptionWorld;
  let browser: Browser;
  let base: string;
  let siteA: TestSite;
  let siteB: TestSite;
  let orderWithNote: string;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const { serials } = await stockedOrder(w, { bookletCount: 2, vouchersPerBooklet: 4 });
    for (const serial of serials) await handOver(w, serial);
    siteA = await qualifiedSite(w.t);
    await verifiedBankAccount(w.t, siteA.id);
    siteB = await qualifiedSite(w.t);
    await redeemedAgo(w, siteA, serials[0], [1, 2], 50);
    await redeemedAgo(w, siteB, serials[1], [1], 50);
    await runUntilDone(w, new Date(Date.now() - 3_600_000).toISOString());
    await redeemedAgo(w, siteA, serials[0], [3], 30);
    await runUntilDone(w, new Date().toISOString());

    // An order whose vouchers expired unused: its credit note.
    const expired = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 4 });
    await handOver(w, expired.serials[0]);
    orderWithNote = expired.order.id;
    const today = parisDate(new Date());
    await sql(w.t, `UPDATE purchase_order SET validity_end_date = $2, tolerance_days = 0 WHERE id = $1`, [
      orderWithNote,
      addDays(today, -9),
    ]);
    await w.t.app.get(SettlementExpireJob).handle({ day: today });
    const notes = await sql(w.t, `SELECT id FROM invoice WHERE kind = 'credit_note' AND order_id = $1`, [orderWithNote]);
    expect(notes).toHaveLength(1);

    base = await listening(w.t);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const signedIn = async (user: FixtureUser, next: string): Promise<Page> => {
    const p = await (await browser.newContext()).newPage();
    await signInAs(p, base, w.t, user, next);
    return p;
  };

  it('shows a site’s finance its own statements only, downloads one, and none of the operator’s screens', async () => {
    const user = await browserUser(w.t, siteA.id, 'finance');
    const p = await signedIn(user, '/app/statements');
    await p.getByRole('heading', { level: 1, name: 'Relevés de remboursement' }).waitFor();
    const menu = plain(await p.getByRole('navigation', { name: 'Menu principal' }).textContent());
    expect(menu).toContain('Relevés');
    for (const item of ['Règlements', 'Lots de virements', 'Relevés bancaires', 'Factures et avoirs']) expect(menu).not.toContain(item);
    // No site filter: a site sees its own.
    expect(await p.getByLabel('Rechercher un lieu par son nom').count()).toBe(0);

    const db = await sql<{ number: string; total: number; status: string }>(
      w.t,
      `SELECT number, total_cents::int AS total, status FROM settlement_statement WHERE site_id = $1 ORDER BY created_at DESC, id DESC`,
      [siteA.id],
    );
    expect(db).toHaveLength(2);
    await rowsShown(p, 'table.statements', 2);
    const shown = await cells(p, 'table.statements');
    const statusFr: Record<string, string> = { unpaid: 'Non payé', in_payout: 'Virement en cours', paid: 'Payé' };
    expect(shown.map((r) => [r[0], r[6], r[7]])).toEqual(db.map((s) => [s.number, fr(s.total), statusFr[s.status]]));
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-site-statements.png`, fullPage: true });

    const csv = await downloaded(p, () => p.getByRole('button', { name: `CSV ${db[0].number}` }).click());
    expect(csv.name).toBe(`${db[0].number}.csv`);
    expect(csv.body.toString('utf8')).toMatch(/^\uFEFF/);
    const pdf = await downloaded(p, () => p.getByRole('button', { name: `PDF ${db[1].number}` }).click());
    expect(pdf.name).toBe(`${db[1].number}.pdf`);
    expect(plain(pdfText(pdf.body))).toContain(db[1].number);

    // A statement's lines: what the database holds, summing to its total.
    await p.getByRole('link', { name: db[1].number }).click();
    await p.getByRole('heading', { level: 1, name: `Relevé ${db[1].number}` }).waitFor();
    expect(plain(await p.locator('.statement-total').textContent())).toBe(fr(db[1].total));
    const lines = await sql<{ category: string; vouchers: number; amount: number }>(
      w.t,
      `SELECT l.service_category_code AS category, l.voucher_count AS vouchers, l.amount_cents::int AS amount
         FROM settlement_statement_line l JOIN settlement_statement s ON s.id = l.statement_id WHERE s.number = $1 ORDER BY l.id`,
      [db[1].number],
    );
    expect(lines.reduce((sum, l) => sum + l.amount, 0)).toBe(db[1].total);
    const shownLines = await cells(p, 'table.lines');
    expect(shownLines.map((r) => [r[1], Number(r[4]), r[7]])).toEqual(lines.map((l) => [l.category, l.vouchers, fr(l.amount)]));
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-site-statement.png`, fullPage: true });

    // Its payouts: one per run (the site has a verified account), nothing waiting.
    await p.getByRole('link', { name: 'Virements', exact: true }).click();
    await p.getByRole('heading', { level: 1, name: 'Virements aux lieux' }).waitFor();
    const payouts = await sql<{ reference: string; amount: number }>(
      w.t,
      `SELECT reference, amount_cents::int AS amount FROM payout WHERE site_id = $1 ORDER BY created_at DESC, id DESC`,
      [siteA.id],
    );
    expect(payouts).toHaveLength(2);
    await rowsShown(p, 'table.payouts', 2);
    expect((await cells(p, 'table.payouts')).map((r) => [r[0], r[1], r[2]])).toEqual(
      payouts.map((x) => [x.reference, fr(x.amount), 'En attente de paiement']),
    );
    await p.getByText('Aucun relevé impayé.').waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-site-payouts.png`, fullPage: true });

    // The operator's screens do not open for a site.
    await p.goto(`${base}/app/payout-batches`);
    expect(plain(await p.getByRole('alert').textContent())).toBe('Cette page n’existe pas ou votre compte n’y a pas accès.');
    await p.context().close();
  }, 120_000);

  it('lists a funder’s invoices and credit notes as the database holds them, filters them and downloads a credit note', async () => {
    const user = await browserUser(w.t, w.funderId, 'finance');
    const p = await signedIn(user, '/app/invoices');
    await p.getByRole('heading', { level: 1, name: 'Factures et avoirs' }).waitFor();
    const menu = plain(await p.getByRole('navigation', { name: 'Menu principal' }).textContent());
    for (const item of ['Règlements', 'Relevés']) expect(menu).not.toContain(item);
    const db = await sql<{ number: string; kind: string; payable: number; id: string }>(
      w.t,
      `SELECT id, number, kind, payable_cents::int AS payable FROM invoice WHERE funder_id = $1 ORDER BY created_at, id`,
      [w.funderId],
    );
    expect(db.filter((d) => d.kind === 'credit_note')).toHaveLength(1);
    await rowsShown(p, 'table.invoices', db.length);
    const kindFr: Record<string, string> = { invoice: 'Facture', credit_note: 'Avoir' };
    const shown = await cells(p, 'table.invoices');
    expect(shown.map((r) => [r[0], r[1].replace(/ sur .*$/, ''), r[5]])).toEqual(db.map((d) => [d.number, kindFr[d.kind], fr(d.payable)]));
    const note = db.find((d) => d.kind === 'credit_note')!;
    const [credited] = await sql<{ number: string }>(
      w.t,
      `SELECT c.number FROM invoice n JOIN invoice c ON c.id = n.credited_invoice_id WHERE n.id = $1`,
      [note.id],
    );
    expect(shown.find((r) => r[0] === note.number)![1]).toBe(`Avoir sur ${credited.number}`);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-invoices.png`, fullPage: true });

    await p.getByLabel('Type de document').selectOption({ label: 'Avoir' });
    await rowsShown(p, 'table.invoices', 1);
    expect(await p.locator('table.invoices tbody th').textContent()).toBe(note.number);
    const file = await downloaded(p, () => p.getByRole('button', { name: `PDF ${note.number}` }).click());
    expect(file.name).toBe(`${note.number}.pdf`);
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = plain(pdfText(file.body));
    expect(text).toContain(note.number);
    expect(text).toContain(credited.number);

    // The credit note's own page: what expired and what is credited, as the database holds it.
    await p.getByRole('link', { name: note.number }).click();
    await p.getByRole('heading', { level: 1, name: `Avoir ${note.number}` }).waitFor();
    const [cn] = await sql<{ expired: number; amount: number }>(
      w.t,
      `SELECT expired_voucher_count AS expired, amount_cents::int AS amount FROM credit_note WHERE id = $1`,
      [note.id],
    );
    expect(cn.amount).toBe(note.payable);
    expect(plain(await p.locator('.credited-amount').textContent())).toBe(fr(cn.amount));
    expect(plain(await p.locator('.facts').textContent())).toContain(`Chèques expirés sans être utilisés${cn.expired}`);
    await p.getByText('Aucun incident accepté sur cette commande.').waitFor();
    const ubl = await downloaded(p, () => p.getByRole('button', { name: 'Télécharger l’avoir électronique (UBL)' }).click());
    expect(ubl.name).toBe(`${note.number}.xml`);
    expect(ubl.body.toString('utf8')).toContain('<cbc:ID>' + note.number + '</cbc:ID>');
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-credit-note.png`, fullPage: true });
    await p.goBack();
    await p.getByRole('heading', { level: 1, name: 'Factures et avoirs' }).waitFor();

    // A year: a wrong one is explained; next year has nothing.
    await p.getByLabel('Année d’émission').fill('20');
    await p.getByText('Saisissez une année entre 2000 et 2100.').waitFor();
    await p.getByLabel('Année d’émission').fill(String(new Date().getFullYear() + 1));
    await p.getByText('Aucun document pour ces critères.').waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);

    // In English.
    await p.getByRole('button', { name: 'Switch to English' }).click();
    await p.getByRole('heading', { level: 1, name: 'Invoices and credit notes' }).waitFor();
    await p.getByLabel('Year issued').fill('');
    await p.getByLabel('Document type').selectOption({ label: 'All' });
    await rowsShown(p, 'table.invoices', db.length);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-invoices-en.png`, fullPage: true });
    await p.context().close();

    // Another funder's finance sees none of them.
    const other = await browserUser(w.t, w.otherFunderId, 'finance');
    const q = await signedIn(other, '/app/invoices');
    await q.getByText('Aucun document pour ces critères.').waitFor();
    await q.context().close();
  }, 120_000);

  it('lets the operator’s finance filter every funder’s documents by funder', async () => {
    const user = await browserUser(w.t, w.operatorId, 'finance');
    const p = await signedIn(user, '/app/invoices');
    await p.getByRole('heading', { level: 1, name: 'Factures et avoirs' }).waitFor();
    const all = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM invoice`);
    await rowsShown(p, 'table.invoices', all[0].n);
    const [funder] = await sql<{ name: string }>(w.t, `SELECT legal_name AS name FROM organisation WHERE id = $1`, [w.funderId]);
    await p.getByLabel('Rechercher un financeur par son nom').fill(funder.name);
    await p.locator('#invoice-funder option', { hasText: funder.name }).waitFor({ state: 'attached' });
    await p.getByLabel('Financeur', { exact: true }).selectOption({ label: funder.name });
    const own = await sql<{ number: string }>(w.t, `SELECT number FROM invoice WHERE funder_id = $1 ORDER BY created_at, id`, [w.funderId]);
    await rowsShown(p, 'table.invoices', own.length);
    expect((await cells(p, 'table.invoices')).map((r) => r[0])).toEqual(own.map((o) => o.number));
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-operator-invoices.png`, fullPage: true });
    await p.context().close();
  }, 120_000);

  it('a batch prepared by the schedule is approved by a first finance user, who is then told a second one must release it', async () => {
    const [batch] = await sql<{ id: string; number: string }>(w.t, `SELECT id, number FROM payout_batch ORDER BY created_at LIMIT 1`);
    // As the schedule leaves it: nobody prepared it.
    await sql(w.t, `UPDATE payout_batch SET prepared_by = NULL WHERE id = $1`, [batch.id]);
    const approver = await browserUser(w.t, w.operatorId, 'finance');
    const p = await signedIn(approver, `/app/payout-batches/${batch.id}`);
    await p.getByRole('heading', { level: 1, name: `Lot de virements ${batch.number}` }).waitFor();
    expect(plain(await p.locator('.facts').textContent())).toContain('Préparé parle calendrier automatique (pas encore approuvé)');
    await p.getByText(/^Ce lot a été préparé par le calendrier automatique : une première personne l’approuve/).waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-batch-approve.png`, fullPage: true });
    await p.getByRole('button', { name: 'Approuver le lot' }).click();
    await p.getByRole('button', { name: 'Confirmer l’approbation' }).click();
    await p.getByText('Lot approuvé : une autre personne des finances doit maintenant le libérer.').waitFor();
    await p.locator('.four-eyes').waitFor();
    expect(await p.getByRole('button', { name: /^(Libérer|Approuver) le lot$/ }).count()).toBe(0);
    const [row] = await sql<{ status: string; prepared_by: string }>(w.t, `SELECT status, prepared_by FROM payout_batch WHERE id = $1`, [
      batch.id,
    ]);
    expect(row).toEqual({ status: 'awaiting_release', prepared_by: approver.id });
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.context().close();

    // A second user releases it; the first one's screen, reloaded, offers the file.
    const releaser = await browserUser(w.t, w.operatorId, 'admin');
    const q = await signedIn(releaser, `/app/payout-batches/${batch.id}`);
    await q.getByRole('button', { name: 'Libérer le lot' }).click();
    await q.getByRole('button', { name: 'Confirmer la libération' }).click();
    await q.getByText('Le lot est libéré : le fichier SEPA peut être téléchargé.').waitFor();
    const csv = await downloaded(q, () => q.getByRole('button', { name: 'Télécharger le tableau (CSV)' }).click());
    expect(csv.name).toBe(`${batch.number}.csv`);
    const [{ n }] = await sql<{ n: number }>(w.t, `SELECT payment_count AS n FROM payout_batch WHERE id = $1`, [batch.id]);
    expect(
      csv.body
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(n + 1);
    await q.context().close();
  }, 120_000);

  it('shows a run in progress with a labelled progress bar, refuses another cutoff meanwhile, and shows the run once it completes', async () => {
    // A run the worker is still executing, as the schedule leaves it (the row alone: no job behind it).
    const [run] = await sql<{ id: string }>(
      w.t,
      `INSERT INTO settlement_run (id, cutoff, status, trigger) VALUES (gen_random_uuid(), now(), 'running', 'schedule') RETURNING id`,
    );
    const user = await browserUser(w.t, w.operatorId, 'finance');
    const p = await signedIn(user, '/app/settlement-runs');
    await p.getByRole('heading', { level: 1, name: 'Règlements des lieux' }).waitFor();
    await p.locator('tbody tr').first().waitFor();
    expect(plain(await p.locator('tbody tr').first().textContent())).toContain('En coursPlanifié');
    await p.getByRole('button', { name: 'Lancer un règlement' }).click();
    await p.getByRole('button', { name: 'Confirmer et lancer' }).click();
    expect(plain(await p.getByRole('alert').textContent())).toBe(
      'Un autre règlement est en cours : attendez qu’il se termine avant d’en lancer un autre.',
    );

    await p.goto(`${base}/app/settlement-runs/${run.id}`);
    await p.getByRole('progressbar', { name: 'Avancement du règlement' }).waitFor();
    await p.getByText('Le règlement est en cours : les relevés s’affichent dès qu’il est terminé.').waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/finance-settlement-run-running.png`, fullPage: true });

    // The screen follows the run: once completed, its outcome replaces the progress bar.
    await sql(w.t, `UPDATE settlement_run SET status = 'completed', completed_at = now() WHERE id = $1`, [run.id]);
    await p.getByText('Règlement terminé : 0 relevé écrit.').waitFor({ timeout: 15_000 });
    expect(await p.getByRole('progressbar').count()).toBe(0);
    await p.getByText('Aucun passage à régler pour cette date d’arrêté.').waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.context().close();
  }, 120_000);
});
