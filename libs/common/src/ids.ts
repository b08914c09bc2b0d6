import { randomUUID } from 'node:crypto';

/** The last millisecond a version 7 UUID can hold (48 bits of Unix time, year 10889). */
const MAX_MS = 2 ** 48 - 1;

/**
 * A time-ordered UUID (RFC 9562, version 7): its first 48 bits are the Unix time in milliseconds,
 * the next 74 (after the version and variant bits) random. Rows written at a high rate and kept
 * for good (redemptions, audit events) take such ids so that the B-trees keyed by them grow at
 * their right edge: a random (version 4) key lands on any leaf page, so consecutive inserts touch
 * pages all over the index, which costs cache misses and, after each checkpoint, a full-page image
 * in the WAL for every page touched the first time (ADR 21). 74 random bits keep it unguessable.
 */
export function uuidV7(at: Date | number = Date.now()): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) throw new RangeError(`a version 7 UUID cannot hold the time ${String(ms)}`);
  const time = ms.toString(16).padStart(12, '0');
  // A version 4 UUID's bits after its version nibble are random and already carry the RFC variant.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

/** The millisecond a version 7 UUID was made at, or undefined for any other UUID. */
export function uuidV7Time(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
