/** Deterministic pseudo-random numbers (mulberry32): the same `--seed` gives the same dataset shape. */
export class SeedRandom {
  private a: number;

  constructor(seed: number) {
    this.a = seed | 0;
  }

  /** In [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) | 0;
    let t = Math.imul(this.a ^ (this.a >>> 15), 1 | this.a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
