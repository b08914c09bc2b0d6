/** Small time helpers shared by the relay and the BullMQ adapters. */

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/**
 * Bounds a promise that may never settle (BullMQ waits for Redis to come back before it answers).
 * The original promise keeps running: callers must be fine with it completing later.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message)), ms);
    timer.unref();
  });
  // A late rejection of the abandoned promise must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** BullMQ's exponential backoff: `base × 2^(attempt − 1)` after the attempt-th failure. */
export function exponentialBackoffMs(baseMs: number, attempt: number): number {
  return Math.round(baseMs * 2 ** Math.max(0, attempt - 1));
}

/** Backoff between attempts to publish while Redis is unreachable: doubles from 500 ms, capped. */
export function publishRetryDelayMs(attempt: number, capMs: number): number {
  return Math.min(capMs, exponentialBackoffMs(500, attempt));
}

/** An error as one line for `last_error` and logs: message only, bounded. */
export function errorSummary(e: unknown, max = 1000): string {
  const text = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
