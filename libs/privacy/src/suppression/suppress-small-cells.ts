import { findBridges, reachableWithout, type Edge } from './bridges';
import {
  checkCountTable,
  CountTable,
  DEFAULT_THRESHOLD,
  SuppressedEntry,
  SuppressedPosition,
  SuppressedTable,
  SuppressionReason,
} from './count-table';

/**
 * Small-cell suppression for counts of people.
 *
 * 1. Primary: every number (cell or total) with 0 < n < threshold is suppressed. Zeros are
 *    published: "nobody" identifies no one, and hiding zeros would also hide which categories are
 *    empty, which reports need; a suppressed number is always ≥ 1.
 * 2. Secondary, two per line: every line (row, column, and the margin lines: the row of column
 *    totals and the column of row totals) that has exactly one suppressed number would give it away
 *    by subtraction, so one more number of that line is suppressed: its smallest non-zero published
 *    member (least information lost), or if it has none, the line's total. Repeated until stable.
 * 3. Secondary, cycles (two dimensions only): "two per line" is not enough when suppressed numbers
 *    form two closed patterns joined by a single number (see ./bridges); each such number is put on a
 *    cycle by suppressing the smallest published non-zero number that closes one, else a rectangle
 *    through the margins. Then back to 2. until nothing changes.
 * At the end no suppressed number can be derived exactly from the published ones, even knowing that
 * counts are non-negative integers. The result is not minimal in information loss (that is an
 * integer programme); it is deterministic: ties go to the first number in reading order.
 * Not covered: bounds (a suppressed 3 beside a suppressed 12 is known to be ≤ 15), and differencing
 * between several tables built from the same people with overlapping categories.
 */

interface Line {
  members: number[];
  total: number;
}

/** The table and its margins as one flat list of numbers and the "members sum to total" lines. */
interface Layout {
  values: number[];
  lines: Line[];
  /** Two dimensions: the (R+1)×(C+1) grid, numbers at i * (C + 1) + j. */
  grid?: { rows: number; cols: number };
}

function sum(ns: readonly number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}

function oneDimension(cells: readonly (readonly number[])[]): Layout {
  const values = cells.map((line) => line[0]);
  values.push(sum(values));
  return { values, lines: [{ members: values.slice(0, -1).map((_, k) => k), total: values.length - 1 }] };
}

function twoDimensions(cells: readonly (readonly number[])[], width: number): Layout {
  const R = cells.length;
  const C = width;
  const at = (i: number, j: number): number => i * (C + 1) + j;
  const values = new Array<number>((R + 1) * (C + 1)).fill(0);
  cells.forEach((line, i) =>
    line.forEach((n, j) => {
      values[at(i, j)] = n;
      values[at(i, C)] += n;
      values[at(R, j)] += n;
      values[at(R, C)] += n;
    }),
  );
  const lines: Line[] = [];
  for (let i = 0; i <= R; i++) lines.push({ members: Array.from({ length: C }, (_, j) => at(i, j)), total: at(i, C) });
  for (let j = 0; j <= C; j++) lines.push({ members: Array.from({ length: R }, (_, i) => at(i, j)), total: at(R, j) });
  return { values, lines, grid: { rows: R, cols: C } };
}

type Reasons = (SuppressionReason | undefined)[];

/** The published non-zero number with the smallest value, the first one on ties. */
function smallestPublished(candidates: readonly number[], values: readonly number[], reasons: Reasons): number | undefined {
  let best: number | undefined;
  for (const k of candidates) {
    if (reasons[k] || values[k] === 0) continue;
    if (best === undefined || values[k] < values[best] || (values[k] === values[best] && k < best)) best = k;
  }
  return best;
}

/** One pass of "no line with exactly one suppressed number"; true if it suppressed anything. */
function twoPerLine(layout: Layout, reasons: Reasons): boolean {
  let changed = false;
  for (const line of layout.lines) {
    const suppressedCount = [...line.members, line.total].filter((k) => reasons[k]).length;
    if (suppressedCount !== 1) continue;
    // The lone suppressed number is ≥ 1, so the line's total or another member is non-zero.
    const pick = smallestPublished(line.members, layout.values, reasons) ?? line.total;
    reasons[pick] = 'secondary';
    changed = true;
  }
  return changed;
}

