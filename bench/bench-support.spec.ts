import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGarbage, fixedRateLatency, kdamondCpuMs, PackedStrings } from './bench-support';

/** A directory shaped like /proc: one entry per process, with its `comm` and `schedstat`. */
function fakeProc(processes: { pid: number; comm: string; schedstat?: string }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'proc-'));
  mkdirSync(join(dir, 'self'));
  for (const p of processes) {
    mkdirSync(join(dir, String(p.pid)));
    writeFileSync(join(dir, String(p.pid), 'comm'), `${p.comm}\n`);
    if (p.schedstat !== undefined) writeFileSync(join(dir, String(p.pid), 'schedstat'), p.schedstat);
  }
  return dir;
}

describe('the kernel memory monitor’s CPU time (kdamondCpuMs)', () => {
  const dirs: string[] = [];
  const proc = (processes: Parameters<typeof fakeProc>[0]) => {
    const dir = fakeProc(processes);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('sums the run time of every kdamond thread, in ms, and ignores other processes', () => {
    const dir = proc([
      { pid: 77, comm: 'kdamond.0', schedstat: '2500000000 60414 12\n' },
      { pid: 78, comm: 'kdamond.1', schedstat: '1250000 0 3\n' },
      { pid: 1234, comm: 'postgres', schedstat: '999000000000 0 1\n' },
    ]);
    expect(kdamondCpuMs(dir)).toBe(2501.25);
  });

  it('is null on a machine without kdamond, or without /proc', () => {
    expect(kdamondCpuMs(proc([{ pid: 1, comm: 'init', schedstat: '5 0 1\n' }]))).toBeNull();
    expect(kdamondCpuMs('/nonexistent-proc')).toBeNull();
  });

  it('skips a kdamond thread without scheduler statistics instead of failing', () => {
    expect(
      kdamondCpuMs(
        proc([
          { pid: 77, comm: 'kdamond.0' },
          { pid: 78, comm: 'kdamond.1', schedstat: '3000000 0 1\n' },
        ]),
      ),
    ).toBe(3);
  });

  it('reads this machine’s /proc: null, or a finite count of ms', () => {
    const ms = kdamondCpuMs();
    expect(ms === null || (Number.isFinite(ms) && ms >= 0)).toBe(true);
  });
});

describe('pgbench’s latency at a fixed rate (fixedRateLatency)', () => {
  /** A pgbench `-R … -l` log line: client, transaction, latency µs, script, end (s, µs), schedule lag µs. */
  const line = (endMs: number, latencyMs: number) =>
    `0 1 ${Math.round(latencyMs * 1000)} 0 ${Math.floor(endMs / 1000)} ${Math.round((endMs % 1000) * 1000)} 0`;

  it('counts from each transaction’s start and leaves out those scheduled in the first seconds', () => {
    const lines = [
      line(1_000_000_100, 100), // started at 1,000,000,000 ms: the first, connecting
      line(1_000_001_990, 900), // started 1.09 s in: left out
      ...Array.from({ length: 98 }, (_, i) => line(1_000_003_000 + i * 10, 2)),
      line(1_000_004_000, 40),
      line(1_000_004_500, 60),
      '',
    ];
    const r = fixedRateLatency(lines, 2);
    expect(r.transactions).toBe(100);
    expect(r.p50Ms).toBe(2);
    expect(r.p99Ms).toBe(40);
  });

  it('refuses a log without transactions rather than reporting 0 ms', () => {
    expect(() => fixedRateLatency(['', 'garbage'], 2)).toThrow('pgbench logged no transaction');
    expect(() => fixedRateLatency([line(1_000_000_100, 100)], 2)).toThrow('no transaction after its first 2 s');
  });
});

describe('strings packed in one buffer (PackedStrings)', () => {
  it('gives back each string as it was, by index, and undefined past either end', () => {
    const strings = ['eyJhbGciOiJFUzI1NiJ9.a.b', '', 'Chèque n°3 — 10 €', 'x'.repeat(5000)];
    const packed = new PackedStrings(strings);
    expect(packed.length).toBe(4);
    expect(strings.map((_, i) => packed.get(i))).toEqual(strings);
    expect(packed.get(4)).toBeUndefined();
    expect(packed.get(-1)).toBeUndefined();
    expect(packed.get(1.5)).toBeUndefined();
  });

  it('holds nothing when given nothing', () => {
    const packed = new PackedStrings([]);
    expect(packed.length).toBe(0);
    expect(packed.get(0)).toBeUndefined();
  });
});

describe('a full collection on demand (collectGarbage)', () => {
  it('frees what nothing refers to any more', async () => {
    let target: object | undefined = { big: new Array(1000).fill('x') };
    const ref = new WeakRef(target);
    target = undefined;
    // A WeakRef keeps its target alive until the end of the job that made it.
    await new Promise((r) => setImmediate(r));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });
});
