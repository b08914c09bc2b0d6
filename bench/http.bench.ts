import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { testSepaDebtorEnv } from '../libs/testing/src/test-config';
import { freePort, freshDatabase, load, LoadResult, REDIS_URL, startProcess, stopProcess } from './bench-support';
import { API_NODE_FLAGS } from '../apps/api/src/node-flags';

/**
 * `npm run bench -- http`: authenticated GET /v1/me at 32 connections against the production build
 * (NODE_ENV=production, LOG_LEVEL=info), and in the same run a bare Node http server doing the same
 * work by hand (bench/bare-me-server.ts). Rounds alternate between the two so drift on a shared
 * machine hits both alike. Target: ratio = rps / bare_rps ≥ 0.7.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

export async function runHttpBench(): Promise<Record<string, unknown>> {
  const db = await freshDatabase('sillage_bench_http');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  // One funder organisation and one active agent, as the API would have created them.
  const orgId = randomUUID();
  const userId = randomUUID();
  const admin = new Client({ connectionString: db.adminUrl });
  await admin.connect();
  await admin.query(
    `INSERT INTO organisation (id, kinds, funder_type, legal_name, siren, address_line, postcode, commune_code)
     VALUES ($1, ARRAY['funder'], 'collectivity', 'Commune de Bench', '213105554', '1 place du Capitole', '31000', '31555')`,
    [orgId],
  );
  await admin.query(
    `INSERT INTO app_user (id, organisation_id, email, display_name, role, status) VALUES ($1, $2, 'agent@bench.example', 'Agent Bench', 'agent', 'active')`,
    [userId, orgId],
  );
  await admin.end();

  const token = jwt.sign({ sub: userId, org: orgId, kinds: ['funder'], role: 'agent' }, privateKey, {
    algorithm: 'ES256',
    keyid: 'bench',
    audience: 'sillage:access',
    issuer: 'sillage',
    expiresIn: 3600,
  });
  const headers = { authorization: `Bearer ${token}` };
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: db.appUrl,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL,
    JWT_PRIVATE_KEY: privatePem,
    JWT_PUBLIC_KEY: publicPem,
    JWT_KEY_ID: 'bench',
    HOST: '127.0.0.1',
    // Secrets production mode requires (fixed test values).
    VOUCHER_LOOKUP_KEY: Buffer.alloc(32, 7).toString('base64'),
    VOUCHER_PRINT_KEYS: `1:${Buffer.alloc(32, 9).toString('base64')}`,
    VOUCHER_SIGNING_KEY: privatePem,
    ...testSepaDebtorEnv(),
    PRIVACY_MASTER_KEYS: `1:${Buffer.alloc(32, 1).toString('base64')}`,
    PRIVACY_PSEUDONYM_KEY: Buffer.alloc(32, 2).toString('base64'),
  };

  const apiPort = await freePort();
  const barePort = await freePort();
  // As deployed: the API's Node flags (apps/api/src/node-flags.ts).
  const api = await startProcess(
    'apps/api/src/main.js',
    { ...env, PORT: String(apiPort) },
    `http://127.0.0.1:${apiPort}/health/ready`,
    false,
    API_NODE_FLAGS,
  );
  const bare = await startProcess(
    'bench/bare-me-server.js',
    { ...env, PORT: String(barePort) },
    `http://127.0.0.1:${barePort}/v1/me`,
    true,
  ).catch(async (e: unknown) => {
    await stopProcess(api);
    throw e;
  });
  const apiUrl = `http://127.0.0.1:${apiPort}/v1/me`;
  const bareUrl = `http://127.0.0.1:${barePort}/v1/me`;
  try {
    // Same answer from both, or the comparison means nothing.
    const [a, b] = await Promise.all([fetch(apiUrl, { headers }).then((r) => r.json()), fetch(bareUrl, { headers }).then((r) => r.json())]);
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`the two servers disagree:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);

    await load(apiUrl, headers, CONNECTIONS, 3); // warm-up (JIT, pools)
    await load(bareUrl, headers, CONNECTIONS, 3);
    const apiRuns: LoadResult[] = [];
    const bareRuns: LoadResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      apiRuns.push(await load(apiUrl, headers, CONNECTIONS, SECONDS));
      bareRuns.push(await load(bareUrl, headers, CONNECTIONS, SECONDS));
    }
    const total = (runs: LoadResult[]) => runs.reduce((s, r) => ({ req: s.req + r.requests, sec: s.sec + r.seconds }), { req: 0, sec: 0 });
    const apiTotal = total(apiRuns);
    const bareTotal = total(bareRuns);
    const failures = [...apiRuns, ...bareRuns].reduce((s, r) => s + r.non2xx + r.errors, 0);
    if (failures > 0) throw new Error(`${failures} failed requests during the benchmark`);
    const rps = apiTotal.req / apiTotal.sec;
    const bareRps = bareTotal.req / bareTotal.sec;
    return {
      rps: Math.round(rps),
      bare_rps: Math.round(bareRps),
      ratio: Math.round((rps / bareRps) * 1000) / 1000,
      p99_ms: Math.max(...apiRuns.map((r) => r.p99Ms)),
      bare_p99_ms: Math.max(...bareRuns.map((r) => r.p99Ms)),
      connections: CONNECTIONS,
      seconds_per_round: SECONDS,
      rounds: ROUNDS,
      target_ratio: 0.7,
    };
  } finally {
    await Promise.all([stopProcess(api), stopProcess(bare)]);
  }
}
