import { DEFAULT_THRESHOLD, SuppressionReason } from './count-table';
import { suppressSmallCells } from './suppress-small-cells';

/** A one-dimensional count as published. */
export interface SuppressedCounts {
  /** Same keys as the input; `null` is suppressed. */
  counts: Record<string, number | null>;
  total: number | null;
  /** `category: null` is the total. */
  suppressed: { category: string | null; reason: SuppressionReason }[];
}

/**
 * Counts per category of one fixed dimension, e.g. people per age band. Small counts are suppressed;
 * if that leaves exactly one suppressed number, the next smallest non-zero count is suppressed too
 * (or the total, if every other count is zero), so that total − published never gives it away.
 */
export function suppressCounts(counts: Readonly<Record<string, number>>, threshold: number = DEFAULT_THRESHOLD): SuppressedCounts {
  const categories = Object.keys(counts);
  const table = suppressSmallCells({ rows: categories, cells: categories.map((c) => [counts[c]]) }, { threshold });
  return {
    // fromEntries defines own properties, so even a category named "__proto__" stays a plain key.
    counts: Object.fromEntries(categories.map((c, r) => [c, table.cells[r][0]])),
    total: table.total,
    suppressed: table.suppressed.map((e) => ({ category: e.kind === 'cell' ? e.row : null, reason: e.reason })),
  };
}
