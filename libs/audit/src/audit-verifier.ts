import { createPublicKey, KeyObject } from 'node:crypto';
import { SignedCheckpoint, verifyCheckpointSignature } from './checkpoint';
import { leafHash, MerkleFrontier, verifyInclusion } from './merkle/merkle';

/** What the verifier needs from a database connection (a `pg` Client or Pool). */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface VerifyReport {
  ok: boolean;
  leaves: number;
  checkpoints: number;
  unsealedEvents: number;
  /** The first leaf index found wrong (or the first index of the first checkpoint range whose root differs). */
  firstBadLeafIndex: number | null;
  problems: string[];
}

const CHUNK = 20_000;

/**
 * Recomputes the whole audit tree from the stored canonical bytes, in leaf order, and checks every
 * checkpoint: its root, its link to the previous checkpoint and its signature. Trusts nothing the
 * sealer stored (leaf hashes, frontiers) except as values to compare. `trustedKeys` (PEM by key id)
 * pins the signing keys; without it the keys registered in the database are used.
 */
export async function verifyAuditLog(
  db: Queryable,
  options: { trustedKeys?: Map<string, string>; maxProblems?: number } = {},
): Promise<VerifyReport> {
  const maxProblems = options.maxProblems ?? 20;
  const problems: string[] = [];
  let firstBad: number | null = null;
  const bad = (index: number | null, message: string): void => {
    if (firstBad === null && index !== null) firstBad = index;
    if (problems.length < maxProblems) problems.push(message);
  };

  const keys = new Map<string, KeyObject>();
  const keySource =
    options.trustedKeys ??
    new Map(
      (await db.query<{ key_id: string; pem: string }>('SELECT key_id, public_key_pem AS pem FROM audit_signing_key')).rows.map((r) => [
        r.key_id,
        r.pem,
      ]),
    );
  for (const [id, pem] of keySource) keys.set(id, createPublicKey(pem));

  const checkpoints = (
    await db.query<{
      tree_size: string;
      root: Buffer;
      previous_tree_size: string | null;
      issued_at: Date;
      key_id: string;
      signature: Buffer;
    }>('SELECT tree_size, root, previous_tree_size, issued_at, key_id, signature FROM audit_checkpoint ORDER BY tree_size')
  ).rows;

  const frontier = MerkleFrontier.empty();
  let nextCheckpoint = 0;
  let previousSize: number | null = null;
  let rangeStart = 0;
  let expected = 0;

  const checkAt = (size: number): void => {
    while (nextCheckpoint < checkpoints.length && Number(checkpoints[nextCheckpoint].tree_size) === size) {
      const c = checkpoints[nextCheckpoint++];
      const signed: SignedCheckpoint = {
        treeSize: size,
        root: c.root.toString('base64'),
        previousTreeSize: c.previous_tree_size === null ? null : Number(c.previous_tree_size),
        issuedAt: c.issued_at.toISOString(),
        keyId: c.key_id,
        signature: c.signature.toString('base64'),
      };
      if (!frontier.root().equals(c.root))
        bad(rangeStart, `checkpoint ${size}: root differs from the tree rebuilt from leaves ${rangeStart}..${size - 1}`);
      if (signed.previousTreeSize !== previousSize)
        bad(null, `checkpoint ${size}: previous tree size ${signed.previousTreeSize} but the previous checkpoint is ${previousSize}`);
      const key = keys.get(c.key_id);
      if (!key) bad(null, `checkpoint ${size}: signed with unknown key ${c.key_id}`);
      else if (!verifyCheckpointSignature(signed, key)) bad(null, `checkpoint ${size}: signature does not verify with key ${c.key_id}`);
      previousSize = size;
      rangeStart = size;
    }
  };

  checkAt(0);
  for (;;) {
    const rows = (
      await db.query<{ leaf_index: string; leaf_hash: Buffer; canonical: Buffer | null }>(
        `SELECT l.leaf_index, l.leaf_hash, e.canonical FROM audit_leaf l LEFT JOIN audit_event e ON e.id = l.event_id
          WHERE l.leaf_index >= $1 ORDER BY l.leaf_index LIMIT $2`,
        [expected, CHUNK],
      )
    ).rows;
    if (rows.length === 0) break;
    for (const r of rows) {
      const index = Number(r.leaf_index);
      if (index !== expected) {
        bad(expected, `leaf ${expected} is missing (next stored leaf is ${index})`);
        return finish();
      }
      if (r.canonical === null) {
        bad(index, `leaf ${index}: its event is missing`);
        frontier.append(r.leaf_hash);
      } else {
        const h = leafHash(r.canonical);
        if (!h.equals(r.leaf_hash)) bad(index, `leaf ${index}: the event's canonical bytes do not hash to the stored leaf hash`);
        frontier.append(h);
      }
      expected += 1;
      checkAt(expected);
    }
  }
  return finish();

  async function finish(): Promise<VerifyReport> {
    if (nextCheckpoint < checkpoints.length) {
      bad(expected, `checkpoint ${checkpoints[nextCheckpoint].tree_size} covers leaves that are not stored (only ${expected} leaves)`);
    }
    const unsealed = Number(
      (
        await db.query<{ n: string }>(
          'SELECT count(*) AS n FROM audit_event e WHERE NOT EXISTS (SELECT 1 FROM audit_leaf l WHERE l.event_id = e.id)',
        )
      ).rows[0].n,
    );
    return {
      ok: problems.length === 0,
      leaves: expected,
      checkpoints: checkpoints.length,
      unsealedEvents: unsealed,
      firstBadLeafIndex: firstBad,
      problems,
    };
  }
}

/** A self-contained proof file: events, their inclusion proofs against one checkpoint, and the key that signed it. */
export interface AuditBundle {
  format: 'sillage.audit.bundle.v1';
  checkpoint: SignedCheckpoint;
  publicKeyPem: string;
  events: { eventId: string; canonical: string; leafIndex: number; proof: string[] }[];
}

/** Verifies a bundle with no database: signature (against `trustedKeyPem` when given), then every inclusion proof. */
export function verifyAuditBundle(bundle: AuditBundle, trustedKeyPem?: string): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  if (bundle?.format !== 'sillage.audit.bundle.v1') return { ok: false, problems: ['not a sillage.audit.bundle.v1 file'] };
  const pem = trustedKeyPem ?? bundle.publicKeyPem;
  if (
    trustedKeyPem &&
    createPublicKey(trustedKeyPem).export({ type: 'spki', format: 'pem' }) !==
      createPublicKey(bundle.publicKeyPem).export({ type: 'spki', format: 'pem' })
  ) {
    problems.push('the bundle names another public key than the trusted one');
  }
  if (!verifyCheckpointSignature(bundle.checkpoint, pem))
    problems.push(`checkpoint ${bundle.checkpoint.treeSize}: signature does not verify`);
  const root = Buffer.from(bundle.checkpoint.root, 'base64');
  for (const e of bundle.events) {
    const canonical = Buffer.from(e.canonical, 'base64');
    let id: unknown;
    try {
      id = (JSON.parse(canonical.toString('utf8')) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    if (id !== e.eventId) problems.push(`event ${e.eventId}: its canonical bytes name another event`);
    const proof = e.proof.map((p) => Buffer.from(p, 'base64'));
    if (!verifyInclusion(e.leafIndex, bundle.checkpoint.treeSize, leafHash(canonical), proof, root)) {
      problems.push(`event ${e.eventId} (leaf ${e.leafIndex}): inclusion proof does not lead to the checkpoint root`);
    }
  }
  return { ok: problems.length === 0, problems };
}
