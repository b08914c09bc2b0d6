import { createHash, createPublicKey, generateKeyPairSync, randomInt } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditLog } from '../libs/audit/src/audit-log';
import { AuditProofsService } from '../libs/audit/src/audit-proofs.service';
import { AuditSealer } from '../libs/audit/src/audit-sealer';
import { AuditSigningKey } from '../libs/audit/src/audit-signing-key';
import { AuditRepository } from '../libs/audit/src/audit.repository';
import { verifyAuditLog } from '../libs/audit/src/audit-verifier';
import { auditKeyId } from '../libs/audit/src/checkpoint';
import { dataSourceOptions } from '../libs/db/src/data-source-options';
import { TransactionRunner } from '../libs/db/src/transaction';
import { freshDatabase } from './bench-support';

/**
 * `npm run bench -- audit`:
 * - append_per_s: 32 concurrent writers, each appending one event through AuditLog.append in its own transaction;
 * - seal_per_s: sealing the events they wrote (seal_ratio = seal / append, target ≥ 1);
 * - verify_1m_s: the full verifier over 1,000,000 sealed events (inserted set-based, then sealed),
 *   against hash_reference_s: one process reading the same bytes the same way and computing the same
 *   number of SHA-256 hashes (verify_ratio target ≤ 3);
 * - proof_p99_ms: inclusion proofs of random events in the 1M tree (after the first proof warmed the
 *   in-memory subtree cache).
 */
const WRITERS = Number(process.env.BENCH_WRITERS ?? 32);
const APPEND_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BIG = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const PROOFS = Number(process.env.BENCH_PROOFS ?? 1_000);

const log = (m: string): void => void process.stderr.write(`[audit bench] ${m}\n`);

