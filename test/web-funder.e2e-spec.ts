import { readFileSync } from 'node:fs';
import { sql } from '@sillage/testing';
import type { FixtureUser } from '@sillage/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { browserUser, launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations, signInAs } from './browser-support';
import { api, futureDate, OrderJson } from './order-support';
import { createRedemptionWorld, RedemptionWorld } from './redemption-support';

const euros = (cents: number | string) =>
  plain(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(Number(cents) / 100));
const frenchDate = (day: string) =>
  plain(new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`)));

/** The bytes of a download the page starts with `click`. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

const text = async (l: Locator) => plain(await l.textContent());
/** A table row's cells, separated by spaces. */
const cells = async (row: Locator) => plain((await row.locator('th, td').allTextContents()).map(plain).join(' '));

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
    w = await createRedemptionWorld();
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
    await page.getByRole('button', { name: 'Oui, confirmer et facturer' }).click();
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

    // The operator records the bank transfer (operator finance: a funder cannot mark its own order paid).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const paid = await api<{ order: OrderJson }>(w.t, 'POST', `/v1/purchase-orders/${orderId}/payments`, w.tokens.opFinance, {
      reference: 'VIR-METROPOLE-0001',
      paidOn: today,
      amountCents: Number(confirmed.amount_due_cents),
    });
    expect(paid.status).toBe(200);
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
    expect(await page.getByLabel('Commande').inputValue()).toBe(orderId);
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
      `Attribuer à un distributeur Vous ${distributorName} 2 ${serials[0].serial} – ${serials[1].serial}`,
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
});
