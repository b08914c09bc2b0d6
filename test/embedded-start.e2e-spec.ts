import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm start` on a bare machine: no DATABASE_URL, no REDIS_URL. Runs the built launcher exactly as
 * a user would (the test command builds first) and checks it migrates, serves and says its mode.
 */
const launcher = resolve(__dirname, '../dist/scripts/start.js');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
}

async function start(dataDir: string, port: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [launcher], { env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((res, rej) => {
    // The first start also loads the demo dataset (about 30 s on this machine).
    const timer = setTimeout(() => rej(new Error(`not listening after 240 s:\n${out}`)), 240_000);
    const check = () => {
      if (out.includes('listening on')) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`launcher exited with ${code}:\n${out}`));
    });
  });
  return { child, output: () => out };
}

async function stop(s: Started): Promise<number | null> {
  const done = new Promise<number | null>((res) => s.child.on('exit', (code) => res(code)));
  s.child.kill('SIGTERM');
  return done;
}

describe('npm start in embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sillage-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('boots with no DATABASE_URL or REDIS_URL, migrates, answers /health/ready, and keeps its data', async () => {
    expect(existsSync(launcher)).toBe(true);
    const port = await freePort();
    const first = await start(dataDir, port);
    try {
      expect(first.output()).toContain('starting embedded PostgreSQL (PGlite)');
      expect(first.output()).toContain('jobs run inside the API process');
      expect(first.output()).toMatch(/\[migrate\] \d+ migration\(s\) applied/);
      expect(first.output()).toContain(`listening on http://localhost:${port}`);
      expect(first.output()).toContain('demo dataset loaded');
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ok',
        mode: { database: 'embedded', queue: 'in-process' },
        checks: { migrations: { status: 'ok' } },
      });
      // A newcomer sees real figures at once: the demo policy is public, its money executed and co-financed.
      const demo = await fetch(`http://127.0.0.1:${port}/v1/public/policies/pass-numerique-demo/transparency`);
      expect(demo.status).toBe(200);
      const report = (await demo.json()) as { executedCents: number; cofinancedCents: number; checkpoint: { treeSize: number } | null };
      expect(report.executedCents).toBeGreaterThan(0);
      expect(report.cofinancedCents).toBeGreaterThan(0);
      expect(report.checkpoint?.treeSize).toBeGreaterThan(1000);
    } finally {
      expect(await stop(first)).toBe(0);
    }
    expect(existsSync(join(dataDir, 'pglite'))).toBe(true);

    const second = await start(dataDir, port);
    try {
      expect(second.output()).toContain('[migrate] schema up to date');
      expect(second.output()).not.toContain('loading the demo dataset'); // once per data directory
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 480_000);
});
