/**
 * SQL fragments shared by the ledger's repositories. A transfer row's effect on the posted and
 * pending sums of both its accounts depends on the row alone (see `effectOf` in ledger.types.ts).
 */
export const POSTED_SQL = `(CASE WHEN t.kind IN ('single','post_pending') THEN t.amount ELSE 0 END)`;
export const PENDING_SQL = `(CASE t.kind WHEN 'pending' THEN t.amount WHEN 'single' THEN 0 ELSE -t.pending_amount END)`;

/** Advisory-lock class of the snapshot barrier: every transfer insert holds it shared (key 0). */
export const BARRIER_LOCK_CLASS = 1279607879;
/** Advisory-lock class serialising writers that must check an account's flags. */
export const ACCOUNT_LOCK_CLASS = 1279607880;

/** Runs SQL and returns rows: a TypeORM EntityManager or a pg client adapter. */
export interface SqlRunner {
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** bigint/numeric text from PostgreSQL → a safe integer (cents), or an error: never a float. */
export function toCents(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`ledger amount ${String(value)} is not a safe integer`);
  return n;
}
