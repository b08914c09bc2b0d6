import { createHash } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 Merkle tree: leaf hash = SHA-256(0x00 ‖ bytes), node = SHA-256(0x01 ‖ l ‖ r),
 * the empty tree's root = SHA-256(""). Sizes and indexes are plain numbers (safe integers): the
 * bit tricks of the RFC are written with arithmetic, never with 32-bit bitwise operators.
 */
export const HASH_SIZE = 32;
const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export function leafHash(bytes: Buffer | Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(bytes).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isOdd = (x: number): boolean => x % 2 === 1;
const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;
const half = (x: number): number => Math.floor(x / 2);

/**
 * The right edge of a tree: the roots of its complete subtrees, largest first (one per set bit of
 * the size). Appending a leaf merges equal-sized subtrees, so sealing a batch costs O(batch), and the
 * whole state fits in ≤ 64 hashes, stored with each checkpoint.
 */
export class MerkleFrontier {
  private constructor(
    private size: number,
    private readonly stack: Buffer[],
  ) {}

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /** Rebuilds a frontier from its serialised hashes (as stored with a checkpoint). */
  static fromBytes(size: number, bytes: Buffer): MerkleFrontier {
    const expected = popcount(size);
    if (bytes.length !== expected * HASH_SIZE) throw new Error(`frontier of tree size ${size} must hold ${expected} hashes`);
    const stack: Buffer[] = [];
    for (let i = 0; i < expected; i++) stack.push(Buffer.from(bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)));
    return new MerkleFrontier(size, stack);
  }

  get treeSize(): number {
    return this.size;
  }

  append(hashOfLeaf: Buffer): void {
    let h = hashOfLeaf;
    let n = this.size;
    while (isOdd(n)) {
      h = nodeHash(this.stack.pop()!, h);
      n = half(n);
    }
    this.stack.push(h);
    this.size += 1;
  }

  root(): Buffer {
    if (this.stack.length === 0) return emptyRoot();
    let r = this.stack[this.stack.length - 1];
    for (let i = this.stack.length - 2; i >= 0; i--) r = nodeHash(this.stack[i], r);
    return r;
  }

  toBytes(): Buffer {
    return Buffer.concat(this.stack);
  }
}

function popcount(n: number): number {
  let c = 0;
  while (n > 0) {
    if (isOdd(n)) c++;
    n = half(n);
  }
  return c;
}

/** Grows a contiguous array of 32-byte hashes without one Buffer object per node. */
class HashArray {
  private buf = Buffer.alloc(HASH_SIZE * 1024);
  length = 0;

  push(h: Buffer): void {
    if ((this.length + 1) * HASH_SIZE > this.buf.length) {
      const next = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(next);
      this.buf = next;
    }
    h.copy(this.buf, this.length * HASH_SIZE);
    this.length += 1;
  }

  get(i: number): Buffer {
    return this.buf.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
}

/**
 * Every complete, aligned subtree of a growing tree (level k holds the roots of the subtrees of
 * 2^k leaves). Any range hash then costs O(log n) and a proof O(log² n): proofs never rehash the tree.
 */
export class MerkleLevels {
  private readonly levels: HashArray[] = [new HashArray()];

  get size(): number {
    return this.levels[0].length;
  }

  append(hashOfLeaf: Buffer): void {
    let h = hashOfLeaf;
    let level = 0;
    this.levels[0].push(h);
    let index = this.levels[0].length - 1;
    while (isOdd(index)) {
      h = nodeHash(this.levels[level].get(index - 1), h);
      level += 1;
      index = half(index);
      if (!this.levels[level]) this.levels[level] = new HashArray();
      this.levels[level].push(h);
    }
  }

  leaf(index: number): Buffer {
    return Buffer.from(this.levels[0].get(index));
  }

  /** MTH(D[start:end]). */
  rangeHash(start: number, end: number): Buffer {
    const n = end - start;
    if (n === 0) return emptyRoot();
    if (n === 1) return Buffer.from(this.levels[0].get(start));
    if (isPowerOfTwo(n) && start % n === 0) {
      const level = Math.log2(n);
      return Buffer.from(this.levels[level].get(start / n));
    }
    const k = splitPoint(n);
    return nodeHash(this.rangeHash(start, start + k), this.rangeHash(start + k, end));
  }

  root(treeSize: number): Buffer {
    return this.rangeHash(0, treeSize);
  }

  /** RFC 6962 §2.1.1 PATH(m, D[0:n]). */
  inclusionProof(index: number, treeSize: number): Buffer[] {
    if (index < 0 || index >= treeSize || treeSize > this.size) throw new RangeError('leaf index outside the tree');
    const path = (m: number, start: number, end: number): Buffer[] => {
      const n = end - start;
      if (n === 1) return [];
      const k = splitPoint(n);
      if (m < k) return [...path(m, start, start + k), this.rangeHash(start + k, end)];
      return [...path(m - k, start + k, end), this.rangeHash(start, start + k)];
    };
    return path(index, 0, treeSize);
  }

  /** RFC 6962 §2.1.2 PROOF(m, D[0:n]); empty when m = n or m = 0. */
  consistencyProof(size1: number, size2: number): Buffer[] {
    if (size1 < 0 || size1 > size2 || size2 > this.size) throw new RangeError('tree sizes outside the tree');
    if (size1 === 0 || size1 === size2) return [];
    const sub = (m: number, start: number, end: number, whole: boolean): Buffer[] => {
      const n = end - start;
      if (m === n) return whole ? [] : [this.rangeHash(start, end)];
      const k = splitPoint(n);
      if (m <= k) return [...sub(m, start, start + k, whole), this.rangeHash(start + k, end)];
      return [...sub(m - k, start + k, end, false), this.rangeHash(start, start + k)];
    };
    return sub(size1, 0, size2, true);
  }
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or undefined when the proof is malformed. */
export function rootFromInclusionProof(index: number, treeSize: number, hashOfLeaf: Buffer, proof: Buffer[]): Buffer | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return undefined;
  if (hashOfLeaf.length !== HASH_SIZE) return undefined;
  let fn = index;
  let sn = treeSize - 1;
  let r = hashOfLeaf;
  for (const p of proof) {
    if (p.length !== HASH_SIZE || sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!(isOdd(fn) || fn === 0)) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

export function verifyInclusion(index: number, treeSize: number, hashOfLeaf: Buffer, proof: Buffer[], root: Buffer): boolean {
  const computed = rootFromInclusionProof(index, treeSize, hashOfLeaf, proof);
  return computed !== undefined && computed.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show the tree of size1 (root1) is a prefix of the tree of size2 (root2)?
 * A proof from the empty tree proves nothing and is refused (as the shared vectors require).
 */
export function verifyConsistency(size1: number, size2: number, root1: Buffer, root2: Buffer, proof: Buffer[]): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 1 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE) return false;
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!(isOdd(fn) || fn === 0)) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}
