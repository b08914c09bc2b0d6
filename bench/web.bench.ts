import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { AllocationsService } from '../libs/distribution/src/allocations/allocations.service';
import { HandoversService } from '../libs/distribution/src/handovers/handovers.service';
import { hashPassword } from '../libs/identity/src/auth/password-hasher';
import { revealHumanCode } from '../libs/issuance/src/codes/code-secrets';
import { signVoucherToken } from '../libs/issuance/src/codes/qr-token';
import { IssuanceKeys } from '../libs/issuance/src/keys/issuance-keys';
import { benchApp, benchSiren, qualifySite } from './app-support';
import { fakeCameraArgs, launchChromium } from './chromium';
import { percentile } from './bench-support';
import { writeQrVideo } from './qr-video';

/**
 * `npm run bench -- web`: the site scanner in Debian's Chromium (playwright-core), served by the
 * production build (`npm run build` → dist/web) from the real API on a real port.
 * - scanner_js_gzip_kb: the JavaScript the browser downloads when an agent opens /app/scanner (every
 *   script response in the first 5 s, the idle prefetch of the QR reader included), each gzipped
 *   (level 6) as a compressing server or CDN would send it. Budget ≤ 250 KB. The reader's WebAssembly
 *   is reported apart (reader_wasm_gzip_kb): it is not JavaScript.
 * - scan_to_result_ms_fast3g: with Chromium emulating DevTools' "Fast 3G" (562.5 ms latency,
 *   180,000 B/s down, 84,375 B/s up), from the moment the camera decoded the cheque's QR code (a
 *   rendered QR code played by Chromium's fake camera) to the answer on screen, the agent's tap on
 *   "Valider" included (immediate here). The worst of BENCH_WEB_SCANS (8) scans, each in a fresh
 *   browser with a cold cache; the median too. Budget ≤ 1,500 ms.
 * - typed_to_result_ms_fast3g: the same for a typed code (Enter → answer); scanner_load_ms_fast3g:
 *   opening the scanner with a cold cache on Fast 3G, until its form is ready.
 * - Reference measured in the same run: fast3g_round_trip_ms, one bare GET /health/live from the same
 *   page on the same emulated network (the floor any answer from the API pays).
 */
const SCANS = Number(process.env.BENCH_WEB_SCANS ?? 8);
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 };