function benchKey(): AuditSigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: auditKeyId(publicKey),
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export async function runAuditBench(): Promise<Record<string, unknown>> {
  const db = await freshDatabase('sillage_bench_audit');
  const ds = new DataSource(dataSourceOptions(db.appUrl, { poolSize: WRITERS + 4, applicationName: 'audit-bench' }));
  await ds.initialize();
  const transactions = new TransactionRunner(ds);
  const repository = new AuditRepository();
  const sealer = new AuditSealer(transactions, repository, benchKey());
  const audit = new AuditLog();
  try {
    // 1. append throughput
    let appended = 0;
    const deadline = Date.now() + APPEND_SECONDS * 1000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        while (Date.now() < deadline) {
          await transactions.run((tx) =>
            audit.append(tx, {
              action: 'partnership.created',
              actor: { type: 'system' },
              subject: { type: 'partnership', id: `bench-${w}-${appended}` },
              facts: { funderId: 'f0000000-0000-4000-8000-000000000000', distributorId: 'd0000000-0000-4000-8000-000000000000' },
            }),
          );
          appended += 1;
        }
      }),
    );
    const appendSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const appendPerS = appended / appendSeconds;
    log(`appended ${appended} events in ${appendSeconds.toFixed(1)} s`);

    // 2. sealing what they wrote
    const sealStart = process.hrtime.bigint();
    const sealed = await sealer.sealPending();
    const sealSeconds = Number(process.hrtime.bigint() - sealStart) / 1e9;
    const sealPerS = sealed.sealed / sealSeconds;
    log(`sealed ${sealed.sealed} in ${sealSeconds.toFixed(2)} s`);

    // 3. one million events, set-based, then sealed
    const owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    const insertStart = Date.now();
    const remaining = BIG - sealed.treeSize;
    for (let from = 0; from < remaining; from += 200_000) {
      await owner.query(
        `INSERT INTO audit_event (id, recorded_at, action, actor_type, subject_type, subject_id, canonical)
         SELECT gen_random_uuid(), now() + i * interval '1 microsecond', 'partnership.created', 'system', 'partnership', 'bulk-' || i,
                convert_to('{"action":"partnership.created","actor":{"type":"system"},"facts":{"distributorId":"d0000000-0000-4000-8000-000000000000","funderId":"f0000000-0000-4000-8000-000000000000"},"i":' || i || ',"v":1}', 'UTF8')
           FROM generate_series($1::int, $2::int) AS i`,
        [from + 1, Math.min(remaining, from + 200_000)],
      );
    }
    log(`inserted ${remaining} events set-based in ${((Date.now() - insertStart) / 1000).toFixed(1)} s`);
    const bigSealStart = Date.now();
    const big = await sealer.sealPending({ batchSize: 20_000 });
    const bigSealSeconds = (Date.now() - bigSealStart) / 1000;
    log(`sealed ${big.sealed} more (tree size ${big.treeSize}) in ${bigSealSeconds.toFixed(1)} s`);

    // 4. verifier vs the same reads and hashes in one process
    const verifyStart = process.hrtime.bigint();
    const report = await verifyAuditLog(owner);
    const verifySeconds = Number(process.hrtime.bigint() - verifyStart) / 1e9;
    if (!report.ok) throw new Error(`verification failed: ${report.problems.join('; ')}`);
    log(`verified ${report.leaves} leaves, ${report.checkpoints} checkpoints in ${verifySeconds.toFixed(1)} s`);
    const refStart = process.hrtime.bigint();
    const refHashes = await hashReference(owner);
    const refSeconds = Number(process.hrtime.bigint() - refStart) / 1e9;
    log(`reference: ${refHashes} hashes in ${refSeconds.toFixed(1)} s`);
    await owner.end();

    // 5. proofs
    const proofs = new AuditProofsService(transactions, repository);
    const ids: { id: string }[] = await ds.query(`SELECT event_id AS id FROM audit_leaf WHERE leaf_index = ANY($1::bigint[])`, [
      Array.from({ length: PROOFS + 1 }, () => randomInt(big.treeSize)),
    ]);
    const viewer = { operator: true, organisationId: '00000000-0000-4000-8000-000000000000' };
    const warm = Date.now();
    await proofs.inclusionProof(viewer, ids[0].id);
    log(`first proof (loads ${big.treeSize} leaf hashes) in ${Date.now() - warm} ms`);
    const times: number[] = [];
    for (const { id } of ids.slice(1)) {
      const t0 = process.hrtime.bigint();
      await proofs.inclusionProof(viewer, id);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))];

    return {
      append_per_s: Math.round(appendPerS),
      seal_per_s: Math.round(sealPerS),
      seal_ratio: round(sealPerS / appendPerS),
      seal_1m_s: round(bigSealSeconds),
      verify_1m_s: round(verifySeconds),
      hash_reference_s: round(refSeconds),
      verify_ratio: round(verifySeconds / refSeconds),
      proof_p99_ms: round(p99),
      events: report.leaves,
      writers: WRITERS,
    };
  } finally {
    await ds.destroy();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** The same chunked read as the verifier, then one leaf hash per row and one 65-byte node hash per leaf. */
async function hashReference(db: Client): Promise<number> {
  let next = 0;
  let hashes = 0;
  let acc = Buffer.alloc(32);
  for (;;) {
    const { rows } = await db.query<{ leaf_index: string; leaf_hash: Buffer; canonical: Buffer }>(
      `SELECT l.leaf_index, l.leaf_hash, e.canonical FROM audit_leaf l LEFT JOIN audit_event e ON e.id = l.event_id
        WHERE l.leaf_index >= $1 ORDER BY l.leaf_index LIMIT 20000`,
      [next],
    );
    if (rows.length === 0) return hashes;
    for (const r of rows) {
      const leaf = createHash('sha256')
        .update(Buffer.from([0]))
        .update(r.canonical)
        .digest();
      acc = createHash('sha256')
        .update(Buffer.from([1]))
        .update(acc)
        .update(leaf)
        .digest();
      hashes += 2;
    }
    next = Number(rows[rows.length - 1].leaf_index) + 1;
  }
}
