import { CommonError } from './domain-error';

/**
 * Keyset pagination: the cursor encodes the sort key of the last row returned, so a page costs
 * an index range scan whatever its depth, and inserts between pages never shift results.
 */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface KeysetCursor {
  /** Sort value of the last row (ISO timestamp or string key). */
  k: string;
  /** Row id, the tie-breaker. */
  id: string;
}

export function encodeCursor(c: KeysetCursor): string {
  return Buffer.from(JSON.stringify([c.k, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string | undefined): KeysetCursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((v) => typeof v === 'string')) {
      return { k: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new CommonError('INVALID_CURSOR', 'cursor is not a cursor returned by this API', { field: 'cursor' });
}

/** Fetch `limit + 1` rows and call this: it trims the extra row and builds the next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => KeysetCursor): Page<T> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
