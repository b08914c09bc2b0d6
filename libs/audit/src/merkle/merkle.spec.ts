import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { emptyRoot, leafHash, MerkleFrontier, MerkleLevels, nodeHash, splitPoint, verifyConsistency, verifyInclusion } from './merkle';

/** The shared vectors sit beside the clone: <repo>/../shared/data/rfc6962. */
const DATA = resolve(__dirname, '../../../..', '../shared/data/rfc6962');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

const b64 = (s: string | null | undefined): Buffer => Buffer.from(s ?? '', 'base64');
const proofOf = (p: string[] | null): Buffer[] => (p ?? []).map(b64);

interface KnownAnswers {
  leafInputsHex: string[];
  nodeHashesHexByLevel: string[][];
  rootHashesHexBySize: string[] | Record<string, string>;
}

describe('RFC 6962 Merkle tree', () => {
  const known = JSON.parse(readFileSync(join(DATA, 'known-answers.json'), 'utf8')) as KnownAnswers;
  const roots = Object.values(known.rootHashesHexBySize);
  const leaves = known.leafInputsHex.map((h) => leafHash(Buffer.from(h, 'hex')));

  it('has the known root for every tree size 0–8, incrementally and from the levels', () => {
    expect(roots).toHaveLength(9);
    const frontier = MerkleFrontier.empty();
    const levels = new MerkleLevels();
    expect(frontier.root().toString('hex')).toBe(roots[0]);
    expect(emptyRoot().toString('hex')).toBe(roots[0]);
    leaves.forEach((h, i) => {
      frontier.append(h);
      levels.append(h);
      expect(frontier.root().toString('hex')).toBe(roots[i + 1]);
      expect(
        MerkleFrontier.fromBytes(i + 1, frontier.toBytes())
          .root()
          .toString('hex'),
      ).toBe(roots[i + 1]);
      expect(levels.root(i + 1).toString('hex')).toBe(roots[i + 1]);
    });
  });

  it('has the known hash of every complete subtree', () => {
    const levels = new MerkleLevels();
    leaves.forEach((h) => levels.append(h));
    known.nodeHashesHexByLevel.forEach((hashes, level) =>
      hashes.forEach((hex, i) => expect(levels.rangeHash(i * 2 ** level, (i + 1) * 2 ** level).toString('hex')).toBe(hex)),
    );
  });

  it('generates inclusion and consistency proofs that verify for every pair of sizes up to 8', () => {
    const levels = new MerkleLevels();
    leaves.forEach((h) => levels.append(h));
    for (let n = 1; n <= 8; n++) {
      const root = Buffer.from(roots[n], 'hex');
      for (let m = 0; m < n; m++) {
        expect(verifyInclusion(m, n, leaves[m], levels.inclusionProof(m, n), root)).toBe(true);
        expect(verifyInclusion(m, n, leaves[(m + 1) % 8], levels.inclusionProof(m, n), root)).toBe(false);
      }
      for (let m = 0; m <= n; m++) {
        const proof = levels.consistencyProof(m, n);
        expect(verifyConsistency(m, n, Buffer.from(roots[m], 'hex'), root, proof)).toBe(m > 0);
        if (m > 0 && m < n) expect(verifyConsistency(m, n, Buffer.from(roots[m - 1], 'hex'), root, proof)).toBe(false);
      }
    }
  });

  describe('inclusion vectors', () => {
    const files = jsonFiles(join(DATA, 'testdata/inclusion'));
    it('found the vector files', () => expect(files.length).toBeGreaterThan(40));
    it.each(files.map((f) => [f.slice(DATA.length + 1), f]))('%s', (_name, file) => {
      const v = JSON.parse(readFileSync(file, 'utf8')) as {
        leafIdx: number;
        treeSize: number;
        root: string;
        leafHash: string;
        proof: string[] | null;
        wantErr: boolean;
      };
      expect(verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), proofOf(v.proof), b64(v.root))).toBe(!v.wantErr);
    });
  });

  describe('consistency vectors', () => {
    const files = jsonFiles(join(DATA, 'testdata/consistency'));
    it('found the vector files', () => expect(files.length).toBeGreaterThan(40));
    it.each(files.map((f) => [f.slice(DATA.length + 1), f]))('%s', (_name, file) => {
      const v = JSON.parse(readFileSync(file, 'utf8')) as {
        size1: number;
        size2: number;
        root1: string;
        root2: string;
        proof: string[] | null;
        wantErr: boolean;
      };
      expect(verifyConsistency(v.size1, v.size2, b64(v.root1), b64(v.root2), proofOf(v.proof))).toBe(!v.wantErr);
    });
  });

  it('agrees with the recursive RFC definition on random trees, and every generated proof verifies (property)', () => {
    const mth = (hashes: Buffer[]): Buffer => {
      if (hashes.length === 0) return emptyRoot();
      if (hashes.length === 1) return hashes[0];
      const k = splitPoint(hashes.length);
      return nodeHash(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), (n, a, b) => {
        const hashes = Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
        const levels = new MerkleLevels();
        const frontier = MerkleFrontier.empty();
        hashes.forEach((h) => {
          levels.append(h);
          frontier.append(h);
        });
        const root = mth(hashes);
        expect(levels.root(n).equals(root)).toBe(true);
        expect(frontier.root().equals(root)).toBe(true);
        const m = a % n;
        expect(verifyInclusion(m, n, hashes[m], levels.inclusionProof(m, n), root)).toBe(true);
        const size1 = 1 + (b % n);
        const root1 = mth(hashes.slice(0, size1));
        expect(verifyConsistency(size1, n, root1, root, levels.consistencyProof(size1, n))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
