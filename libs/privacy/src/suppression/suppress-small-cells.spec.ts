import fc from 'fast-check';
import { CountTable, SuppressedTable } from './count-table';
import { suppressSmallCells } from './suppress-small-cells';

/**
 * An attacker's view, independent of how suppression chooses: every line of the table with its
 * margins gives one equation "members − total = 0" over the suppressed numbers; reduce the system
 * and report the suppressed numbers it pins down, with their values.
 */
type Num = number | null;
interface Line {
  members: string[];
  total: string;
}

function publishedNumbers(out: SuppressedTable): { numbers: Map<string, Num>; lines: Line[] } {
  const numbers = new Map<string, Num>();
  const lines: Line[] = [];
  if (!out.cols) {
    out.cells.forEach((line, i) => numbers.set(`cell ${i}`, line[0]));
    numbers.set('total', out.total);
    lines.push({ members: out.rows.map((_, i) => `cell ${i}`), total: 'total' });
    return { numbers, lines };
  }
  const R = out.rows.length;
  const C = out.cols.length;
  const key = (i: number, j: number): string =>
    i === R ? (j === C ? 'total' : `colTotal ${j}`) : j === C ? `rowTotal ${i}` : `cell ${i},${j}`;
  out.cells.forEach((line, i) => line.forEach((n, j) => numbers.set(key(i, j), n)));
  out.rowTotals!.forEach((n, i) => numbers.set(key(i, C), n));
  out.colTotals!.forEach((n, j) => numbers.set(key(R, j), n));
  numbers.set('total', out.total);
  for (let i = 0; i <= R; i++) lines.push({ members: Array.from({ length: C }, (_, j) => key(i, j)), total: key(i, C) });
  for (let j = 0; j <= C; j++) lines.push({ members: Array.from({ length: R }, (_, i) => key(i, j)), total: key(R, j) });
  return { numbers, lines };
}

/** Suppressed numbers the published ones determine, by Gauss-Jordan elimination (the system is totally unimodular: exact in floats). */
function recoverable(numbers: Map<string, Num>, lines: Line[]): Map<string, number> {
  const unknowns = [...numbers.keys()].filter((k) => numbers.get(k) === null);
  const column = new Map(unknowns.map((k, c) => [k, c]));
  const rows = lines.map((line) => {
    const row = new Array<number>(unknowns.length + 1).fill(0);
    const add = (k: string, sign: number): void => {
      const n = numbers.get(k);
      if (n === null || n === undefined) row[column.get(k)!] += sign;
      else row[unknowns.length] -= sign * n;
    };
    line.members.forEach((k) => add(k, 1));
    add(line.total, -1);
    return row;
  });
  const pivotRowOf = new Map<number, number>();
  let r = 0;
  for (let c = 0; c < unknowns.length && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && Math.abs(row[c]) > 1e-9);
    if (p === -1) continue;
    [rows[r], rows[p]] = [rows[p], rows[r]];
    const pivot = rows[r][c];
    rows[r] = rows[r].map((x) => x / pivot);
    rows.forEach((row, i) => {
      if (i !== r && Math.abs(row[c]) > 1e-9) rows[i] = row.map((x, j) => x - row[c] * rows[r][j]);
    });
    pivotRowOf.set(c, r);
    r++;
  }
  const found = new Map<string, number>();
  pivotRowOf.forEach((r, c) => {
    const row = rows[r];
    if (row.every((x, j) => j === c || j === unknowns.length || Math.abs(x) < 1e-9))
      found.set(unknowns[c], Math.round(row[unknowns.length]));
  });
  return found;
}

/** The input with its margins, keyed like `publishedNumbers`. */
function trueNumbers(table: CountTable): Map<string, number> {
  const truth = new Map<string, number>();
  const sum = (ns: number[]): number => ns.reduce((a, b) => a + b, 0);
  table.cells.forEach((line, i) => line.forEach((n, j) => truth.set(table.cols ? `cell ${i},${j}` : `cell ${i}`, n)));
  truth.set('total', sum(table.cells.flat()));
  if (table.cols) {
    table.cells.forEach((line, i) => truth.set(`rowTotal ${i}`, sum([...line])));
    table.cols.forEach((_, j) => truth.set(`colTotal ${j}`, sum(table.cells.map((line) => line[j]))));
  }
  return truth;
}

