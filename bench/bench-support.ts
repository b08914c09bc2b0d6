import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { runMigrations } from '../libs/db/src/migrate';
import { quoteIdent, setupRolesAndDatabase } from '../libs/db/src/roles';

/** Shared plumbing for benchmarks: a fresh database, free ports, child processes, load runs. */
export const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function freshDatabase(name: string): Promise<{ ownerUrl: string; appUrl: string; adminUrl: string }> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  await admin.end();
  const urls = await setupRolesAndDatabase({ adminUrl: ADMIN_URL, database: name });
  await runMigrations(urls.ownerUrl);
  const adminUrl = new URL(ADMIN_URL);
  adminUrl.pathname = `/${name}`;
  return { ...urls, adminUrl: adminUrl.toString() };
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/**
 * Strings held in one buffer rather than as that many heap strings: what a load generator prepares
 * before a run (400,000 signed QR tokens) then costs its garbage collector nothing. Held as strings,
 * they made the harness's old generation ~250 MB, and its major collection, both cores for ~300 ms,
 * fell in the middle of a latency run: every answer due meanwhile was counted late, though the API
 * had nothing to do with it.
 */
export class PackedStrings {
  private readonly data: Buffer;
  /** Where each string ends in `data` (the next one starts there). */
  private readonly ends: Uint32Array;

  constructor(strings: readonly string[]) {
    this.ends = new Uint32Array(strings.length);
    let size = 0;
    strings.forEach((s, i) => {
      size += Buffer.byteLength(s);
      this.ends[i] = size;
    });
    this.data = Buffer.allocUnsafe(size);
    strings.forEach((s, i) => this.data.write(s, i === 0 ? 0 : this.ends[i - 1]));
  }

  get length(): number {
    return this.ends.length;
  }

  /** The i-th string, or undefined past the end. */
  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.ends.length) return undefined;
    return this.data.toString('utf8', i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }
}

/**
 * A full garbage collection of this process, now: called before a timed run, so that the harness starts
 * it with an empty old generation and does not collect it during the run (JMH and benchmark.js do the
 * same). `--expose-gc` is set at run time, so `npm run bench` needs no flag.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Node flags from an environment variable (space-separated), for experiments with a benchmark's processes. */
export const nodeFlagsFrom = (name: string): string[] => process.env[name]?.split(' ').filter(Boolean) ?? [];

/**
 * CPU time (ms) used so far by the kernel's DAMON threads (`kdamond`), or null when none runs (or not
 * on Linux). Some virtual machines run DAMON-based proactive reclaim: its access check over physical
 * memory every 500 ms holds a core for 10–60 ms, and every process waits meanwhile (ADR 19). The
 * redemption bench reports how much of it ran during its latency run. `proc`: for tests.
 */
export function kdamondCpuMs(proc = '/proc'): number | null {
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let total: number | null = null;
  for (const pid of pids) {
    try {
      if (!readFileSync(`${proc}/${pid}/comm`, 'utf8').startsWith('kdamond')) continue;
      // schedstat: time on the CPU (ns), time waiting for it (ns), time slices.
      total = (total ?? 0) + Number(readFileSync(`${proc}/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      // the process ended meanwhile, or the kernel keeps no scheduler statistics
    }
  }
  return total;
}

/** Starts a built script and resolves once `readyUrl` answers (200, or any HTTP answer when `anyAnswer`). */
export async function startProcess(
  script: string,
  env: NodeJS.ProcessEnv,
  readyUrl: string,
  anyAnswer = false,
  flags: readonly string[] = [],
): Promise<ChildProcess> {
  // BENCH_CHILD_NODE_ARGS: extra Node flags for the processes under test, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = [...flags, ...nodeFlagsFrom('BENCH_CHILD_NODE_ARGS')];
  const child = spawn(process.execPath, [...nodeArgs, resolve(__dirname, '..', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.BENCH_CHILD_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  // A bench that dies (an uncaught error) must not leave the processes under test running.
  process.once('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    try {
      const res = await fetch(readyUrl);
      if (res.ok || anyAnswer) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} not ready after 60 s`);
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    child.once('exit', () => res());
    child.kill('SIGTERM');
  });
}

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export async function load(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<LoadResult> {
  const r = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1 });
  return {
    requests: r.requests.total,
    seconds: r.duration,
    rps: r.requests.total / r.duration,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

const PGBENCH = process.env.BENCH_PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';

function runCommand(cmd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => (code === 0 ? res(out) : rej(new Error(`${cmd} exited with ${code}:\n${out.slice(-2000)}`))));
  });
}

