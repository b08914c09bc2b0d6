import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
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

  it('lets exactly one of 64 concurrent redemptions of one voucher win; ledger and audit hold one entry each', async () => {
    const { serials } = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 2 });
    await handOver(w, serials[0]);
    const v = await voucherCodes(w.t, serials[0], 1);
    const occurredAt = new Date().toISOString();
    const viaChild = async () => {
      const res = await fetch(`${base}/v1/redemptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${w.site.agent}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ vouchers: [{ qrToken: v.qrToken }], serviceCategoryCode: 'atelier-collectif', occurredAt }),
      });
      return { status: res.status, code: ((await res.json()) as { code?: string }).code };
    };
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
});
