import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { kdamondCpuMs } from './bench-support';

const commOf = (pid: string): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8');
  } catch {
    return ''; // ended meanwhile
  }
};
const kdamondRuns = (): boolean =>
  existsSync('/proc') && readdirSync('/proc').some((pid) => /^\d+$/.test(pid) && commOf(pid).startsWith('kdamond'));

describe('the kernel memory monitor’s CPU time (kdamondCpuMs)', () => {
  it('is a count of milliseconds that only grows when the machine runs kdamond, and null otherwise', () => {
    const first = kdamondCpuMs();
    const second = kdamondCpuMs();
    if (!kdamondRuns()) {
      expect(first).toBeNull();
      return;
    }
    expect(Number.isFinite(first)).toBe(true);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThanOrEqual(first as number);
  });
});
