import { parisDate } from '@sillage/common';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { bearer, seedOrganisation, seedPartnership, seedUser, testConfig, testEnv, tokenFor } from '@sillage/testing';
import { createOrderWorld, OrderWorld, paidOrder } from './order-support';
import { freePort } from './queue-support';

jest.setTimeout(120_000);

const SENTINEL = { name: 'Aurélienne Krzywonos', email: 'aurelienne.krzywonos@sentinel.example', phone: '+33 6 55 44 33 22' };

/**
 * The API as it runs in production (the built server, debug logs: every request logged) receives a
 * hand-over with contact details and their read-back: the planted name, email and phone never reach
 * its log lines.
 */
describe('personal data never reaches the logs', () => {
  let w: OrderWorld;
  let api: ChildProcessWithoutNullStreams;
  let output = '';
  let base: string;

  beforeAll(async () => {
    w = await createOrderWorld();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = testConfig(w.t.db.appUrl);
    api = spawn(process.execPath, [resolve(__dirname, '../dist/apps/api/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        TZ: 'UTC',
        NODE_ENV: 'development',
        DATABASE_URL: w.t.db.appUrl,
        REDIS_URL: config.redis.url,
        QUEUE_PREFIX: `logs${randomBytes(3).toString('hex')}`,
        JWT_PRIVATE_KEY: testEnv('jwtPrivateKey'),
        JWT_PUBLIC_KEY: testEnv('jwtPublicKey'),
        PRIVACY_MASTER_KEYS: `1:${randomBytes(32).toString('base64')}`,
        PRIVACY_PSEUDONYM_KEY: randomBytes(32).toString('base64'),
        DATA_DIR: w.dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
      },
    });
    api.stdout.on('data', (d: Buffer) => (output += d.toString()));
    api.stderr.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 300 && !output.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('listening on');
  });
  afterAll(async () => {
    api?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await w.close();
  });

  it('logs requests, never the contact details they carry or return', async () => {
    const distributor = await seedOrganisation(w.t, { kinds: ['distributor'] });
    await seedPartnership(w.t, { id: w.funderId }, distributor);
    const agent = tokenFor(w.t, await seedUser(w.t, distributor, { role: 'agent' }));
    const admin = tokenFor(w.t, await seedUser(w.t, distributor, { role: 'admin' }));
    await paidOrder(w, { bookletCount: 1, vouchersPerBooklet: 1 });
    const post = (url: string, token: string, body: object) =>
      fetch(`${base}${url}`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const alloc = (await (await post('/v1/allocations', w.tokens.funder, { toDistributorId: distributor.id, count: 1 })).json()) as {
      ranges: { fromSerial: string }[];
    };
    const handed = await post('/v1/handovers', agent, {
      bookletSerial: alloc.ranges[0].fromSerial,
      profile: { ageBand: '45_59', communeCode: '35238' },
      contact: SENTINEL,
      consent: { purpose: 'follow_up', givenOn: parisDate(new Date()), textVersion: 'v1' },
    });
    expect(handed.status).toBe(201);
    const { beneficiaryId } = (await handed.json()) as { beneficiaryId: string };
    const read = await fetch(`${base}/v1/beneficiaries/${beneficiaryId}?purpose=follow_up`, { headers: bearer(admin) });
    expect(await read.text()).toContain(SENTINEL.email); // the read did return it…
    // … a bad request echoing it back is refused without logging it either
    const bad = await post('/v1/handovers', agent, { bookletSerial: 'nope', profile: {}, contact: SENTINEL });
    expect(bad.status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(output).toMatch(/"url":"\/v1\/handovers"|\/v1\/handovers/); // requests are logged
    for (const value of Object.values(SENTINEL)) expect(output).not.toContain(value);
  });
});
