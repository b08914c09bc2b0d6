import { DEFAULT_PAGE_SIZE, Page, toPage } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { cursorKeySql, decodeTimeCursor } from '@sillage/identity';

export interface NewestFirstQuery {
  /** Columns, as `…, x AS "id"`: the rows need an `id`. */
  select: string;
  from: string;
  /** Filters on `$1…$n`; `true` for none. */
  where: string;
  params: unknown[];
  /** The timestamptz column that orders the list, newest first (`s.created_at`), and the tie-breaker (`s.id`). */
  key: string;
  id: string;
}

/**
 * One page of a settlement list, newest first: keyset pagination on (key, id) whose cursor keeps the
 * key's microseconds (a millisecond cursor would skip rows written within the same millisecond) and
 * refuses a cursor this API did not make with 400 `INVALID_CURSOR` (never a database error).
 */
export async function newestFirstPage<R extends { id: string }>(
  m: Pick<Tx, 'query'>,
  page: { limit?: number; cursor?: string },
  q: NewestFirstQuery,
): Promise<Page<R>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeTimeCursor(page.cursor);
  const n = q.params.length;
  const rows = await m.query<(R & { cursorKey: string })[]>(
    `SELECT ${q.select}, ${cursorKeySql(q.key)} AS "cursorKey" FROM ${q.from}
      WHERE (${q.where}) AND ($${n + 1}::timestamptz IS NULL OR (${q.key}, ${q.id}) < ($${n + 1}::timestamptz, $${n + 2}::uuid))
      ORDER BY ${q.key} DESC, ${q.id} DESC LIMIT $${n + 3}`,
    [...q.params, after?.k ?? null, after?.id ?? null, limit + 1],
  );
  const { items, nextCursor } = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
  return { items: items.map(({ cursorKey: _key, ...row }) => row as unknown as R), nextCursor };
}
