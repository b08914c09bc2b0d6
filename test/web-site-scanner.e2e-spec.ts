import { join } from 'node:path';
import { sql } from '@sillage/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  browserUser,
  fakeCameraArgs,
  launchChromium,
  listening,
  plain,
  SCREENSHOTS,
  seriousAccessibilityViolations,
  signInAs,
} from './browser-support';
import { tempDataDir } from './queue-support';
import { writeQrVideo } from '../bench/qr-video';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

/**
 * The site agent's scanner (issue 9) in Chromium, on a phone-sized screen: a cheque's QR code filmed
 * by the camera (Chromium's fake capture plays a rendered QR code) → redeemed, the same cheque again →
 * refused with the reason in plain words; typed codes checked as typed; several cheques of one booklet
 * in one service; offline scans queued in IndexedDB, then synced when the network is back, a conflict
 * becoming an incident. Every figure is checked in the database.
 */
describe('web: the site scanner, in Chromium with a fake camera', () => {
  let w: RedemptionWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let serials: string[];
  let tmp: { dir: string; remove(): Promise<void> };

  const liveRedemptions = async (bookletSerial: string) =>
    (
      await sql<{ n: string }>(
        w.t,
        `SELECT count(*) AS n FROM redemption r JOIN booklet b ON b.id = r.booklet_id WHERE b.serial = $1 AND r.undone_at IS NULL`,
        [bookletSerial],
      )
    )[0].n;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    ({ serials } = await stockedOrder(w, { bookletCount: 3, vouchersPerBooklet: 5 }));
    for (const s of serials) await handOver(w, s);
    tmp = await tempDataDir();
    const qr = await voucherCodes(w.t, serials[0], 1);
    const video = join(tmp.dir, 'cheque-qr.y4m');
    writeQrVideo(video, qr.qrToken);
    base = await listening(w.t);
    browser = await launchChromium(fakeCameraArgs(video));
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, permissions: ['camera'] });
    page = await context.newPage();
    const agent = await browserUser(w.t, w.site.id, 'agent', { totp: false });
    await signInAs(page, base, w.t, agent, '/app/scanner');
    await page.getByRole('heading', { level: 1, name: 'Scanner' }).waitFor();
    await page.getByLabel('Prestation').selectOption('atelier-collectif');
    // The scanner installed its service worker, which now serves this page.
    const controlled = () =>
      (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller !== null;
    await page.waitForFunction(controlled, undefined, { timeout: 30_000 });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
    await tmp?.remove();
  });

  it('redeems a cheque filmed by the camera, then refuses the same cheque with the reason', async () => {
    await page.getByRole('button', { name: 'Scanner un QR code' }).click();
    await page.getByText('Chèques de ce service : 1').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Valider' }).click();
    const ok = page.locator('.result-ok');
    await ok.waitFor();
    expect(plain(await ok.innerText())).toBe('✔ Accepté 1 chèque encaissé, 10,00 €.');
    expect(await liveRedemptions(serials[0])).toBe('1');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/site-scanner-accepted.png`, fullPage: true });

    await page.getByRole('button', { name: 'Scanner un QR code' }).click();
    await page.getByText('Chèques de ce service : 1').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Valider' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Refusé' });
    await refused.waitFor();
    expect(plain(await refused.innerText())).toBe('✖ Refusé Déjà utilisé : ce chèque a déjà été encaissé.');
    expect(await liveRedemptions(serials[0])).toBe('1');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/site-scanner-refused.png`, fullPage: true });
  }, 120_000);

  it('checks a typed code as it is typed, and redeems several cheques of one booklet in one service', async () => {
    const a = await voucherCodes(w.t, serials[1], 1);
    const b = await voucherCodes(w.t, serials[1], 2);
    const code = page.getByRole('textbox', { name: 'Code du chèque' });
    await code.fill(a.code.slice(0, 5));
    expect(plain(await page.locator('.code-status').textContent())).toBe('5 caractères sur 12');
    // One character changed: the check character catches it before anything is sent.
    const wrong = a.code.slice(0, 3) + (a.code[3] === '7' ? '8' : '7') + a.code.slice(4);
    await code.fill(wrong);
    expect(plain(await page.locator('.code-status').textContent())).toBe(
      'Ce code n’est pas valide : un caractère est mal saisi (la clé de contrôle ne correspond pas).',
    );
    await code.fill('ABCU');
    expect(plain(await page.locator('.code-status').textContent())).toBe('« U » n’existe pas dans les codes : vérifiez ce caractère.');
    // Typed the way people type: lower case, with dashes.
    await code.fill(`${a.code.slice(0, 4)}-${a.code.slice(4, 8)}-${a.code.slice(8)}`.toLowerCase());
    expect(plain(await page.locator('.code-ok').textContent())).toBe('Code complet.');
    await page.getByRole('button', { name: 'Ajouter un autre chèque du même carnet' }).click();
    await code.fill(b.code);
    await code.press('Enter');
    const ok = page.locator('.result-ok');
    await ok.waitFor();
    expect(plain(await ok.innerText())).toBe('✔ Accepté 2 chèques encaissés, 20,00 €.');
    const rows = await sql<{ vouchers: string; amount: string }>(
      w.t,
      `SELECT count(*) AS vouchers, sum(l.amount_cents) AS amount FROM redemption_line l JOIN redemption r ON r.id = l.redemption_id
       JOIN booklet b ON b.id = r.booklet_id WHERE b.serial = $1 AND r.undone_at IS NULL`,
      [serials[1]],
    );
    expect(rows[0]).toEqual({ vouchers: '2', amount: '2000' });
  }, 120_000);

  it('keeps scans made offline in the browser, then sends them when the network is back; a lost race becomes an incident', async () => {
    const fresh = await voucherCodes(w.t, serials[2], 1);
    const taken = await voucherCodes(w.t, serials[2], 2);
    await context.setOffline(true);
    await page.getByText('Hors ligne : les scans sont gardés sur cet appareil et partiront au retour du réseau.').waitFor();
    const code = page.getByRole('textbox', { name: 'Code du chèque' });
    await code.fill(fresh.code);
    await code.press('Enter');
    await page.locator('.result-queued').waitFor();
    await code.fill(taken.code);
    await code.press('Enter');
    await page.getByText('En attente d’envoi : 2').waitFor();
    expect(await liveRedemptions(serials[2])).toBe('0');
    // Meanwhile the second cheque is redeemed elsewhere (another device of the site, online).
    expect((await redeem(w.t, w.site.agent, { vouchers: [{ code: taken.code }] })).status).toBe(201);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/site-scanner-offline.png`, fullPage: true });
    // Still offline, the scanner reopens (from its service worker) with the scans it keeps.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Scanner' }).waitFor();
    await page.getByText('En attente d’envoi : 2').waitFor();

    await context.setOffline(false);
    await page.getByText('Envoyés et acceptés : 1').waitFor({ timeout: 30_000 });
    await page.getByText('En conflit (incident transmis à l’opérateur) : 1').waitFor();
    expect(plain(await page.locator('.queue-conflict').textContent())).toContain('Déjà utilisé : ce chèque a déjà été encaissé.');
    const synced = await sql<{ channel: string }>(
      w.t,
      `SELECT r.channel FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id WHERE l.voucher_serial = $1`,
      [fresh.serial],
    );
    expect(synced).toEqual([{ channel: 'batch' }]);
    const incidents = await sql<{ reason_code: string }>(w.t, `SELECT reason_code FROM redemption_incident WHERE site_id = $1`, [
      w.site.id,
    ]);
    expect(incidents).toEqual([{ reason_code: 'ALREADY_REDEEMED' }]);
    // Sent once: a reload finds nothing pending, and nothing is sent twice.
    await page.reload();
    await page.getByText('En attente d’envoi : 0').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/site-scanner-synced.png`, fullPage: true });
  }, 120_000);

  it('shows what the site redeemed with its totals, lets a redemption be undone, and lists incidents', async () => {
    await page.getByRole('link', { name: 'Encaissements' }).click();
    await page.getByRole('heading', { level: 1, name: 'Encaissements' }).waitFor();
    const [db] = await sql<{ n: string; amount: string }>(
      w.t,
      `SELECT count(*) AS n, sum(amount_cents) AS amount FROM redemption WHERE site_id = $1 AND undone_at IS NULL`,
      [w.site.id],
    );
    const euros = (Number(db.amount) / 100).toFixed(2).replace('.', ',');
    await page.locator('.totals').getByText(`${db.n} encaissements`).waitFor();
    expect(plain(await page.locator('.totals').textContent())).toMatch(new RegExp(`^${db.n} encaissements, \\d+ chèques, ${euros} €\\.$`));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/site-redemptions.png`, fullPage: true });

    await page.getByRole('button', { name: 'Annuler' }).first().click();
    await page.getByLabel('Motif d’annulation').selectOption('service_cancelled');
    await page.getByRole('button', { name: 'Confirmer l’annulation' }).click();
    await page.getByText('Encaissement annulé : ses chèques peuvent être utilisés à nouveau.').waitFor();
    const [undone] = await sql<{ n: string }>(
      w.t,
      `SELECT count(*) AS n FROM redemption WHERE site_id = $1 AND undo_reason = 'service_cancelled'`,
      [w.site.id],
    );
    expect(undone.n).toBe('1');

    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    await page.getByRole('cell', { name: 'En attente de décision' }).waitFor();
    expect(plain(await page.locator('tbody').textContent())).toContain('Déjà utilisé : ce chèque a déjà été encaissé.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/site-incidents.png`, fullPage: true });
  }, 120_000);
});
