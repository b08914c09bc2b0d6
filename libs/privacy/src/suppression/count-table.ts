/**
 * A table of counts of people over fixed dimensions. Pass every category of each dimension, empty
 * ones included (count 0): a category that disappears when empty would itself tell something, and
 * the same dimension must give the same rows in every report.
 */
export interface CountTable {
  /** Categories of the first dimension, e.g. age bands. */
  rows: readonly string[];
  /** Categories of the second dimension, e.g. communes; omitted for a one-dimensional table. */
  cols?: readonly string[];
  /** `cells[r][c]`: people in row r and column c. Without `cols`, each row holds one count: `[[12], [3], …]`. */
  cells: readonly (readonly number[])[];
}

/** Primary: the count itself is small. Secondary: suppressed so that a primary one cannot be worked out. */
export type SuppressionReason = 'primary' | 'secondary';

/** Where a suppressed number sits; labels are the table's categories. */
export type SuppressedPosition =
  { kind: 'cell'; row: string; col?: string } | { kind: 'rowTotal'; row: string } | { kind: 'colTotal'; col: string } | { kind: 'total' };

export type SuppressedEntry = SuppressedPosition & { reason: SuppressionReason };

/** The table as published: `null` is a suppressed number, every other number is the input's. */
export interface SuppressedTable {
  rows: string[];
  cols?: string[];
  cells: (number | null)[][];
  /** Row margins, for two-dimensional tables only (with one dimension a row's total is its cell). */
  rowTotals?: (number | null)[];
  /** Column margins, for two-dimensional tables only (with one dimension the column total is `total`). */
  colTotals?: (number | null)[];
  /** The grand total. */
  total: number | null;
  threshold: number;
  /** Every suppressed number, in reading order (cells row by row with their row total, then column totals, then the total). */
  suppressed: SuppressedEntry[];
}

export const DEFAULT_THRESHOLD = 11;

function checkLabels(labels: readonly string[], what: string): void {
  if (new Set(labels).size !== labels.length) throw new RangeError(`${what} labels are distinct`);
}

/** Throws a RangeError naming the first problem: shape, labels, counts or threshold. */
export function checkCountTable(table: CountTable, threshold: number): void {
  if (!Number.isSafeInteger(threshold) || threshold < 1) throw new RangeError('the threshold is a positive integer');
  checkLabels(table.rows, 'row');
  if (table.cols) checkLabels(table.cols, 'column');
  const width = table.cols ? table.cols.length : 1;
  if (table.cols && width === 0) throw new RangeError('a two-dimensional table has at least one column');
  if (table.cells.length !== table.rows.length) throw new RangeError(`cells has one line per row (${table.rows.length})`);
  table.cells.forEach((line, r) => {
    if (line.length !== width) throw new RangeError(`row "${table.rows[r]}" has ${width} count(s)`);
    for (const n of line) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`row "${table.rows[r]}" holds ${n}: counts are non-negative integers`);
    }
  });
}
