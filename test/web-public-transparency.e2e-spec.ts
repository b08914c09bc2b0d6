import { AuditSealer } from '@sillage/audit';
import { addDays, parisDate } from '@sillage/common';
import { ReportConsumer } from '@sillage/reporting';
import type { Browser } from 'playwright-core';
import { launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations } from './browser-support';
import { api, createOrderWorld, OrderWorld } from './order-support';

/**
 * The public transparency page of a published policy (issues 8 and 9), in a real browser: the
 * browser app served by the API at /transparence/{slug} reads the public report without login and
 * shows its figures, a chart and the proof, in French by default and in English on request, with no
 * serious or critical accessibility violation (axe).
 */
describe('web: the public transparency page, in Chromium', () => {
  let w: OrderWorld;
  let browser: Browser;
  let base: string;
  const T = parisDate(new Date());

  beforeAll(async () => {
    w = await createOrderWorld();
    const post = async (url: string, body: object) => {
      const r = await api<{ id: string }>(w.t, 'POST', url, w.tokens.op, body);
      if (r.status !== 201 && r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const policyId = (await post('/v1/policies', { name: 'Pass numérique du Rhône' })).id;
    await post(`/v1/policies/${policyId}/announcements`, {
      label: 'Annonce initiale',
      amountCents: 5_000_000,
      announcedOn: addDays(T, -30),
      sourceReference: 'CP-1',
    });
    const programmeId = (await post('/v1/programmes', { policyId, name: 'AAP 2026', maxCofinancingRateBp: 8000 })).id;
    await post(`/v1/programmes/${programmeId}/funding-sources`, {
      label: 'Crédits',
      amountCents: 1_234_567,
      obtainedOn: addDays(T, -20),
      reference: 'FS-1',
    });
    await post(`/v1/policies/${policyId}/publish`, { slug: 'pass-rhone' });
    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
    base = await listening(w.t);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('shows the published figures in French, with a chart, the announcement and the proof, accessibly', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/transparence/pass-rhone`);
    await page.getByRole('heading', { level: 1, name: 'Transparence — Pass numérique du Rhône' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(plain(await page.locator('.summary').textContent())).toBe(
      '12 345,67 € ont été obtenus pour cette politique, dont 0,00 € attribués. Les commandes payées représentent 0,00 € de chèques, dont 0,00 € cofinancés.',
    );
    expect(await page.getByRole('img', { name: 'Montants de la politique' }).count()).toBe(1);
    expect(plain(await page.getByRole('row', { name: /AAP 2026/ }).textContent())).toContain('12 345,67 €');
    expect(plain(await page.getByRole('row', { name: /Annonce initiale/ }).textContent())).toContain('50 000,00 €');
    const report = (await w.t.inject({ method: 'GET', url: '/v1/public/policies/pass-rhone/transparency' })).json<{
      checkpoint: { treeSize: number };
    }>();
    expect(plain(await page.locator('main').textContent())).toContain(`point de contrôle n° ${report.checkpoint.treeSize}`);
    expect(await page.getByRole('link', { name: 'PDF' }).getAttribute('href')).toBe(
      '/v1/public/policies/pass-rhone/transparency?format=pdf',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/transparence-fr.png`, fullPage: true });

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('switches to English with the keyboard, and remembers it', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/transparence/pass-rhone`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Transparency — Pass numérique du Rhône' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(plain(await page.locator('.summary').textContent())).toContain('€12,345.67 was obtained for this policy');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /^Transparency/ }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/transparence-en.png`, fullPage: true });
    await page.close();
  });

  it('says plainly when a policy is not published, and the API keeps answering problems under /v1', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/transparence/pas-publiee`);
    expect(plain(await page.getByRole('alert').textContent())).toBe('Cette politique publique n’est pas publiée, ou n’existe pas.');
    await page.close();
    const apiMiss = await fetch(`${base}/v1/public/policies/pas-publiee/transparency`);
    expect(apiMiss.status).toBe(404);
    expect(apiMiss.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const asset = await fetch(`${base}/assets/nothing-here.js`);
    expect(asset.status).toBe(404);
  });
});
