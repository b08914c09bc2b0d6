import { readFileSync } from 'node:fs';
import { AuditSealer } from '@sillage/audit';
import { ReportConsumer } from '@sillage/reporting';
import { SettlementExpireJob } from '@sillage/settlement';
import { sql } from '@sillage/testing';
import type { FixtureUser } from '@sillage/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { browserUser, launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations, signInAs } from './browser-support';
import { api, draftOrder, futureDate, payInFull } from './order-support';
import { addDays, createRedemptionWorld, handOver, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

const euros = (cents: number | string) =>
  plain(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(Number(cents) / 100));
const percent = (r: number | null) =>
  r === null ? '—' : plain(new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 }).format(r));
const count = (n: number) => plain(new Intl.NumberFormat('fr-FR').format(n));
const frenchDate = (day: string) =>
  plain(new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`)));

/** The bytes of a download the page starts with `click`. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/** Waits until `ok` holds (what the page shows after a filter changed), or fails after 20 s. */
async function until(ok: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await ok()) return;
  throw new Error('the page never showed what was expected');
}

const text = async (l: Locator) => plain(await l.textContent());
/** A table row's cells, separated by spaces. */
const cells = async (row: Locator) => {
  await row.first().waitFor();
  return plain((await row.locator('th, td').allTextContents()).map(plain).join(' '));
};

/**
 * The funder's portal (issue 9) in Chromium, against the real API, worker, database and Redis: a
 * funder admin creates a purchase order and confirms it, the operator records its payment (as the
 * platform does: operator finance, on the bank transfer), the funder downloads the invoice and the
 * print file (both PDFs), extends the validity, allocates booklets to a partner distributor, blocks
 * and replaces a lost booklet. Every figure on screen is checked against the database.
 */
describe('web: the funder portal, in Chromium', () => {
  let w: RedemptionWorld;
  let browser: Browser;
  let base: string;
  let admin: FixtureUser;
  let distributorName: string;

  beforeAll(async () => {
    // Every report PDF goes through the worker (202, an export to follow), so the progress bar shows.
    w = await createRedemptionWorld({ REPORT_PDF_INLINE_ROWS: '0' });
    [{ distributorName }] = await sql<{ distributorName: string }>(
      w.t,
      `UPDATE organisation SET legal_name = 'Centre social des Pentes' WHERE id = $1 RETURNING legal_name AS "distributorName"`,
      [w.distributorId],
    );
    await sql(w.t, `UPDATE organisation SET legal_name = 'Métropole de Lyon' WHERE id = $1`, [w.funderId]);
    admin = await browserUser(w.t, w.funderId, 'admin', { displayName: 'Inès Funder' });
    base = await listening(w.t);
    browser = await launchChromium();
  }, 240_000);
  // Each sign-in spends a TOTP step: a user signing in again within 30 s would wait, so each test has its own admin.
  const anotherAdmin = () => browserUser(w.t, w.funderId, 'admin');

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('creates and confirms an order, shows its payment, downloads the invoice and print PDFs, extends it, allocates, blocks and replaces a booklet', async () => {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await signInAs(page, base, w.t, admin, '/app/orders');
    await page.getByRole('heading', { level: 1, name: 'Bons de commande' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A draft order, first with a validity end date in the past: refused in plain words.
    await page.getByRole('link', { name: 'Nouvelle commande' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nouvelle commande' }).waitFor();
    await page.getByLabel('Nombre de carnets', { exact: true }).fill('3');
    await page.getByLabel('Chèques par carnet').fill('4');
    await page.getByLabel('Valeur d’un chèque (€)').fill('12,50');
    await page.getByLabel('Dernier jour de validité').fill('2020-01-31');
    await page.getByLabel('Départements éligibles').fill('69, 01');
    expect(await text(page.getByText(/^Soit 12 chèques/))).toBe('Soit 12 chèques, 150,00 € de valeur faciale (hors frais).');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/funder-order-new.png`, fullPage: true });
    await page.getByRole('button', { name: 'Créer le brouillon' }).click();
    expect(await text(page.getByRole('alert'))).toBe('La date de fin de validité est passée : choisissez aujourd’hui ou une date future.');
    const validity = futureDate(200);
    await page.getByLabel('Dernier jour de validité').fill(validity);
    await page.getByRole('button', { name: 'Créer le brouillon' }).click();
    const heading = page.getByRole('heading', { level: 1, name: /^Commande BC-/ });
    await heading.waitFor();
    const orderId = page.url().split('/').pop()!;
    const [draft] = await sql<{
      reference: string;
      status: string;
      booklet_count: number;
      face_value_cents: string;
      department_codes: string[];
    }>(w.t, `SELECT reference, status, booklet_count, face_value_cents, department_codes FROM purchase_order WHERE id = $1`, [orderId]);
    expect(draft).toMatchObject({ status: 'draft', booklet_count: 3, face_value_cents: '1250', department_codes: ['69', '01'] });
    expect(await text(heading)).toBe(`Commande ${draft.reference}`);
    expect(await text(page.locator('[data-fact="total-face-value"]'))).toBe('150,00 €');
    expect(await text(page.locator('[data-fact="status"]'))).toBe('Brouillon');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Confirmed after an explicit question: the invoice is issued, the booklets are made (progress).
    await page.getByRole('button', { name: 'Confirmer la commande' }).click();
    // The question takes the focus (read first; a second Enter by mistake does nothing); Tab reaches "yes".
    expect(await text(page.locator(':focus'))).toMatch(/^Confirmer cette commande/);
    await page.keyboard.press('Enter');
    expect(await text(page.locator(':focus'))).toMatch(/^Confirmer cette commande/);
    await page.keyboard.press('Tab');
    expect(await text(page.locator(':focus'))).toBe('Oui, confirmer et facturer');
    await page.keyboard.press('Enter');
    await page.getByText('Commande confirmée : la facture est émise et les carnets sont en cours de fabrication.').waitFor();
    await page.getByText(/^Tous les carnets sont fabriqués/).waitFor({ timeout: 60_000 });
    const [confirmed] = await sql<{ status: string; amount_due_cents: string }>(
      w.t,
      `SELECT status, amount_due_cents FROM purchase_order WHERE id = $1`,
      [orderId],
    );
    expect(confirmed.status).toBe('confirmed');
    expect(await text(page.locator('[data-fact="amount-due"]'))).toBe(euros(confirmed.amount_due_cents));
    expect(await text(page.locator('[data-fact="payment-status"]'))).toBe(
      `En attente de paiement : ${euros(confirmed.amount_due_cents)} restent à payer.`,
    );
    const [invoice] = await sql<{ number: string; payable_cents: string }>(
      w.t,
      `SELECT number, payable_cents FROM invoice WHERE order_id = $1 AND kind = 'invoice'`,
      [orderId],
    );
    expect(await text(page.locator('[data-fact="invoice-payable"]'))).toBe(euros(invoice.payable_cents));
    expect(invoice.payable_cents).toBe(confirmed.amount_due_cents);
    const invoicePdf = await downloaded(page, () => page.getByRole('button', { name: `PDF de ${invoice.number}` }).click());
    expect(invoicePdf.bytes.subarray(0, 4).toString()).toBe('%PDF');
    expect(invoicePdf.name).toMatch(/\.pdf$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The operator's finance team records the bank transfer in its portal (a funder cannot mark its own order paid).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const finance = await (await browser.newContext()).newPage();
    await signInAs(finance, base, w.t, await browserUser(w.t, w.operatorId, 'finance'), '/app/order-payments');
    await finance.getByRole('heading', { level: 1, name: 'Paiements des commandes' }).waitFor();
    const [{ reference }] = await sql<{ reference: string }>(w.t, `SELECT reference FROM purchase_order WHERE id = $1`, [orderId]);
    const toPay = finance.locator(`tr[data-order="${reference}"]`);
    expect(await cells(toPay)).toContain(`${euros(confirmed.amount_due_cents)} 0,00 € ${euros(confirmed.amount_due_cents)}`);
    await toPay.getByRole('button', { name: `Enregistrer un virement pour ${reference}` }).click();
    await finance.getByLabel('Montant reçu (€)').fill('');
    await finance.getByRole('button', { name: 'Enregistrer le virement' }).click();
    await finance.getByText('Saisissez la référence du virement.').waitFor();
    await finance.getByText('Saisissez un montant en euros, par exemple 1240,50.').waitFor();
    await finance.getByLabel('Référence du virement').fill('VIR-METROPOLE-0001');
    await finance.getByLabel('Montant reçu (€)').fill('999999');
    await finance.getByRole('button', { name: 'Enregistrer le virement' }).click();
    await finance.getByText('Ce montant dépasse ce qui reste à payer.').waitFor();
    expect(await seriousAccessibilityViolations(finance)).toEqual([]);
    await finance.screenshot({ path: `${SCREENSHOTS}/finance-order-payment.png`, fullPage: true });
    // Typed as people write it, with a space between thousands when there are some.
    await finance.getByLabel('Montant reçu (€)').fill(euros(confirmed.amount_due_cents).replace(' €', ''));
    await finance.getByRole('button', { name: 'Enregistrer le virement' }).click();
    await finance.getByText(`${reference} est payée en entier : ses chèques sont actifs.`).waitFor();
    await finance.context().close();
    await page.reload();
    await page.getByText(`Commande payée intégralement le ${frenchDate(today)} : ses chèques sont utilisables.`).waitFor();
    const [afterPay] = await sql<{ status: string; paid_cents: string }>(
      w.t,
      `SELECT status, paid_cents FROM purchase_order WHERE id = $1`,
      [orderId],
    );
    expect(afterPay.status).toBe('paid');
    expect(await text(page.locator('[data-fact="status"]'))).toBe('Payée');
    expect(await text(page.locator('[data-fact="paid"]'))).toBe(euros(afterPay.paid_cents));
    expect(await cells(page.getByRole('row', { name: /VIR-METROPOLE-0001/ }))).toBe(
      `VIR-METROPOLE-0001 ${frenchDate(today)} ${euros(afterPay.paid_cents)}`,
    );

    // The print file: generated in the background with a progress bar, then downloaded.
    await page.getByRole('button', { name: 'Générer le PDF à imprimer' }).click();
    await page.getByText('Le fichier d’impression est prêt.').waitFor({ timeout: 90_000 });
    expect(await page.getByLabel('Préparation du fichier d’impression').getAttribute('max')).toBe('12');
    const printPdf = await downloaded(page, () => page.getByRole('button', { name: 'Télécharger le PDF (partie 1 sur 1)' }).click());
    expect(printPdf.bytes.subarray(0, 4).toString()).toBe('%PDF');
    const [printFile] = await sql<{ size_bytes: string }>(
      w.t,
      `SELECT size_bytes FROM print_file WHERE order_id = $1 AND status = 'ready'`,
      [orderId],
    );
    expect(printPdf.bytes.length).toBe(Number(printFile.size_bytes));

    // Validity extended for the whole order, after a question.
    const later = futureDate(260);
    await page.getByLabel('Nouveau dernier jour de validité').fill(later);
    await page.getByLabel('Motif').fill('Ateliers prolongés jusqu’à l’été');
    await page.getByRole('button', { name: 'Prolonger' }).click();
    await page.getByRole('button', { name: 'Oui, prolonger' }).click();
    await page.getByText(`Validité prolongée : du ${frenchDate(validity)} au ${frenchDate(later)}.`).waitFor();
    const [extended] = await sql<{ day: string }>(w.t, `SELECT validity_end_date::text AS day FROM purchase_order WHERE id = $1`, [
      orderId,
    ]);
    expect(extended.day).toBe(later);
    await page.getByText(frenchDate(later), { exact: true }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/funder-order.png`, fullPage: true });

    // Allocation: two booklets of this order to the partner distributor.
    await page.getByRole('link', { name: 'Attribuer des carnets à un distributeur' }).click();
    await page.getByRole('heading', { level: 1, name: 'Attributions de carnets' }).waitFor();
    // The order comes chosen (once the paid orders are listed).
    await until(async () => (await page.getByLabel('Commande').inputValue()) === orderId);
    await page.getByLabel('Distributeur qui reçoit les carnets').selectOption({ label: distributorName });
    await page.getByLabel('Nombre de carnets', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Déplacer les carnets' }).click();
    expect(await text(page.getByRole('alert'))).toMatch(/^Pas assez de carnets disponibles/);
    await page.getByLabel('Nombre de carnets', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Déplacer les carnets' }).click();
    const booklets = () =>
      sql<{ serial: string; state: string; holder: string | null }>(
        w.t,
        `SELECT serial, state, holder_distributor_id AS holder FROM booklet WHERE order_id = $1 ORDER BY number`,
        [orderId],
      );
    let serials = await booklets();
    await page.getByText(`2 carnets déplacés (Vous → ${distributorName}) : ${serials[0].serial} – ${serials[1].serial}.`).waitFor();
    serials = await booklets();
    expect(serials.map((b) => [b.state, b.holder])).toEqual([
      ['ALLOCATED', w.distributorId],
      ['ALLOCATED', w.distributorId],
      ['CREATED', null],
    ]);
    expect(await cells(page.locator('tbody tr').first())).toContain(
      `Attribution Vous ${distributorName} 2 ${serials[0].serial} – ${serials[1].serial}`,
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/funder-allocations.png`, fullPage: true });

    // The third booklet is lost: blocked, then replaced by a new booklet of the same value.
    await page.goto(`${base}/app/orders/${orderId}/booklets`);
    await page.getByRole('heading', { level: 1, name: `Carnets de la commande ${draft.reference}` }).waitFor();
    const lost = serials[2].serial;
    await page.getByRole('button', { name: `Bloquer le carnet ${lost}` }).click();
    await page.getByLabel('Motif du blocage').selectOption({ label: 'Perdu' });
    await page.getByLabel('Précision (facultative)').fill('Perdu lors du déménagement du centre');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: `Bloquer le carnet ${lost}` }).click();
    await page.getByRole('button', { name: 'Oui, bloquer' }).click();
    await page.getByText(`Le carnet ${lost} est bloqué.`).waitFor();
    await page.getByRole('button', { name: `Remplacer le carnet ${lost}` }).click();
    await page.getByRole('button', { name: 'Oui, remplacer' }).click();
    await page.getByText(new RegExp(`^Le carnet ${lost} est remplacé par le carnet`)).waitFor();
    const [replaced] = await sql<{ reason: string; newSerial: string; vouchers: number }>(
      w.t,
      `SELECT b.block_reason AS reason, n.serial AS "newSerial", n.voucher_count AS vouchers
       FROM booklet b JOIN booklet n ON n.replaces_booklet_id = b.id WHERE b.serial = $1`,
      [lost],
    );
    expect(replaced).toMatchObject({ reason: 'lost', vouchers: 4 });
    expect(await text(page.getByText(/^Le carnet .* est remplacé par/))).toBe(
      `Le carnet ${lost} est remplacé par le carnet ${replaced.newSerial} (4 chèques, 50,00 €). Générez un nouveau fichier d’impression pour l’imprimer.`,
    );
    await page.getByRole('row', { name: new RegExp(replaced.newSerial) }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/funder-booklets.png`, fullPage: true });

    // The list shows the order paid, with its figures.
    await page.getByRole('link', { name: 'Bons de commande' }).click();
    await page.getByLabel('Statut').selectOption({ label: 'Payée' });
    const row = page.getByRole('row', { name: new RegExp(draft.reference) });
    await row.waitFor();
    expect(await cells(row)).toBe(
      `${draft.reference} Payée ${frenchDate(today)} 3 12 150,00 € ${euros(confirmed.amount_due_cents)} ${euros(afterPay.paid_cents)} ${frenchDate(later)}`,
    );
    await page.getByLabel('Statut').selectOption({ label: 'Brouillon' });
    await page.getByText('Aucune commande avec ce statut.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Statut').selectOption({ label: 'Tous' });
    await row.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/funder-orders.png`, fullPage: true });
    await page.context().close();
  }, 240_000);

  interface StepFigures {
    vouchers: number;
    valueCents: number;
  }
  interface FunnelJson {
    asOf: string;
    checkpoint: { treeSize: number } | null;
    total: { steps: Record<string, StepFigures>; rates: Record<string, number | null>; startedBooklets: number };
    groups: { key: string; label: string; steps: Record<string, StepFigures> }[];
    timeToFirstUse: { booklets: number; medianDays: number | null; p90Days: number | null };
  }
  interface OrdersJson {
    orders: { orderId: string; faceValueCents: number; creditedCents: number; executedCents: number; paidOn: string | null }[];
  }

  it('shows the dashboard with the report API’s figures, filters it, and downloads the CSV, the PDF (rendered with progress) and the evidence', async () => {
    // Vouchers used at a site in Lyon: a paid order allocated to the distributor, one booklet handed over, two vouchers redeemed.
    const { order, serials } = await stockedOrder(w, { bookletCount: 2, vouchersPerBooklet: 3, faceValueCents: 1000 });
    await handOver(w, serials[0]);
    const codes = [(await voucherCodes(w.t, serials[0], 1)).code, (await voucherCodes(w.t, serials[0], 2)).code];
    expect((await redeem(w.t, w.site.agent, { vouchers: codes.map((code) => ({ code })) })).status).toBe(201);
    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const report = async <T>(url: string) => {
      const r = await api<T>(w.t, 'GET', url, w.tokens.funder);
      expect(r.status).toBe(200);
      return r.body;
    };

    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await signInAs(page, base, w.t, await anotherAdmin(), '/app/dashboard');
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    const summary = page.locator('[data-fact="summary"]');
    await summary.waitFor();
    const funnel = await report<FunnelJson>(`/v1/reports/funnel?asOf=${today}&groupBy=programme`);
    const steps = funnel.total.steps;
    expect(steps.redeemed.vouchers).toBe(2);
    expect(await text(summary)).toBe(
      `Au ${frenchDate(today)}, ${count(steps.issued.vouchers)} chèques ont été émis pour ${euros(steps.issued.valueCents)}, ` +
        `${count(steps.distributed.vouchers)} remis à des bénéficiaires et ${count(steps.redeemed.vouchers)} utilisés ` +
        `(${euros(steps.redeemed.valueCents)}), dont ${euros(steps.paid.valueCents)} déjà payés aux lieux.`,
    );
    // The funnel table says exactly the API's figures, step by step.
    const funnelRows = page.locator('[data-table="funnel"] tbody tr');
    const names = [
      ['issued', 'Émis', null],
      ['active', 'Activés (commande payée)', 'activeOfIssued'],
      ['allocated', 'Attribués à un distributeur', 'allocatedOfActive'],
      ['distributed', 'Remis à un bénéficiaire', 'distributedOfAllocated'],
      ['redeemed', 'Utilisés dans un lieu', 'redeemedOfDistributed'],
      ['settled', 'Sur un relevé de remboursement', 'settledOfRedeemed'],
      ['paid', 'Payés au lieu', 'paidOfSettled'],
      ['expired', 'Expirés', 'expiredOfActive'],
      ['restituted', 'Remboursés par avoir', 'restitutedOfExpired'],
    ] as const;
    for (const [i, [step, label, rate]] of names.entries()) {
      const expected = `${label} ${count(steps[step].vouchers)} ${euros(steps[step].valueCents)}${rate ? ` ${percent(funnel.total.rates[rate])}` : ''}`;
      expect(await cells(funnelRows.nth(i))).toBe(expected);
    }
    // The same figures are drawn in the chart (its bars' texts).
    expect(await page.getByRole('img', { name: 'Nombre de chèques à chaque étape' }).locator('text.bar-value').allTextContents()).toEqual(
      names.map(([step]) => count(steps[step].vouchers)),
    );
    // Money: the orders report's sums, and what the funnel says was used and paid.
    const money = await report<OrdersJson>(`/v1/reports/orders?asOf=${today}`);
    const sum = (k: 'faceValueCents' | 'creditedCents' | 'executedCents') => money.orders.reduce((s, o) => s + o[k], 0);
    await page.locator('[data-table="money"] tr').first().waitFor();
    expect((await page.locator('[data-table="money"] tr').allTextContents()).map(plain)).toEqual([
      `Valeur faciale commandée${euros(sum('faceValueCents'))}`,
      `Exécuté (payé, moins les avoirs)${euros(sum('executedCents'))}`,
      `Avoirs${euros(sum('creditedCents'))}`,
      `Utilisé dans les lieux${euros(steps.redeemed.valueCents)}`,
      `Payé aux lieux${euros(steps.paid.valueCents)}`,
    ]);
    const [ref] = await sql<{ reference: string }>(w.t, `SELECT reference FROM purchase_order WHERE id = $1`, [order.id]);
    const figures = money.orders.find((o) => o.orderId === order.id)!;
    expect(await cells(page.locator('[data-table="orders"] tr', { hasText: ref.reference }))).toBe(
      `${ref.reference} ${euros(figures.faceValueCents)} ${frenchDate(figures.paidOn!)} ${euros(figures.creditedCents)} ${euros(figures.executedCents)}`,
    );
    // By commune: where the service happened.
    const communes = await report<FunnelJson>(`/v1/reports/funnel?asOf=${today}&groupBy=commune`);
    expect(communes.groups.map((g) => g.key)).toEqual(['69123']);
    const lyon = communes.groups[0];
    expect(await cells(page.locator('[data-table="communes"] tbody tr'))).toBe(
      `${lyon.label} (69123) ${count(lyon.steps.redeemed.vouchers)} ${euros(lyon.steps.redeemed.valueCents)} ${count(lyon.steps.settled.vouchers)} ${count(lyon.steps.paid.vouchers)}`,
    );
    // Delays and the checkpoint the figures reflect.
    expect(await text(page.locator('[data-fact="latency"] li').first())).toBe(
      `Carnets remis et utilisés${count(funnel.timeToFirstUse.booklets)}`,
    );
    // People handed a booklet, by commune of residence: small cells hidden exactly as the API hides them.
    const people = await report<{ rows: string[]; cells: (number | null)[][]; total: number | null }>(
      `/v1/reports/people?asOf=${today}&step=distributed&rows=commune`,
    );
    expect(people.rows).toEqual(['69123']);
    const shown = (v: number | null) => (v === null ? 'masqué' : count(v));
    expect(await cells(page.locator('[data-table="people"] tbody tr'))).toBe(`69123 ${shown(people.cells[0][0])}`);
    expect(await cells(page.locator('[data-table="people"] tfoot tr'))).toBe(`Total ${shown(people.total)}`);
    expect(funnel.checkpoint).not.toBeNull();
    expect(await text(page.locator('[data-fact="checkpoint"]'))).toMatch(
      new RegExp(
        `^Ces chiffres sont calculés à partir des événements scellés du journal d’audit, exactement au point de contrôle n° ${funnel.checkpoint!.treeSize}, signé le `,
      ),
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/funder-dashboard.png`, fullPage: true });

    // Filters: one order, by month.
    await page.getByLabel('Commande', { exact: true }).selectOption({ label: ref.reference });
    const one = await report<FunnelJson>(`/v1/reports/funnel?asOf=${today}&groupBy=programme&orderId=${order.id}`);
    expect(one.total.steps.issued.vouchers).toBe(6);
    await until(async () => (await cells(funnelRows.first())) === `Émis ${count(6)} ${euros(6000)}`);
    await page.getByLabel('Détail par').selectOption({ label: 'Mois' });
    await page.getByRole('heading', { name: 'Par mois' }).waitFor();
    const byMonth = await report<FunnelJson>(`/v1/reports/funnel?asOf=${today}&groupBy=month&orderId=${order.id}`);
    const months = byMonth.groups.map((g) => g.key);
    expect(months.length).toBeGreaterThan(0);
    await until(
      async () => JSON.stringify(await page.locator('[data-table="groups"] tbody tr th').allTextContents()) === JSON.stringify(months),
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Downloads: CSV, PDF (rendered by the worker, with progress), evidence bundle.
    const csv = await downloaded(page, () => page.getByRole('button', { name: 'Parcours des chèques (CSV)' }).click());
    expect(csv.name).toMatch(/^entonnoir-month-.*\.csv$/);
    expect(csv.bytes.toString('utf8')).toMatch(/^\uFEFFgroup;label;issued_vouchers;issued_eur/);
    const pdf = await downloaded(page, () => page.getByRole('button', { name: 'Parcours des chèques (PDF)' }).click());
    expect(pdf.bytes.subarray(0, 4).toString()).toBe('%PDF');
    await page.getByText('Le PDF est prêt et téléchargé.').waitFor();
    expect(await page.getByLabel('Préparation du PDF').getAttribute('value')).toBe('100');
    const evidence = await downloaded(page, () => page.getByRole('button', { name: 'Dossier de preuves des commandes (JSON)' }).click());
    const bundle = JSON.parse(evidence.bytes.toString('utf8')) as { format: string; funderId: string; figures: unknown[] };
    expect(bundle).toMatchObject({ format: 'sillage.report.evidence.v1', funderId: w.funderId });
    expect(bundle.figures).toEqual(money.orders);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('lists the policies, programmes, grants (with amendments) and contracts the operator recorded, orders under them, and adds a public category', async () => {
    const op = async <T = { id: string }>(url: string, body: object) => {
      const r = await api<T>(w.t, 'POST', url, w.tokens.op, body);
      if (r.status !== 201 && r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const policy = await op('/v1/policies', { name: 'Pass numérique', description: 'Inclusion numérique des habitants' });
    await op(`/v1/policies/${policy.id}/announcements`, {
      label: 'Annonce du plan',
      amountCents: 1_000_000_00,
      announcedOn: '2025-09-12',
      sourceReference: 'Communiqué 2025-09',
    });
    const programme = await op('/v1/programmes', {
      policyId: policy.id,
      name: 'AAP 2026',
      maxCofinancingRateBp: 5000,
      announcedOn: '2025-10-01',
      launchedOn: '2025-11-01',
      laureatesPublishedOn: '2026-01-15',
    });
    await op(`/v1/programmes/${programme.id}/funding-sources`, {
      label: 'Plan de relance',
      amountCents: 500_000_00,
      obtainedOn: '2025-10-15',
      reference: 'PR-2025-1',
    });
    const grant = await op(`/v1/programmes/${programme.id}/grants`, {
      funderId: w.funderId,
      amountCents: 120_000_00,
      cofinancingRateBp: 3000,
      awardedOn: '2026-02-01',
      endDate: '2027-12-31',
    });
    await op(`/v1/grants/${grant.id}/amendments`, { amendedOn: '2026-06-01', reasonCode: 'EXTENSION', newEndDate: '2028-06-30' });
    const contract = await op('/v1/contracts', {
      funderId: w.funderId,
      reference: 'MP-2026-017',
      publishedOn: '2026-01-10',
      notifiedOn: '2026-02-15',
      endDate: '2029-12-31',
      upstreamFeeRateBp: 400,
    });

    const page = await (await browser.newContext()).newPage();
    await signInAs(page, base, w.t, await anotherAdmin(), '/app/funding');
    await page.getByRole('heading', { level: 1, name: 'Financements' }).waitFor();
    await page.locator('[data-table="grants"] tbody tr').waitFor();
    expect(await cells(page.locator('[data-table="policies"] tbody tr'))).toBe(
      'Pass numérique Inclusion numérique des habitants 1 000 000,00 € non publiée',
    );
    expect(await cells(page.locator('[data-table="programmes"] tbody tr'))).toBe(
      'AAP 2026 Pass numérique 50 % 1 octobre 2025 / 1 novembre 2025 / 15 janvier 2026 500 000,00 €',
    );
    expect(await cells(page.locator('[data-table="grants"] tbody tr'))).toBe(
      'AAP 2026 120 000,00 € 120 000,00 € 30 % 1 février 2026 30 juin 2028 1 Avenants',
    );
    await page.getByRole('button', { name: 'Voir les avenants de la subvention AAP 2026' }).click();
    expect(await cells(page.locator('[data-table="amendments"] tbody tr'))).toBe('1 juin 2026 Prolongation 30 juin 2028 —');
    expect(await cells(page.locator('[data-table="contracts"] tbody tr'))).toBe(
      'MP-2026-017 10 janvier 2026 15 février 2026 31 décembre 2029 4 %',
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/funder-funding.png`, fullPage: true });

    // An order under this contract and grant: the contract sets the fee.
    await page.goto(`${base}/app/orders/new`);
    await page.getByRole('heading', { level: 1, name: 'Nouvelle commande' }).waitFor();
    await page.getByLabel('Nombre de carnets').fill('10');
    await page.getByLabel('Dernier jour de validité').fill(futureDate(150));
    await page.getByLabel('Marché (contrat avec l’opérateur)').selectOption({ label: 'MP-2026-017 (frais 4 %)' });
    await page.getByLabel('Subvention qui finance la commande').selectOption({ label: 'AAP 2026 — 120 000,00 € (1 février 2026, 30 %)' });
    await page.getByRole('button', { name: 'Créer le brouillon' }).click();
    await page.getByRole('heading', { level: 1, name: /^Commande BC-/ }).waitFor();
    const [ordered] = await sql<{ contract_id: string; grant_id: string; fee_rate_bp: number }>(
      w.t,
      `SELECT contract_id, grant_id, fee_rate_bp FROM purchase_order WHERE id = $1`,
      [page.url().split('/').pop()],
    );
    expect(ordered).toEqual({ contract_id: contract.id, grant_id: grant.id, fee_rate_bp: 400 });
    expect(await text(page.locator('[data-fact="fee"]'))).toBe('4 %');

    // Public categories: a sensitive one is refused, a plain one added.
    await page.getByRole('link', { name: 'Publics suivis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Publics suivis' }).waitFor();
    await page.getByText('Aucune catégorie pour le moment.').waitFor();
    await page.getByLabel('Code', { exact: true }).fill('Demandeur');
    await page.getByRole('button', { name: 'Ajouter' }).click();
    expect(await text(page.locator('#category-code-error'))).toBe(
      'Le code doit faire 2 à 40 caractères : lettres minuscules, chiffres, « _ » ou « - », en commençant par une lettre.',
    );
    await page.getByLabel('Code', { exact: true }).fill('handicap');
    await page.getByLabel('Libellé en français').fill('Personne en situation de handicap');
    await page.getByLabel('Libellé en anglais').fill('Person with a disability');
    await page.getByRole('button', { name: 'Ajouter' }).click();
    expect(await text(page.getByRole('alert'))).toBe(
      'Refusé : une catégorie de public ne peut pas révéler la santé, un handicap ou une autre donnée sensible.',
    );
    await page.getByLabel('Code', { exact: true }).fill('demandeur_emploi');
    await page.getByLabel('Libellé en français').fill('Demandeur d’emploi');
    await page.getByLabel('Libellé en anglais').fill('Job seeker');
    await page.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByText('La catégorie « Demandeur d’emploi » est ajoutée.').waitFor();
    expect(await cells(page.locator('[data-table="categories"] tbody tr'))).toBe('demandeur_emploi Demandeur d’emploi Job seeker Oui');
    const categories = await sql<{ code: string }>(w.t, `SELECT code FROM public_category WHERE funder_id = $1`, [w.funderId]);
    expect(categories.map((c) => c.code)).toEqual(['demandeur_emploi']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/funder-public-categories.png`, fullPage: true });

    // In English on request.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Publics followed' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('gives a viewer the orders a page at a time, read-only, and an admin the credit note of an expired order', async () => {
    // An order paid 20 days ago whose vouchers expired today: its unused value is credited back.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const expired = await draftOrder(w, { bookletCount: 1, vouchersPerBooklet: 2, faceValueCents: 1500, orderedOn: addDays(today, -25) });
    await payInFull(w, expired.id, addDays(today, -20));
    await sql(w.t, `UPDATE purchase_order SET validity_end_date = $2, tolerance_days = 0 WHERE id = $1`, [expired.id, addDays(today, -9)]);
    await w.t.app.get(SettlementExpireJob).handle({ day: today });
    const [note] = await sql<{ number: string; amount_cents: string; invoice: string }>(
      w.t,
      `SELECT c.number, c.amount_cents, i.number AS invoice FROM credit_note c JOIN invoice i ON i.id = c.credited_invoice_id WHERE c.order_id = $1`,
      [expired.id],
    );
    expect(note.amount_cents).toBe('3000');
    // Enough drafts for a second page of orders (20 a page).
    const [{ n }] = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM purchase_order WHERE funder_id = $1`, [w.funderId]);
    for (let i = n; i < 23; i++) await draftOrder(w, { bookletCount: 1, vouchersPerBooklet: 1 });

    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await signInAs(page, base, w.t, await anotherAdmin(), `/app/orders/${expired.id}`);
    await page.getByRole('heading', { level: 1, name: `Commande ${expired.reference}` }).waitFor();
    expect(await cells(page.locator('[data-table="credit-notes"] tbody tr'))).toBe(
      `${note.number} ${frenchDate(today)} ${note.invoice} 2 30,00 € 0,00 € ${euros(note.amount_cents)} PDF UBL`,
    );
    const creditPdf = await downloaded(page, () => page.getByRole('button', { name: `PDF de l’avoir ${note.number}` }).click());
    expect(creditPdf.bytes.subarray(0, 4).toString()).toBe('%PDF');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.context().close();

    // A viewer: the orders a page at a time, nothing to create, confirm, print or allocate.
    const viewer = await browserUser(w.t, w.funderId, 'viewer', { totp: false });
    const v = await (await browser.newContext()).newPage();
    await signInAs(v, base, w.t, viewer, '/app/orders');
    await v.getByRole('heading', { level: 1, name: 'Bons de commande' }).waitFor();
    await v.getByText('20 commandes affichées').waitFor();
    expect(await v.getByRole('link', { name: 'Nouvelle commande' }).count()).toBe(0);
    await v.getByRole('button', { name: 'Page suivante' }).click();
    await v.getByText('23 commandes affichées').waitFor();
    expect(await v.getByRole('button', { name: 'Page suivante' }).count()).toBe(0);
    const [draft] = await sql<{ id: string; reference: string }>(
      w.t,
      `SELECT id, reference FROM purchase_order WHERE funder_id = $1 AND status = 'draft' ORDER BY created_at DESC LIMIT 1`,
      [w.funderId],
    );
    await v.getByRole('link', { name: draft.reference }).click();
    await v.getByRole('heading', { level: 1, name: `Commande ${draft.reference}` }).waitFor();
    await v.getByText('La facture sera émise quand vous confirmerez la commande.').waitFor();
    for (const absent of ['Confirmer la commande', 'Annuler la commande', 'Générer le PDF à imprimer', 'Prolonger'])
      expect(await v.getByRole('button', { name: absent }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(v)).toEqual([]);
    await v.getByRole('link', { name: 'Attributions' }).click();
    await v.getByRole('heading', { level: 1, name: 'Attributions de carnets' }).waitFor();
    await v.getByText(/^\d+ mouvements? affichés?$/).waitFor();
    expect(await v.getByRole('button', { name: 'Déplacer les carnets' }).count()).toBe(0);
    // In English on request.
    await v.getByRole('button', { name: 'English' }).click();
    await v.getByRole('heading', { level: 1, name: 'Booklet allocations' }).waitFor();
    await v.getByRole('link', { name: 'Purchase orders' }).click();
    await v.getByRole('heading', { level: 1, name: 'Purchase orders' }).waitFor();
    await v.getByText('20 orders shown').waitFor();
    expect(await seriousAccessibilityViolations(v)).toEqual([]);
    await v.screenshot({ path: `${SCREENSHOTS}/funder-orders-viewer-en.png`, fullPage: true });
    await v.context().close();
  }, 240_000);
});
