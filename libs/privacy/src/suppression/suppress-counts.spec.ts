import fc from 'fast-check';
import { suppressCounts } from './suppress-counts';

describe('suppressCounts', () => {
  it('hides a lone small count and the next smallest, so the total cannot give it away', () => {
    const out = suppressCounts({ '18-25': 25, '26-39': 5, '40-64': 14, '65-79': 0, '80+': 30 });
    expect(out).toEqual({
      counts: { '18-25': 25, '26-39': null, '40-64': null, '65-79': 0, '80+': 30 },
      total: 74,
      suppressed: [
        { category: '26-39', reason: 'primary' },
        { category: '40-64', reason: 'secondary' },
      ],
    });
  });

  it('adds nothing when two counts are already small', () => {
    expect(suppressCounts({ a: 3, b: 4, c: 50 })).toEqual({
      counts: { a: null, b: null, c: 50 },
      total: 57,
      suppressed: [
        { category: 'a', reason: 'primary' },
        { category: 'b', reason: 'primary' },
      ],
    });
  });

  it('hides the total when it is small itself (category null)', () => {
    expect(suppressCounts({ a: 3, b: 0 })).toEqual({
      counts: { a: null, b: 0 },
      total: null,
      suppressed: [
        { category: 'a', reason: 'primary' },
        { category: null, reason: 'primary' },
      ],
    });
  });

  it('publishes everything when nothing is small, zeros included', () => {
    expect(suppressCounts({ a: 0, b: 11, c: 0 })).toEqual({ counts: { a: 0, b: 11, c: 0 }, total: 11, suppressed: [] });
    expect(suppressCounts({})).toEqual({ counts: {}, total: 0, suppressed: [] });
  });

  it('breaks ties on the first category and honours another threshold', () => {
    expect(suppressCounts({ a: 20, b: 4, c: 12, d: 12 }).counts).toEqual({ a: 20, b: null, c: null, d: 12 });
    expect(suppressCounts({ a: 20, b: 4, c: 12, d: 12 }, 5).counts).toEqual({ a: 20, b: null, c: null, d: 12 });
    expect(suppressCounts({ a: 20, b: 4, c: 12, d: 12 }, 4).counts).toEqual({ a: 20, b: 4, c: 12, d: 12 });
  });

  it('keeps a category named __proto__ as a plain key', () => {
    const out = suppressCounts(JSON.parse('{"__proto__": 5, "b": 30, "c": 20}') as Record<string, number>);
    expect(Object.keys(out.counts)).toEqual(['__proto__', 'b', 'c']);
    expect(Object.getPrototypeOf(out.counts)).toBe(Object.prototype);
    expect(out.counts.c).toBeNull();
  });

  it('never lets total − published single out one category', () => {
    const counts = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 11, max: 200 })),
      { maxKeys: 10 },
    );
    fc.assert(
      fc.property(counts, fc.integer({ min: 1, max: 20 }), (input, threshold) => {
        const out = suppressCounts(input, threshold);
        const hidden = Object.keys(input).filter((k) => out.counts[k] === null);
        const trueTotal = Object.values(input).reduce((a, b) => a + b, 0);
        if (out.total !== null) {
          expect(out.total).toBe(trueTotal);
          // total − sum(published) is the sum of the hidden counts: it names none of them if there are 0 or ≥ 2.
          expect(hidden.length).not.toBe(1);
        } else {
          // A hidden total with every count shown would be their sum; with one count hidden, it is still ≥ 2 unknowns.
          expect(hidden.length).toBeGreaterThanOrEqual(1);
        }
        for (const k of Object.keys(input)) {
          const shown = out.counts[k];
          if (shown === null) expect(input[k]).toBeGreaterThanOrEqual(1);
          else expect(shown).toBe(input[k]);
          if (shown) expect(shown).toBeGreaterThanOrEqual(threshold);
          if (input[k] > 0 && input[k] < threshold) expect(shown).toBeNull();
        }
        if (trueTotal > 0 && trueTotal < threshold) expect(out.total).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});
