import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { sql, testEnv, testSepaDebtorEnv, testVoucherEnv } from '@sillage/testing';
import { validateAgainstPain001Schema } from '../libs/settlement/src/sepa/test-fixtures';
import { api } from './order-support';
import { freePort } from './queue-support';
import { createRedemptionWorld, handOver, qualifiedSite, RedemptionWorld, stockedOrder } from './redemption-support';
import { expectLedgerOk, redeemedAgo, Run, verifiedBankAccount } from './settlement-support';

type CrashPoint = 'after_statements' | 'mid_batch' | 'after_payouts' | 'after_file';

/** What a run produced for the sites of one scenario, without ids, references or times: comparable across runs. */
interface Outcome {
  statements: { vouchers: number; totalCents: number; status: string; payouts: number }[];
  payouts: { amountCents: number; statements: number; status: string; ledger: string }[];
  batch: { status: string; paymentCount: number; totalCents: number; nbOfTxs: string; ctrlSum: string; validAgainstXsd: boolean };
}

/**
 * Crash safety of a settlement run in a real worker process: at each named point the worker kills
 * itself (SIGKILL, `SETTLEMENT_CRASH_AT`); a new worker resumes the run; the statements, payouts and
 * batch file are the same as an uninterrupted run's, and nothing is paid twice.
 */