export async function runWebBench(): Promise<Record<string, unknown>> {
  const webDir = resolve(process.env.WEB_DIR ?? 'dist/web');
  if (!existsSync(join(webDir, 'index.html'))) throw new Error(`no web build in ${webDir}: run npm run build first`);
  const b = await benchApp('sillage_bench_web', { WEB_DIR: webDir, HOST: '127.0.0.1' });
  const tmp = mkdtempSync(join(tmpdir(), 'sillage-bench-web-'));
  try {
    await b.app.listen(0, '127.0.0.1');
    const base = (await b.app.getUrl()).replace('[::1]', '127.0.0.1');
    const world = await scannerWorld(b, SCANS);
    const scans: number[] = [];
    const typed: number[] = [];
    const loads: number[] = [];
    const roundTrips: number[] = [];
    let firstLoad: { js: number; wasm: number; files: string[] } | undefined;
    for (let i = 0; i < SCANS; i++) {
      const video = join(tmp, `cheque-${i}.y4m`);
      writeQrVideo(video, world.vouchers[i].qrToken);
      const browser = await launchChromium(fakeCameraArgs(video));
      try {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, permissions: ['camera'] });
        const page = await context.newPage();
        await signIn(page, base, world.email, world.password);
        // From here on, a phone on Fast 3G opening the scanner with a cold cache.
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        const bodies: { url: string; type: string; gzip: number }[] = [];
        if (i === 0) {
          page.on('response', (r) => {
            const type = r.request().resourceType();
            const url = r.url();
            if (type === 'script' || url.endsWith('.js') || url.endsWith('.wasm'))
              void r
                .body()
                .then((body) => bodies.push({ url, type: url.endsWith('.wasm') ? 'wasm' : 'script', gzip: gzipSync(body).length }))
                .catch(() => undefined);
          });
        }
        await cdp.send('Network.emulateNetworkConditions', FAST_3G);
        let t = Date.now();
        await page.reload();
        await page.getByRole('button', { name: 'Scanner un QR code' }).waitFor();
        await page.locator('#category option[value="atelier-collectif"]').waitFor({ state: 'attached' });
        loads.push(Date.now() - t);
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
        if (i === 0) {
          await page.waitForTimeout(5000);
          firstLoad = {
            js: bodies.filter((x) => x.type === 'script').reduce((s, x) => s + x.gzip, 0),
            wasm: bodies.filter((x) => x.type === 'wasm').reduce((s, x) => s + x.gzip, 0),
            files: bodies.map((x) => x.url.replace(/^.*\//, '')),
          };
        } else await page.waitForTimeout(4000); // the idle prefetch of the reader, as an agent's first seconds
        await page.getByLabel('Prestation').selectOption('atelier-collectif');

        await page.getByRole('button', { name: 'Scanner un QR code' }).click();
        await page.getByText('Chèques de ce service : 1').waitFor({ timeout: 60_000 });
        await page.getByRole('button', { name: 'Valider' }).click();
        await page.locator('.result-ok').waitFor({ timeout: 30_000 });
        scans.push(await between(page, 'sillage:scan', 'sillage:result-shown'));

        t = Date.now();
        const code = page.getByRole('textbox', { name: 'Code du chèque' });
        await code.fill(world.vouchers[i].typedCode);
        await page.evaluate(() => performance.clearMarks());
        await code.press('Enter');
        await page.getByText('1 chèque encaissé, 10,00 €.').waitFor({ timeout: 30_000 });
        await page.waitForFunction(() => performance.getEntriesByName('sillage:result-shown').length > 0);
        typed.push(await between(page, 'sillage:submit', 'sillage:result-shown'));
        // Reference, same page, same network: one bare request to the API (the floor any answer pays).
        roundTrips.push(
          await page.evaluate(async () => {
            const start = performance.now();
            await (await fetch(`/health/live?t=${start}`)).text();
            return performance.now() - start;
          }),
        );
      } finally {
        await browser.close();
      }
    }
    const [{ redeemed }] = (await b.admin.query<{ redeemed: string }>(`SELECT count(*) AS redeemed FROM redemption_line WHERE live`)).rows;
    if (Number(redeemed) !== SCANS * 2) throw new Error(`expected ${SCANS * 2} live redemption lines, found ${redeemed}`);
    const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
    return {
      scanner_js_gzip_kb: kb(firstLoad!.js),
      scan_to_result_ms_fast3g: Math.round(Math.max(...scans)),
      scan_to_result_median_ms_fast3g: Math.round(percentile(scans, 50)),
      typed_to_result_ms_fast3g: Math.round(Math.max(...typed)),
      scanner_load_ms_fast3g: Math.round(percentile(loads, 50)),
      fast3g_round_trip_ms: Math.round(percentile(roundTrips, 50)),
      reader_wasm_gzip_kb: kb(firstLoad!.wasm),
      scans: SCANS,
      first_load_files: firstLoad!.files,
      budgets: { scanner_js_gzip_kb: 250, scan_to_result_ms_fast3g: 1500 },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await b.close();
  }
}

async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login?next=/app/scanner`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Scanner' }).waitFor();
}

/** Milliseconds between two performance marks of the page (the last of each). */
function between(page: Page, from: string, to: string): Promise<number> {
  return page.evaluate(
    ([a, c]) => {
      const start = performance.getEntriesByName(a).pop();
      const end = performance.getEntriesByName(c).pop();
      if (!start || !end) throw new Error(`missing mark ${start ? c : a}`);
      return end.startTime - start.startTime;
    },
    [from, to],
  );
}

/** A qualified site with an agent who signs in with a password, and 2 × `n` handed-over cheques of 10 €. */
async function scannerWorld(b: Awaited<ReturnType<typeof benchApp>>, n: number) {
  const operatorId = await b.organisation('operator', benchSiren(1));
  const funderId = await b.organisation('funder', benchSiren(2));
  const distributorId = await b.organisation('distributor', benchSiren(3));
  const siteId = await b.organisation('site', benchSiren(4));
  await b.admin.query(`INSERT INTO partnership (funder_id, distributor_id) VALUES ($1, $2)`, [funderId, distributorId]);
  await qualifySite(b, siteId);
  const email = 'agent.scanner@bench.test';
  const password = 'Velours-bench-Trombone-42';
  await b.admin.query(
    `INSERT INTO app_user (organisation_id, email, display_name, role, status, password_hash, password_changed_at)
     VALUES ($1, $2, 'Agent du lieu', 'agent', 'active', $3, now())`,
    [siteId, email, await hashPassword(password)],
  );
  const orderId = await b.paidOrder(b.principal(operatorId, ['operator']), funderId, n, 2);
  await b.app.get(AllocationsService).create(b.principal(funderId, ['funder']), { toDistributorId: distributorId, orderId, count: n });
  const booklets = (await b.admin.query<{ serial: string }>(`SELECT serial FROM booklet WHERE order_id = $1 ORDER BY number`, [orderId]))
    .rows;
  const handovers = b.app.get(HandoversService);
  const keys = b.app.get(IssuanceKeys);
  const vouchers: { qrToken: string; typedCode: string }[] = [];
  for (const { serial } of booklets) {
    await handovers.create(b.principal(distributorId, ['distributor'], 'agent'), {
      bookletSerial: serial,
      profile: { ageBand: '26_44', communeCode: '35238' },
    });
    const codes = (
      await b.admin.query<{ idx: number; enc: Buffer; face: string }>(
        `SELECT v.idx, v.code_encrypted AS enc, o.face_value_cents AS face FROM voucher v JOIN booklet bk ON bk.id = v.booklet_id
         JOIN purchase_order o ON o.id = v.order_id WHERE bk.serial = $1 ORDER BY v.idx`,
        [serial],
      )
    ).rows;
    const voucherSerial = (idx: number) => `${serial}-${String(idx).padStart(2, '0')}`;
    vouchers.push({
      qrToken: signVoucherToken(keys.signing, { s: voucherSerial(codes[0].idx), v: Number(codes[0].face) }),
      typedCode: revealHumanCode(keys.printKeys, codes[1].enc, voucherSerial(codes[1].idx)),
    });
  }
  return { email, password, vouchers };
}