/** Puts the first suppressed number that lies on no cycle onto one; true if it suppressed anything. */
function closeOneBridge(layout: Layout, reasons: Reasons): boolean {
  const { rows: R, cols: C } = layout.grid as { rows: number; cols: number };
  const rowNode = (i: number): number => i;
  const colNode = (j: number): number => R + 1 + j;
  const nodeCount = R + C + 2;
  const suppressed = layout.values.map((_, k) => k).filter((k) => reasons[k]);
  const edges: Edge[] = suppressed.map((k) => [rowNode(Math.floor(k / (C + 1))), colNode(k % (C + 1))]);
  const bridges = findBridges(nodeCount, edges);
  if (bridges.length === 0) return false;

  const bridge = bridges[0];
  const [bi, bj] = [Math.floor(suppressed[bridge] / (C + 1)), suppressed[bridge] % (C + 1)];
  const sideA = reachableWithout(nodeCount, edges, bridge, rowNode(bi));
  const sideB = reachableWithout(nodeCount, edges, bridge, colNode(bj));
  // Any number joining the two sides closes a cycle through the bridge.
  const closing = layout.values
    .map((_, k) => k)
    .filter((k) => {
      const r = rowNode(Math.floor(k / (C + 1)));
      const c = colNode(k % (C + 1));
      return (sideA.has(r) && sideB.has(c)) || (sideB.has(r) && sideA.has(c));
    });
  const pick = smallestPublished(closing, layout.values, reasons);
  if (pick !== undefined) {
    reasons[pick] = 'secondary';
    return true;
  }
  // Every closing number is zero: suppress the rest of a rectangle (bi, bj), (bi, j), (i, bj), (i, j)
  // instead. One through the margins always qualifies, as a total is ≥ each of its members.
  const at = (i: number, j: number): number => i * (C + 1) + j;
  let best: { added: number[]; cost: number } | undefined;
  for (let i = 0; i <= R; i++) {
    if (i === bi) continue;
    for (let j = 0; j <= C; j++) {
      if (j === bj) continue;
      const added = [at(bi, j), at(i, bj), at(i, j)].filter((k) => !reasons[k]);
      if (added.some((k) => layout.values[k] === 0)) continue;
      const cost = sum(added.map((k) => layout.values[k]));
      if (!best || cost < best.cost || (cost === best.cost && added.length < best.added.length)) best = { added, cost };
    }
  }
  if (!best) throw new Error('unreachable: a rectangle through the margins always closes a cycle');
  for (const k of best.added) reasons[k] = 'secondary';
  return true;
}

function positionOf(table: CountTable, layout: Layout, k: number): SuppressedPosition {
  if (!layout.grid) return k === table.rows.length ? { kind: 'total' } : { kind: 'cell', row: table.rows[k] };
  const { rows: R, cols: C } = layout.grid;
  const cols = table.cols as readonly string[];
  const [i, j] = [Math.floor(k / (C + 1)), k % (C + 1)];
  if (i === R) return j === C ? { kind: 'total' } : { kind: 'colTotal', col: cols[j] };
  return j === C ? { kind: 'rowTotal', row: table.rows[i] } : { kind: 'cell', row: table.rows[i], col: cols[j] };
}

/** Suppresses small counts and whatever would let them be recomputed; see the module comment. */
export function suppressSmallCells(table: CountTable, options: { threshold?: number } = {}): SuppressedTable {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  checkCountTable(table, threshold);
  const layout = table.cols ? twoDimensions(table.cells, table.cols.length) : oneDimension(table.cells);
  const reasons: Reasons = layout.values.map((n) => (n > 0 && n < threshold ? 'primary' : undefined));
  do {
    while (twoPerLine(layout, reasons));
  } while (layout.grid && closeOneBridge(layout, reasons));

  const shown = (k: number): number | null => (reasons[k] ? null : layout.values[k]);
  const suppressed: SuppressedEntry[] = [];
  reasons.forEach((reason, k) => {
    if (reason) suppressed.push({ ...positionOf(table, layout, k), reason });
  });
  const base = { rows: [...table.rows], threshold, suppressed };
  if (!layout.grid) {
    return { ...base, cells: table.rows.map((_, r) => [shown(r)]), total: shown(table.rows.length) };
  }
  const { rows: R, cols: C } = layout.grid;
  const at = (i: number, j: number): number => i * (C + 1) + j;
  return {
    ...base,
    cols: [...(table.cols as readonly string[])],
    cells: table.rows.map((_, i) => Array.from({ length: C }, (_, j) => shown(at(i, j)))),
    rowTotals: table.rows.map((_, i) => shown(at(i, C))),
    colTotals: Array.from({ length: C }, (_, j) => shown(at(R, j))),
    total: shown(at(R, C)),
  };
}
