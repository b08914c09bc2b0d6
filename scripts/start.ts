import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { API_NODE_FLAGS } from '../apps/api/src/node-flags';
import { ConfigError, loadConfig } from '../libs/config/src/config';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../libs/db/src/embedded';

/**
 * `npm start`: the whole platform from one command.
 * 1. Validates the configuration (every bad variable listed at once).
 * 2. Without DATABASE_URL, starts embedded PostgreSQL (PGlite) persisted under DATA_DIR/pglite and
 *    serves it on a local socket.
 * 3. Runs migrations as their own process (under an advisory lock on a real server).
 * 4. Starts the API, and the worker when Redis is configured (without Redis, jobs run in the API).
 * A child that dies stops the others; SIGINT/SIGTERM stop everything cleanly.
 */
const dist = resolve(__dirname, '..');
const children = new Set<ChildProcess>();
let embedded: EmbeddedPostgres | undefined;
let stopping: Promise<never> | undefined;

function say(message: string): void {
  process.stdout.write(`[sillage] ${message}\n`);
}

function run(script: string, env: NodeJS.ProcessEnv, args: string[] = [], nodeFlags: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, resolve(dist, script), ...args], { env, stdio: 'inherit' });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((res) => child.on('exit', (code, signal) => res(code ?? (signal ? 1 : 0))));
}

/** The first caller's exit code wins (a signal asks for 0, a crashed child for its code). */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    await Promise.all([...children].map((c) => (c.kill('SIGTERM'), exited(c))));
    await embedded?.stop();
    process.exit(code);
  })();
  return stopping;
}

/**
 * First start on the embedded database: loads the demo dataset (`seed:demo`, 10,000 vouchers over two
 * years) so a newcomer sees real figures at once — the public transparency page of the demo policy
 * and every report. Once per data directory (a marker file), never into a configured database, and
 * the seed itself refuses a database that holds orders. `SEED_DEMO=false` skips it. A failure is
 * reported and the platform starts anyway.
 */
async function loadDemoOnce(dataDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const marker = resolve(dataDir, 'demo-seeded');
  if (process.env.SEED_DEMO === 'false' || existsSync(marker)) return;
  say('first start: loading the demo dataset into the embedded database (SEED_DEMO=false skips it)');
  const code = await exited(run('scripts/seed.js', env, ['demo']));
  writeFileSync(marker, `${new Date().toISOString()} seed:demo exit code ${code}\n`);
  say(
    code === 0
      ? 'demo dataset loaded: see GET /v1/public/policies/pass-numerique-demo/transparency'
      : `the demo dataset could not be loaded (exit code ${code}); starting without it`,
  );
}

async function main(): Promise<void> {
  const config = loadConfig();
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (config.database.mode === 'embedded') {
    say(`no DATABASE_URL: starting embedded PostgreSQL (PGlite) in ${resolve(config.database.embeddedDataDir)}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.database.embeddedDataDir, port: 0 });
    Object.assign(env, { DATABASE_URL: embedded.url, DATABASE_OWNER_URL: embedded.url, SILLAGE_EMBEDDED: '1' });
  } else {
    say('using the PostgreSQL server at DATABASE_URL');
  }
  say(config.redis.mode === 'redis' ? 'using Redis at REDIS_URL: jobs run in the worker' : 'no REDIS_URL: jobs run inside the API process');

  const migrateCode = await exited(run('libs/db/src/migrate-cli.js', env));
  if (migrateCode !== 0) {
    say('migrations failed; not starting');
    return shutdown(migrateCode);
  }
  if (config.database.mode === 'embedded') await loadDemoOnce(config.dataDir, env);
  const processes = [run('apps/api/src/main.js', env, [], API_NODE_FLAGS)];
  if (config.redis.mode === 'redis') processes.push(run('apps/worker/src/main.js', env));
  const code = await Promise.race(processes.map(exited));
  if (!stopping) say(`a process stopped (exit code ${code}); stopping the others`);
  return shutdown(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (e: unknown) => {
  process.stderr.write(`${e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  await shutdown(1);
});