describe('settlement run crash safety (SIGKILL of the worker at each named point)', () => {
  let w: RedemptionWorld;
  let serials: string[];
  let next = 0;
  let reference: Outcome;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const stocked = await stockedOrder(w, { bookletCount: 15 });
    serials = stocked.serials;
    for (const serial of serials) await handOver(w, serial);
    // From here the jobs run in worker processes only: the in-process worker stops.
    const worker = w.worker;
    await worker.close();
    worker.close = () => Promise.resolve();
  }, 120_000);
  afterAll(() => w?.close());

  async function startWorker(crashAt?: CrashPoint): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string }> {
    let output = '';
    const child = spawn(process.execPath, [resolve(__dirname, '../dist/apps/worker/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        TZ: 'UTC',
        NODE_ENV: 'production',
        DATABASE_URL: w.t.db.appUrl,
        REDIS_URL: w.t.config.redis.url,
        QUEUE_PREFIX: w.t.config.queue.prefix,
        OUTBOX_POLL_MS: '50',
        JOB_BACKOFF_MS: '50',
        JWT_PRIVATE_KEY: testEnv('jwtPrivateKey'),
        JWT_PUBLIC_KEY: testEnv('jwtPublicKey'),
        ...testVoucherEnv(),
        PRIVACY_MASTER_KEYS: `1:${randomBytes(32).toString('base64')}`,
        PRIVACY_PSEUDONYM_KEY: randomBytes(32).toString('base64'),
        ...testSepaDebtorEnv(),
        SETTLEMENT_SCHEDULE: 'off',
        // One site per transaction, so "mid-batch" falls between two payouts of the same batch.
        SETTLEMENT_CHUNK_SITES: '1',
        DATA_DIR: w.dataDir,
        WORKER_HEALTH_PORT: String(await freePort()),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...(crashAt ? { SETTLEMENT_CRASH_AT: crashAt } : {}),
      },
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 300 && !output.includes('Sillage worker started') && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!output.includes('Sillage worker started')) throw new Error(`the worker did not start: ${output}`);
    return { child, output: () => output };
  }

  function exited(child: ChildProcessWithoutNullStreams, timeoutMs = 60_000): Promise<NodeJS.Signals | number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error('the worker did not exit')), timeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolvePromise(signal ?? code);
      });
    });
  }

  async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited(child, 30_000);
  }

  /** Three sites with verified accounts, redeeming 1, 2 and 3 vouchers 30 h ago. */
  async function scenario(): Promise<string[]> {
    const sites: string[] = [];
    for (const vouchers of [1, 2, 3]) {
      const site = await qualifiedSite(w.t);
      await verifiedBankAccount(w.t, site.id);
      await redeemedAgo(
        w,
        site,
        serials[next++],
        Array.from({ length: vouchers }, (_, i) => i + 1),
        30,
      );
      sites.push(site.id);
    }
    return sites;
  }

  async function start(cutoff: string): Promise<{ status: number; run: Run }> {
    const r = await api<Run>(w.t, 'POST', '/v1/settlement-runs', w.tokens.opFinance, { cutoff });
    if (r.status !== 201 && r.status !== 200) throw new Error(`run refused: ${r.status} ${JSON.stringify(r.body)}`);
    return { status: r.status, run: r.body };
  }

  async function completed(runId: string): Promise<Run> {
    for (let i = 0; i < 600; i++) {
      const r = await api<Run>(w.t, 'GET', `/v1/settlement-runs/${runId}`, w.tokens.opFinance);
      if (r.body.status === 'completed') return r.body;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('the run did not complete');
  }

  async function outcome(runId: string, sites: string[]): Promise<Outcome> {
    const statements = await sql<{ vouchers: number; total: string; status: string; payouts: number }>(
      w.t,
      `SELECT s.voucher_count AS vouchers, s.total_cents::text AS total, s.status,
              (SELECT count(*)::int FROM payout_statement ps WHERE ps.statement_id = s.id) AS payouts
         FROM settlement_statement s WHERE s.site_id = ANY($1::uuid[]) ORDER BY s.voucher_count`,
      [sites],
    );
    const payouts = await sql<{ amount: string; statements: number; status: string; ledger: string }>(
      w.t,
      `SELECT p.amount_cents::text AS amount, p.statement_count AS statements, p.status,
              (SELECT string_agg(t.kind || ':' || t.amount, ',' ORDER BY t.kind) FROM ledger_transfer t WHERE t.id = p.id OR t.pending_id = p.id) AS ledger
         FROM payout p WHERE p.site_id = ANY($1::uuid[]) ORDER BY p.amount_cents`,
      [sites],
    );
    const [batch] = await sql<{ status: string; payment_count: number; total: string; xml: string }>(
      w.t,
      `SELECT status, payment_count, total_cents::text AS total, file_xml AS xml FROM payout_batch WHERE run_id = $1`,
      [runId],
    );
    return {
      statements: statements.map((s) => ({ vouchers: s.vouchers, totalCents: Number(s.total), status: s.status, payouts: s.payouts })),
      payouts: payouts.map((p) => ({ amountCents: Number(p.amount), statements: p.statements, status: p.status, ledger: p.ledger })),
      batch: {
        status: batch?.status,
        paymentCount: batch?.payment_count,
        totalCents: Number(batch?.total),
        nbOfTxs: /<NbOfTxs>(\d+)<\/NbOfTxs>/.exec(batch?.xml ?? '')?.[1] ?? '',
        ctrlSum: /<CtrlSum>([\d.]+)<\/CtrlSum>/.exec(batch?.xml ?? '')?.[1] ?? '',
        validAgainstXsd: batch?.xml ? validateAgainstPain001Schema(batch.xml).valid : false,
      },
    };
  }

  it('an uninterrupted run: three statements, three payouts, one batch file', async () => {
    const sites = await scenario();
    const worker = await startWorker();
    try {
      const { run } = await start(new Date().toISOString());
      await completed(run.id);
      reference = await outcome(run.id, sites);
    } finally {
      await stop(worker.child);
    }
    expect(reference).toEqual({
      statements: [
        { vouchers: 1, totalCents: 1000, status: 'in_payout', payouts: 1 },
        { vouchers: 2, totalCents: 2000, status: 'in_payout', payouts: 1 },
        { vouchers: 3, totalCents: 3000, status: 'in_payout', payouts: 1 },
      ],
      payouts: [
        { amountCents: 1000, statements: 1, status: 'pending', ledger: 'pending:1000' },
        { amountCents: 2000, statements: 1, status: 'pending', ledger: 'pending:2000' },
        { amountCents: 3000, statements: 1, status: 'pending', ledger: 'pending:3000' },
      ],
      batch: { status: 'awaiting_release', paymentCount: 3, totalCents: 6000, nbOfTxs: '3', ctrlSum: '60.00', validAgainstXsd: true },
    });
    await expectLedgerOk(w);
  }, 90_000);

  /** What must be committed when the worker dies at each point. */
  const atCrash: Record<CrashPoint, { statements: number; payouts: number; batch: string | undefined }> = {
    after_statements: { statements: 3, payouts: 0, batch: undefined },
    mid_batch: { statements: 3, payouts: 1, batch: 'building' },
    after_payouts: { statements: 3, payouts: 3, batch: 'building' },
    after_file: { statements: 3, payouts: 3, batch: 'awaiting_release' },
  };

  it.each(Object.keys(atCrash) as CrashPoint[])(
    'killed %s, then resumed by a new worker: the same statements, payouts and file as an uninterrupted run',
    async (point) => {
      const sites = await scenario();
      const crashing = await startWorker(point);
      const cutoff = new Date().toISOString();
      const { status, run } = await start(cutoff);
      expect(status).toBe(201);
      expect(await exited(crashing.child)).toBe('SIGKILL');
      expect(crashing.output()).toContain(`crash point "${point}" reached`);

      // What the dead worker left: everything up to the point, committed; the run still running.
      const [left] = await sql<{ statements: number; payouts: number; batch: string | null; run: string }>(
        w.t,
        `SELECT (SELECT count(*)::int FROM settlement_statement WHERE site_id = ANY($1::uuid[])) AS statements,
                (SELECT count(*)::int FROM payout WHERE site_id = ANY($1::uuid[])) AS payouts,
                (SELECT status FROM payout_batch WHERE run_id = $2) AS batch,
                (SELECT status FROM settlement_run WHERE id = $2) AS run`,
        [sites, run.id],
      );
      expect(left).toEqual({ ...atCrash[point], batch: atCrash[point].batch ?? null, run: 'running' });
      await expectLedgerOk(w);

      const resuming = await startWorker();
      try {
        const again = await start(cutoff);
        expect(again).toMatchObject({ status: 200, run: { id: run.id } });
        await completed(run.id);
        expect(await outcome(run.id, sites)).toEqual(reference);
      } finally {
        await stop(resuming.child);
      }
      // Nothing paid twice: one payout per site, one pending transfer per payout, the ledger balanced.
      const [paid] = await sql<{ payouts: number; sites: number }>(
        w.t,
        `SELECT count(*)::int AS payouts, count(DISTINCT site_id)::int AS sites FROM payout WHERE site_id = ANY($1::uuid[])`,
        [sites],
      );
      expect(paid).toEqual({ payouts: 3, sites: 3 });
      await expectLedgerOk(w);
    },
    120_000,
  );
});
