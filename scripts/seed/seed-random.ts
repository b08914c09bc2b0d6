import { seededRandom } from '../../libs/testing/src/seeded-random';

/** Deterministic pseudo-random numbers (the tests' mulberry32): the same `--seed` gives the same dataset shape. */
export class SeedRandom {
  /** In [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** In [0, 1), most values small (people use a booklet soon after they get it, then less and less). */
  skewed(): number {
    return this.next() ** 2.5;
  }

  /** An index drawn with the given weights. */
  weighted(weights: readonly number[]): number {
    let r = this.next() * weights.reduce((s, w) => s + w, 0);
    for (const [i, w] of weights.entries()) {
      r -= w;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}
