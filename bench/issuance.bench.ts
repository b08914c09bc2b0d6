import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Client } from 'pg';
import { measurePrintThroughput } from '../libs/issuance/src/print/print-throughput';
import { benchApp, benchSiren } from './app-support';

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
  // ISSUANCE_CHUNK_BOOKLETS: the production default unless the operator's variable is set
  const b = await benchApp('sillage_bench_issuance', { ISSUANCE_CHUNK_BOOKLETS: process.env.ISSUANCE_CHUNK_BOOKLETS });
  const operator = b.principal(await b.organisation('operator', benchSiren(1)), ['operator']);
  const funderId = await b.organisation('funder', benchSiren(2));

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const started = process.hrtime.bigint();
  const orderId = await b.paidOrder(operator, funderId, BOOKLETS, PER_BOOKLET);
  const issueSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const active = await b.admin.query<{ n: string }>(`SELECT count(*) AS n FROM voucher WHERE order_id = $1 AND status = 'ACTIVE'`, [
    orderId,
  ]);
  const vouchers = BOOKLETS * PER_BOOKLET;
  if (Number(active.rows[0].n) !== vouchers) throw new Error(`expected ${vouchers} ACTIVE vouchers, found ${active.rows[0].n}`);
  const chunkBooklets = b.config.issuance.chunkBooklets;
  await b.close();

  const copySeconds = await copyReference(b.adminUrl, vouchers);
  const print = await measurePrintThroughput(PDF_VOUCHERS);
  return {
    vouchers,
    chunk_booklets: chunkBooklets,
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
