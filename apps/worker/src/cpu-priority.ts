import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the worker's CPU priority (Unix niceness, 0–19) so that, on a machine it shares with the API
 * and PostgreSQL, its bursts (sealing the audit log, consuming report aggregates, garbage collection
 * on V8's helper threads) wait for the scanners' requests instead of delaying them. Only the share
 * of a contended CPU changes: an idle CPU is still the worker's (ADR 19, docs/benchmarks.md).
 *
 * Linux sets niceness per thread, and V8's helper threads exist before any JavaScript runs: each of
 * the process's threads is lowered, and threads started later inherit the main thread's value.
 * Elsewhere only the calling thread can be lowered. Returns the threads lowered.
 */
export function lowerCpuPriority(niceness: number): number {
  if (niceness <= 0) return 0;
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    threads = [0];
  }
  let lowered = 0;
  for (const thread of threads) {
    try {
      setPriority(thread, niceness);
      lowered++;
    } catch {
      // A thread that ended meanwhile, or a platform that refuses: the others still count.
    }
  }
  return lowered;
}
