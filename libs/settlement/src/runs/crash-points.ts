import type { AppConfig } from '@sillage/config';

export type CrashPoint = NonNullable<AppConfig['settlement']['crashAt']>;

/**
 * Fault injection for the crash-safety tests: when `SETTLEMENT_CRASH_AT` names this point, the process
 * kills itself with SIGKILL — no cleanup, no rollback of anything already committed, exactly like a
 * machine losing power. Inert (one comparison) when the variable is unset, as in every deployment.
 */
export function crashPoint(config: AppConfig, point: CrashPoint): void {
  if (config.settlement.crashAt !== point) return;
  process.stderr.write(`settlement run: crash point "${point}" reached, killing the process (SETTLEMENT_CRASH_AT)\n`);
  process.kill(process.pid, 'SIGKILL');
  // The signal is delivered asynchronously: block until it lands so nothing else runs.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
