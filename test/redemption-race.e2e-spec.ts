import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { sql, testConfig, testEnv, testSepaDebtorEnv, testVoucherEnv } from '@sillage/testing';
import { freePort } from './queue-support';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

jest.setTimeout(120_000);

/**
 * Two API processes on one database: this test's in-process API and the built server started as a
 * child process. 64 redemptions of the same voucher, each with its own Idempotency-Key, half through
 * each process, all at once: exactly one wins.
 */
describe('redemption race across two API processes', () => {
  let w: RedemptionWorld;
  let child: ChildProcessWithoutNullStreams;
  let base: string;
  let output = '';

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = testConfig(w.t.db.appUrl);
    child = spawn(process.execPath, [resolve(__dirname, '../dist/apps/api/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        TZ: 'UTC',
        NODE_ENV: 'production',
        DATABASE_URL: w.t.db.appUrl,
        DATABASE_POOL_SIZE: '16',
        REDIS_URL: config.redis.url,
        QUEUE_PREFIX: `race${randomBytes(3).toString('hex')}`,
        JWT_PRIVATE_KEY: testEnv('jwtPrivateKey'),
        JWT_PUBLIC_KEY: testEnv('jwtPublicKey'),
        ...testVoucherEnv(),
        ...testSepaDebtorEnv(),
        PRIVACY_MASTER_KEYS: `1:${randomBytes(32).toString('base64')}`,
        PRIVACY_PSEUDONYM_KEY: randomBytes(32).toString('base64'),
        DATA_DIR: w.dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 300 && !output.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('listening on');
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await w?.close();
  });

  /** A scanner's request to the child process; status 0 when it no longer takes connections. */
  const scanViaChild = async (qrToken: string, occurredAt = new Date().toISOString()) => {
    try {
      const res = await fetch(`${base}/v1/redemptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${w.site.agent}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ vouchers: [{ qrToken }], serviceCategoryCode: 'atelier-collectif', occurredAt }),
      });
      return { status: res.status, code: ((await res.json()) as { code?: string }).code };
    } catch (e) {
      return { status: 0, code: (e as Error).message };
    }
  };

  it('lets exactly one of 64 concurrent redemptions of one voucher win; ledger and audit hold one entry each', async () => {
    const { serials } = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 2 });
    await handOver(w, serials[0]);
    const v = await voucherCodes(w.t, serials[0], 1);
    const occurredAt = new Date().toISOString();
    const viaChild = () => scanViaChild(v.qrToken, occurredAt);
    const viaTest = async () => {
      const r = await redeem<{ code?: string }>(w.t, w.site.agent, { vouchers: [{ code: v.code }], occurredAt });
      return { status: r.status, code: r.body.code };
    };
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? viaChild() : viaTest())));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.code === 'ALREADY_REDEEMED')).toHaveLength(63);
    const redemptions = await sql<{ id: string }>(
      w.t,
      `SELECT r.id FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id WHERE l.voucher_serial = $1`,
      [v.serial],
    );
    expect(redemptions).toHaveLength(1);
    const transfers = await sql(w.t, `SELECT 1 FROM ledger_transfer WHERE reference_type = 'redemption' AND reference_id = $1`, [
      redemptions[0].id,
    ]);
    expect(transfers).toHaveLength(1);
    const events = await sql(w.t, `SELECT 1 FROM audit_event WHERE action = 'redemption.recorded' AND subject_id = $1`, [
      redemptions[0].id,
    ]);
    expect(events).toHaveLength(1);
    const all = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM audit_event WHERE action = 'redemption.recorded'`);
    expect(all[0].n).toBe(1);
    // the refusals were logged by the child, without codes or tokens
    expect(output).toContain('redemption refused');
    expect(output).not.toContain(v.qrToken);
  });

  // Last: it stops the child.
  it('answers the scans it had when it is stopped (SIGTERM), and answers none that come in meanwhile with a 500', async () => {
    const { serials } = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 3 });
    await handOver(w, serials[0]);
    const [held, late] = [await voucherCodes(w.t, serials[0], 1), await voucherCodes(w.t, serials[0], 2)];
    // The first scan's statement waits on a lock held here, so it is in flight when the stop begins.
    const lock = new Client({ connectionString: w.t.db.adminUrl });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query(`SELECT 1 FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE b.serial = $1 AND v.idx = 1 FOR UPDATE OF v`, [
        serials[0],
      ]);
      const first = scanViaChild(held.qrToken);
      let waiting = 0;
      for (let i = 0; i < 100 && waiting === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const r = await lock.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'sillage-redemptions' AND wait_event_type = 'Lock'`,
        );
        waiting = r.rowCount ?? 0;
      }
      expect(waiting).toBe(1);
      const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const second = await scanViaChild(late.qrToken);
      await lock.query('ROLLBACK');
      const answered = await first;
      expect(answered.status).toBe(201);
      // Taken and written, refused while the server closes (503), or not connected: never a 500.
      expect([0, 201, 503]).toContain(second.status);
      // Nest closes everything, then lets the signal end the process (an error while closing exits with 1),
      // promptly: the answer to the first scan closed its keep-alive connection.
      const timeout = new Promise((r) => setTimeout(() => r('still running after 10 s'), 10_000).unref());
      expect(await Promise.race([exited, timeout])).toEqual({ code: null, signal: 'SIGTERM' });
      const redeemed = await sql<{ serial: string }>(
        w.t,
        `SELECT voucher_serial AS serial FROM redemption_line WHERE voucher_serial = ANY($1)`,
        [[held.serial, late.serial]],
      );
      expect(redeemed.map((r) => r.serial).sort()).toEqual(second.status === 201 ? [held.serial, late.serial].sort() : [held.serial]);
      expect(output).not.toContain('Cannot use a pool');
    } finally {
      await lock.end();
    }
  });
});
