import { revealPassToken } from '@sillage/issuance';
import { sql } from '@sillage/testing';
import type { Browser } from 'playwright-core';
import { launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations } from './browser-support';
import { api, paidOrder } from './order-support';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, voucherCodes } from './redemption-support';

/**
 * The beneficiary's pass page (issue 9) in a real browser: `/p#<token>` from the booklet cover's QR
 * code. A booklet of 4 × 10.00 € handed over at a distributor, one voucher used at a site: the page
 * says, in plain French, what is left and where to go, and takes a GDPR request; the token never
 * reaches the server in a URL (it sits in the fragment and travels in a request body).
 */
describe('web: the beneficiary pass page, in Chromium', () => {
  let w: RedemptionWorld;
  let browser: Browser;
  let base: string;
  let token: string;
  const requested: string[] = [];

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const order = await paidOrder(w, { bookletCount: 1, vouchersPerBooklet: 4 });
    expect(
      (await api(w.t, 'POST', '/v1/allocations', w.tokens.funder, { toDistributorId: w.distributorId, orderId: order.id, count: 1 }))
        .status,
    ).toBe(201);
    const [b] = await sql<{ serial: string; pass_token_encrypted: Buffer }>(
      w.t,
      `SELECT serial, pass_token_encrypted FROM booklet WHERE order_id = $1`,
      [order.id],
    );
    await handOver(w, b.serial);
    expect((await redeem(w.t, w.site.agent, { vouchers: [{ code: (await voucherCodes(w.t, b.serial, 1)).code }] })).status).toBe(201);
    token = revealPassToken(w.t.config.issuance.printKeys, b.pass_token_encrypted, b.serial);
    base = await listening(w.t);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('shows what is left, until when and where to go, on a small phone screen, accessibly', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${base}/p#${encodeURIComponent(token)}`);
    await page.getByRole('heading', { level: 1, name: 'Mon pass numérique' }).waitFor();
    expect(plain(await page.locator('.big').textContent())).toBe('Il vous reste 3 chèques, soit 30,00 €.');
    expect(plain(await page.locator('main').textContent())).toMatch(/Vous pouvez les utiliser jusqu’au \d{1,2} \S+ \d{4} inclus\./);
    const [site] = await sql<{ name: string }>(w.t, `SELECT legal_name AS name FROM organisation WHERE id = $1`, [w.site.id]);
    expect(plain(await page.locator('.sites').textContent())).toContain(site.name);
    expect(plain(await page.getByRole('heading', { name: 'Ce que vous avez déjà utilisé' }).textContent())).toBeTruthy();
    await page.screenshot({ path: `${SCREENSHOTS}/pass.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The token never went to the server in a URL.
    expect(requested.filter((u) => u.includes(token) || u.includes(encodeURIComponent(token)))).toEqual([]);
    await context.close();
  });

  it('takes a GDPR request from the page, which the DPO then handles', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/p#${encodeURIComponent(token)}`);
    await page.getByLabel('Votre demande').selectOption('erasure');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    const status = plain(await page.getByRole('status').last().textContent());
    expect(status).toMatch(/^Demande enregistrée sous la référence DPO-[0-9A-Z]+\.$/);
    const [row] = await sql<{ kind: string }>(w.t, `SELECT kind FROM privacy_request ORDER BY created_at DESC LIMIT 1`);
    expect(row.kind).toBe('erasure');
    await context.close();
  });

  it('says plainly what to do without a token, or with a wrong one', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/p`);
    expect(plain(await page.getByRole('alert').textContent())).toBe(
      'Ouvrez cette page avec le lien ou le QR code imprimé sur la couverture de votre carnet.',
    );
    await page.goto(`${base}/p#not-a-real-token`);
    await page.reload();
    expect(plain(await page.getByRole('alert').textContent())).toBe(
      'Ce lien ne correspond à aucun carnet. Vérifiez le lien imprimé sur la couverture.',
    );
    await context.close();
  });
});