function labels(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

describe('suppressSmallCells, worked by hand', () => {
  it('one dimension: the 5 is hidden, and the 14 with it so that 74 − 25 − 0 − 30 does not give it', () => {
    const out = suppressSmallCells({ rows: ['18-25', '26-39', '40-64', '65-79', '80+'], cells: [[25], [5], [14], [0], [30]] });
    expect(out.cells).toEqual([[25], [null], [null], [0], [30]]);
    expect(out.total).toBe(74);
    expect(out.rowTotals).toBeUndefined();
    expect(out.suppressed).toEqual([
      { kind: 'cell', row: '26-39', reason: 'primary' },
      { kind: 'cell', row: '40-64', reason: 'secondary' },
    ]);
  });

  it('the threshold itself is published, one below is not', () => {
    const out = suppressSmallCells({ rows: ['a', 'b', 'c'], cells: [[11], [10], [9]] });
    expect([out.cells, out.total]).toEqual([[[11], [null], [null]], 30]);
    expect(suppressSmallCells({ rows: ['a', 'b'], cells: [[11], [10]] }, { threshold: 10 }).cells).toEqual([[11], [10]]);
  });

  it('two dimensions: one small cell costs a rectangle, all margins stay published', () => {
    //            A    B    C  | total
    // 18-25     20    5   30  |  55       5 < 11: primary
    // 26-64     40   25   15  |  80       row 18-25 then has one hidden: + its smallest, 20
    // 65+       12   18   22  |  52       columns A and B then have one each: + 12 and + 18
    // total     72   48   67  | 187       row 65+ now has two: stable, and 20/5/12/18 form a cycle
    const out = suppressSmallCells({
      rows: ['18-25', '26-64', '65+'],
      cols: ['A', 'B', 'C'],
      cells: [
        [20, 5, 30],
        [40, 25, 15],
        [12, 18, 22],
      ],
    });
    expect(out.cells).toEqual([
      [null, null, 30],
      [40, 25, 15],
      [null, null, 22],
    ]);
    expect(out.rowTotals).toEqual([55, 80, 52]);
    expect(out.colTotals).toEqual([72, 48, 67]);
    expect(out.total).toBe(187);
    expect(out.suppressed).toEqual([
      { kind: 'cell', row: '18-25', col: 'A', reason: 'secondary' },
      { kind: 'cell', row: '18-25', col: 'B', reason: 'primary' },
      { kind: 'cell', row: '65+', col: 'A', reason: 'secondary' },
      { kind: 'cell', row: '65+', col: 'B', reason: 'secondary' },
    ]);
  });

  it('a line whose other members are all zero gives up its total instead, and the zeros stay published', () => {
    //          a    b    c  | total
    // r0      30    5   40  |  75    5: primary; row r0 → + 30 (smallest)
    // r1       0   12    0  |  12    column b had one → + 12; row r1 then has one and only zeros → + its total 12
    // total   30   17   40  |  87    column a had one, only a zero left → + its total 30;
    //                                the totals column and row then each had one → + 75 and + 17
    const out = suppressSmallCells({
      rows: ['r0', 'r1'],
      cols: ['a', 'b', 'c'],
      cells: [
        [30, 5, 40],
        [0, 12, 0],
      ],
    });
    expect(out.cells).toEqual([
      [null, null, 40],
      [0, null, 0],
    ]);
    expect(out.rowTotals).toEqual([null, null]);
    expect(out.colTotals).toEqual([null, null, 40]);
    expect(out.total).toBe(87);
    expect(out.suppressed.filter((e) => e.reason === 'primary')).toEqual([{ kind: 'cell', row: 'r0', col: 'b', reason: 'primary' }]);
    expect(out.suppressed).toHaveLength(7);
  });

  it('a tiny total hides every non-zero number of the table', () => {
    const out = suppressSmallCells({
      rows: ['x', 'y'],
      cols: ['a', 'b'],
      cells: [
        [2, 3],
        [0, 4],
      ],
    });
    expect(out.cells).toEqual([
      [null, null],
      [0, null],
    ]);
    expect([out.rowTotals, out.colTotals, out.total]).toEqual([[null, null], [null, null], null]);
    expect(out.suppressed.every((e) => e.reason === 'primary')).toBe(true);
  });

  describe('where "two per line" alone gives a cell away', () => {
    //            c0   c1   c2 | total
    // r0          7   56   35 |   98     7 and 9 are primary, and so is the c0 total (7).
    // r1          0   54    0 |   54     "Two per line" then hides 35, 44, 44 (c2 total), 54, 54 (r1 total), 53.
    // r2          0   44    9 |   53     Every line has 0 or ≥ 2 hidden numbers, yet:
    // total       7  154   44 |  205       c0 + c2 = 205 − 154 = 51           (total row)
    //                                      (0,2) = 98 − 56 − (0,0) = 42 − c0  (row r0, column c0 is all (0,0))
    //                                      (2,2) = c2 − (0,2) = c2 + c0 − 42 = 9.
    const table: CountTable = {
      rows: ['r0', 'r1', 'r2'],
      cols: ['c0', 'c1', 'c2'],
      cells: [
        [7, 56, 35],
        [0, 54, 0],
        [0, 44, 9],
      ],
    };
    const twoPerLineOnly: SuppressedTable = {
      rows: ['r0', 'r1', 'r2'],
      cols: ['c0', 'c1', 'c2'],
      cells: [
        [null, 56, null],
        [0, null, 0],
        [0, null, null],
      ],
      rowTotals: [98, null, null],
      colTotals: [null, 154, null],
      total: 205,
      threshold: 11,
      suppressed: [],
    };

    it('the attacker check finds the 9 in the "two per line" pattern', () => {
      const { numbers, lines } = publishedNumbers(twoPerLineOnly);
      for (const line of lines) expect([...line.members, line.total].filter((k) => numbers.get(k) === null).length).not.toBe(1);
      expect(recoverable(numbers, lines)).toEqual(new Map([['cell 2,2', 9]]));
    });

    it('suppressSmallCells also hides the 56 that closes a cycle through the 9', () => {
      const out = suppressSmallCells(table);
      expect(out.cells).toEqual([
        [null, null, null],
        [0, null, 0],
        [0, null, null],
      ]);
      expect(out.suppressed).toContainEqual({ kind: 'cell', row: 'r0', col: 'c1', reason: 'secondary' });
      const { numbers, lines } = publishedNumbers(out);
      expect(recoverable(numbers, lines)).toEqual(new Map());
    });
  });

  it('refuses malformed tables', () => {
    expect(() => suppressSmallCells({ rows: ['a', 'a'], cells: [[1], [2]] })).toThrow('distinct');
    expect(() => suppressSmallCells({ rows: ['a'], cols: ['x', 'y'], cells: [[1]] })).toThrow(RangeError);
    expect(() => suppressSmallCells({ rows: ['a', 'b'], cells: [[1]] })).toThrow(RangeError);
    expect(() => suppressSmallCells({ rows: ['a'], cells: [[-1]] })).toThrow('non-negative');
    expect(() => suppressSmallCells({ rows: ['a'], cells: [[1.5]] })).toThrow('non-negative');
    expect(() => suppressSmallCells({ rows: ['a'], cells: [[1]] }, { threshold: 0 })).toThrow('threshold');
    expect(() => suppressSmallCells({ rows: ['a'], cols: [], cells: [[]] })).toThrow(RangeError);
  });
});

describe('suppressSmallCells, properties', () => {
  const count = fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) },
    { weight: 5, arbitrary: fc.integer({ min: 11, max: 90 }) },
  );
  const table: fc.Arbitrary<CountTable> = fc
    .record({ R: fc.integer({ min: 1, max: 6 }), C: fc.integer({ min: 0, max: 6 }) })
    .chain(({ R, C }) =>
      fc
        .array(fc.array(count, { minLength: Math.max(C, 1), maxLength: Math.max(C, 1) }), { minLength: R, maxLength: R })
        .map((cells): CountTable => (C === 0 ? { rows: labels('r', R), cells } : { rows: labels('r', R), cols: labels('c', C), cells })),
    );
  const threshold = fc.oneof(fc.constant(11), fc.integer({ min: 1, max: 15 }));

  it('publishes only input numbers ≥ threshold or zero, hides only numbers ≥ 1, and says why', () => {
    fc.assert(
      fc.property(table, threshold, (input, t) => {
        const out = suppressSmallCells(input, { threshold: t });
        const truth = trueNumbers(input);
        const { numbers } = publishedNumbers(out);
        expect([...numbers.keys()].sort()).toEqual([...truth.keys()].sort());
        let primaries = 0;
        numbers.forEach((shown, key) => {
          const n = truth.get(key)!;
          if (shown === null) expect(n).toBeGreaterThanOrEqual(1);
          else expect([key, shown]).toEqual([key, n]);
          if (shown !== null && shown !== 0) expect(shown).toBeGreaterThanOrEqual(t);
          if (n > 0 && n < t) primaries++;
        });
        expect(out.suppressed).toHaveLength([...numbers.values()].filter((n) => n === null).length);
        expect(out.suppressed.filter((e) => e.reason === 'primary')).toHaveLength(primaries);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no line (margins included) with exactly one hidden number', () => {
    fc.assert(
      fc.property(table, threshold, (input, t) => {
        const { numbers, lines } = publishedNumbers(suppressSmallCells(input, { threshold: t }));
        for (const line of lines) {
          const hidden = [...line.members, line.total].filter((k) => numbers.get(k) === null).length;
          expect(hidden).not.toBe(1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('lets no hidden number be derived from the published ones, however they are combined', () => {
    fc.assert(
      fc.property(table, threshold, (input, t) => {
        const { numbers, lines } = publishedNumbers(suppressSmallCells(input, { threshold: t }));
        expect(recoverable(numbers, lines)).toEqual(new Map());
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic', () => {
    fc.assert(fc.property(table, (input) => expect(suppressSmallCells(input)).toEqual(suppressSmallCells(input))));
  });
});

describe('suppressSmallCells at the size of a département', () => {
  it('handles 600 communes × 12 categories', () => {
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cells = Array.from({ length: 600 }, () => Array.from({ length: 12 }, () => (next() < 0.3 ? 0 : Math.floor(next() * 40))));
    const started = performance.now();
    const out = suppressSmallCells({ rows: labels('commune', 600), cols: labels('category', 12), cells });
    const ms = performance.now() - started;
    const { numbers, lines } = publishedNumbers(out);
    for (const line of lines) expect([...line.members, line.total].filter((k) => numbers.get(k) === null).length).not.toBe(1);
    expect(ms).toBeLessThan(10_000);
  });
});
