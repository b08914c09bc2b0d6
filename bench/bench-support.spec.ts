import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kdamondCpuMs } from './bench-support';

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
