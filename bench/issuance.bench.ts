import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Client } from 'pg';
import { createApiApp } from '../apps/api/src/create-app';
import { loadConfig } from '../libs/config/src/config';
import { OrdersService } from '../libs/funding/src/orders/orders.service';
import { Principal } from '../libs/identity/src/access/principal';
import { measurePrintThroughput } from '../libs/issuance/src/print/print-throughput';
import { freshDatabase } from './bench-support';

/**
 * `npm run bench -- issuance`: an order of BENCH_ISSUANCE_BOOKLETS (100,000) booklets × 10 vouchers is
 * created, confirmed and paid through the real services (jobs in-process); issue_s runs until every
 * voucher is ACTIVE (redeemable). Reference, same run, same server: a plain server-side COPY of the same
 * number of voucher rows (same shape, same indexes and fill factor) from a file generated beforehand.
 * Target issue_ratio = issue_s / copy_reference_s ≤ 5, peak RSS of the issuing process ≤ 512 MB.
 * Then print throughput: PDF rendering vs generating the same QR codes alone (pdf_ratio ≥ 0.5).
 */
const BOOKLETS = Number(process.env.BENCH_ISSUANCE_BOOKLETS ?? 100_000);
const PER_BOOKLET = 10;
const PDF_VOUCHERS = Number(process.env.BENCH_PDF_VOUCHERS ?? 3000);

async function copyReference(adminUrl: string, rows: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sillage-copy-'));
  const file = join(dir, 'vouchers.tsv');
  try {
    // The same columns the issuer writes: booklet, order, index, status, 32-byte HMAC, 42-byte AES-GCM copy.
    const out = createWriteStream(file);
    const order = randomUUID();
    let booklet = randomUUID();
    for (let i = 0; i < rows; i++) {
      if (i % PER_BOOKLET === 0) booklet = randomUUID();
      const line = `${booklet}\t${order}\t${(i % PER_BOOKLET) + 1}\tISSUED\t\\\\x${randomBytes(32).toString('hex')}\t\\\\x${randomBytes(42).toString('hex')}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    // Server-side COPY: the PostgreSQL server process reads the file itself.
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    const db = new Client({ connectionString: adminUrl });
    await db.connect();
    try {
      await db.query(`CREATE TABLE copy_reference (LIKE voucher INCLUDING ALL) WITH (fillfactor = 70)`);
      const started = process.hrtime.bigint();
      await db.query(`COPY copy_reference (booklet_id, order_id, idx, status, code_hash, code_encrypted) FROM '${file}'`);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      await db.query(`DROP TABLE copy_reference`);
      return seconds;
    } finally {
      await db.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runIssuanceBench(): Promise<Record<string, unknown>> {
  const urls = await freshDatabase('sillage_bench_issuance');
  const admin = new Client({ connectionString: urls.adminUrl });
  await admin.connect();
  const org = async (kind: string, siren: string) =>
    (
      await admin.query<{ id: string }>(
        `INSERT INTO organisation (kinds, funder_type, legal_name, siren, address_line, postcode, commune_code)
         VALUES ($1, $2, $3, $4, '1 place de la Mairie', '35000', '35238') RETURNING id`,
        [[kind], kind === 'funder' ? 'collectivity' : null, `Bench ${kind}`, siren],
      )
    ).rows[0].id;
  const operatorId = await org('operator', '130025265');
  const funderId = await org('funder', '213502388');
  const dataDir = mkdtempSync(join(tmpdir(), 'sillage-bench-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: urls.appUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_MS: '50',
    // the production default unless the operator's variable is set
    ISSUANCE_CHUNK_BOOKLETS: process.env.ISSUANCE_CHUNK_BOOKLETS,
  });
  // The real API application (not listening): its in-process relay runs the issuance job here.
  const app = await createApiApp(config);
  await app.init();
  const orders = app.get(OrdersService);
  const principal: Principal = {
    type: 'user',
    id: randomUUID(),
    organisationId: operatorId,
    organisationKinds: ['operator'],
    role: 'admin',
  };

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const validity = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const started = process.hrtime.bigint();
  const order = await orders.create(principal, {
    funderId,
    bookletCount: BOOKLETS,
    vouchersPerBooklet: PER_BOOKLET,
    validityEndDate: validity,
  });
  const confirmed = await orders.confirm(principal, order.id);
  await orders.recordPayment(principal, order.id, {
    reference: 'BENCH-1',
    paidOn: new Date().toISOString().slice(0, 10),
    amountCents: confirmed.amountDueCents!,
  });
  for (;;) {
    const r = await admin.query<{ activated: boolean }>(
      `SELECT activated_at IS NOT NULL AS activated FROM order_issuance WHERE order_id = $1`,
      [order.id],
    );
    if (r.rows[0]?.activated) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  const issueSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const active = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM voucher WHERE order_id = $1 AND status = 'ACTIVE'`, [
    order.id,
  ]);
  const vouchers = BOOKLETS * PER_BOOKLET;
  if (Number(active.rows[0].n) !== vouchers) throw new Error(`expected ${vouchers} ACTIVE vouchers, found ${active.rows[0].n}`);
  await app.close();

  const copySeconds = await copyReference(urls.adminUrl, vouchers);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
  const print = await measurePrintThroughput(PDF_VOUCHERS);
  return {
    vouchers,
    chunk_booklets: config.issuance.chunkBooklets,
    issue_s: round(issueSeconds, 2),
    copy_reference_s: round(copySeconds, 2),
    issue_ratio: round(issueSeconds / copySeconds, 3),
    rss_mb: Math.round(peakRss / 1_048_576),
    pdf_vouchers_per_s: Math.round(print.pdf_vouchers_per_s),
    qr_only_per_s: Math.round(print.qr_only_per_s),
    pdf_ratio: round(print.pdf_ratio, 3),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