/** pgbench TPC-B on the same server, in its own scratch database (dropped afterwards): the reference of write benchmarks. */
export async function pgbenchTps(o: { clients: number; seconds: number; scale: number }): Promise<number> {
  return (await pgbenchReference(o)).tps;
}

/** What pgbench's TPC-B measured: its maximum, and its latency at a fixed rate when asked for. */
export interface PgbenchReference {
  tps: number;
  atRate?: FixedRateLatency;
}

export interface FixedRateLatency {
  /** Transactions measured (those scheduled after the first `FIXED_RATE_SKIP_SECONDS`). */
  transactions: number;
  p50Ms: number;
  p99Ms: number;
}

/** pgbench's clients connect when its fixed-rate run starts, so its first transactions wait for that. */
export const FIXED_RATE_SKIP_SECONDS = 2;

/**
 * pgbench TPC-B: `-i -s scale`, then `clients` connections for `seconds` (the maximum). With
 * `fixedRate`, then a CHECKPOINT (as a benchmark's latency run follows one) and the same clients at
 * `rate` transactions per second for `seconds` more: the latency PostgreSQL alone gives on this
 * machine at that rate, measured from each transaction's scheduled start (`-R`, logged with `-l`).
 */
export async function pgbenchReference(o: {
  clients: number;
  seconds: number;
  scale: number;
  fixedRate?: { rate: number; seconds: number };
}): Promise<PgbenchReference> {
  const name = 'sillage_bench_pgbench';
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const logDir = mkdtempSync(join(tmpdir(), 'sillage-pgbench-'));
  let out: string;
  let atRate: FixedRateLatency | undefined;
  try {
    await runCommand(PGBENCH, ['-i', '-q', '-s', String(o.scale), url.toString()]);
    out = await runCommand(PGBENCH, ['-c', String(o.clients), '-j', '2', '-T', String(o.seconds), url.toString()]);
    if (o.fixedRate) {
      const checkpoint = new Client({ connectionString: url.toString() });
      await checkpoint.connect();
      await checkpoint.query('CHECKPOINT');
      await checkpoint.end();
      const { rate, seconds } = o.fixedRate;
      const prefix = join(logDir, 'tx');
      await runCommand(PGBENCH, [
        ...['-c', String(o.clients), '-j', '2', '-R', String(rate), '-T', String(seconds + FIXED_RATE_SKIP_SECONDS)],
        ...['-l', `--log-prefix=${prefix}`, url.toString()],
      ]);
      const lines = readdirSync(logDir).flatMap((f) => readFileSync(join(logDir, f), 'utf8').split('\n'));
      atRate = fixedRateLatency(lines, FIXED_RATE_SKIP_SECONDS);
    }
  } finally {
    rmSync(logDir, { recursive: true, force: true });
    const cleanup = new Client({ connectionString: ADMIN_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await cleanup.end();
  }
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!m) throw new Error(`cannot read pgbench's tps:\n${out}`);
  return { tps: Number(m[1]), atRate };
}

/**
 * Latency percentiles from pgbench's per-transaction log lines (`client transaction latency_us script
 * end_epoch_s end_us [schedule_lag_us]`; with `-R` the latency counts from the scheduled start, lag
 * included), leaving out transactions scheduled in the first `skipSeconds` (connections being made).
 */
export function fixedRateLatency(lines: readonly string[], skipSeconds: number): FixedRateLatency {
  const transactions = lines
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 6)
    .map((f) => {
      const latencyMs = Number(f[2]) / 1000;
      return { latencyMs, startMs: Number(f[4]) * 1000 + Number(f[5]) / 1000 - latencyMs };
    });
  if (transactions.length === 0) throw new Error('pgbench logged no transaction');
  const first = transactions.reduce((m, t) => Math.min(m, t.startMs), Infinity);
  const kept = transactions.filter((t) => t.startMs >= first + skipSeconds * 1000).map((t) => t.latencyMs);
  if (kept.length === 0) throw new Error(`pgbench logged no transaction after its first ${skipSeconds} s`);
  return { transactions: kept.length, p50Ms: percentile(kept, 50), p99Ms: percentile(kept, 99) };
}

/** The p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
