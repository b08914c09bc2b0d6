import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { EntityManager } from 'typeorm';

/** Serialises sealers: two never interleave leaf indexes. */
const SEAL_LOCK = 7_251_003_001;

export interface CheckpointRow {
  treeSize: number;
  root: Buffer;
  previousTreeSize: number | null;
  issuedAt: Date;
  keyId: string;
  signature: Buffer;
  frontier: Buffer;
  /** See AuditCheckpointEntity.sealedBelowXid (a 64-bit transaction id, as text). */
  sealedBelowXid: string | null;
}

export interface UnsealedEvent {
  id: string;
  recordedAt: string;
  canonical: Buffer;
}

export interface EventRow {
  id: string;
  recordedAt: Date;
  action: string;
  actorType: string;
  actorOrganisationId: string | null;
  subjectType: string;
  subjectId: string | null;
  reasonCode: string | null;
  canonical: Buffer;
  leafIndex: number | null;
}

interface RawCheckpoint {
  tree_size: string;
  root: Buffer;
  previous_tree_size: string | null;
  issued_at: Date;
  key_id: string;
  signature: Buffer;
  frontier: Buffer;
  sealed_below_xid: string | null;
}

const CHECKPOINT_COLUMNS = 'tree_size, root, previous_tree_size, issued_at, key_id, signature, frontier, sealed_below_xid';

function toCheckpoint(r: RawCheckpoint): CheckpointRow {
  return {
    treeSize: Number(r.tree_size),
    root: r.root,
    previousTreeSize: r.previous_tree_size === null ? null : Number(r.previous_tree_size),
    issuedAt: r.issued_at,
    keyId: r.key_id,
    signature: r.signature,
    frontier: r.frontier,
    sealedBelowXid: r.sealed_below_xid,
  };
}

const EVENT_COLUMNS = `e.id, e.recorded_at AS "recordedAt", e.action, e.actor_type AS "actorType",
  e.actor_organisation_id AS "actorOrganisationId", e.subject_type AS "subjectType", e.subject_id AS "subjectId",
  e.reason_code AS "reasonCode", e.canonical, l.leaf_index AS "leafIndex"`;

function toEvent(r: EventRow & { leafIndex: string | number | null }): EventRow {
  return { ...r, leafIndex: r.leafIndex === null ? null : Number(r.leafIndex) };
}

/** The only code touching the audit tables. */
@Injectable()
export class AuditRepository {
  async lockSealer(tx: Tx): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
  }

  async latestCheckpoint(m: EntityManager): Promise<CheckpointRow | undefined> {
    const rows: RawCheckpoint[] = await m.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1`);
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  async checkpoint(m: EntityManager, treeSize: number): Promise<CheckpointRow | undefined> {
    const rows: RawCheckpoint[] = await m.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint WHERE tree_size = $1`, [treeSize]);
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  async insertCheckpoint(tx: Tx, c: CheckpointRow): Promise<void> {
    await tx.query(`INSERT INTO audit_checkpoint (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      c.treeSize,
      c.root,
      c.previousTreeSize,
      c.issuedAt,
      c.keyId,
      c.signature,
      c.frontier,
      c.sealedBelowXid,
    ]);
  }

  /** Registers the signing key once; returns the PEM stored under that id (which must match). */
  async registerKey(tx: Tx, keyId: string, publicKeyPem: string): Promise<string> {
    await tx.query('INSERT INTO audit_signing_key (key_id, public_key_pem) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING', [
      keyId,
      publicKeyPem,
    ]);
    const rows: { pem: string }[] = await tx.query('SELECT public_key_pem AS pem FROM audit_signing_key WHERE key_id = $1', [keyId]);
    return rows[0].pem;
  }

  async keys(m: EntityManager): Promise<{ keyId: string; publicKeyPem: string; activatedAt: Date }[]> {
    return m.query(
      'SELECT key_id AS "keyId", public_key_pem AS "publicKeyPem", activated_at AS "activatedAt" FROM audit_signing_key ORDER BY activated_at, key_id',
    );
  }

  /** The last sealed event in (recorded_at, id) order, as exact database text (microseconds kept). */
  async sealCursor(tx: Tx): Promise<{ recordedAt: string; eventId: string } | undefined> {
    const rows: { recordedAt: string; eventId: string }[] = await tx.query(
      'SELECT recorded_at::text AS "recordedAt", event_id AS "eventId" FROM audit_leaf ORDER BY recorded_at DESC, event_id DESC LIMIT 1',
    );
    return rows[0];
  }

  /**
   * The transaction-id horizon of a snapshot taken now: every transaction below `xmin` has ended
   * (committed or aborted), and every event visible from now on was written below `xmax` or later.
   */
  async xidHorizon(tx: Tx): Promise<{ xmin: string; xmax: string }> {
    const rows: { xmin: string; xmax: string }[] = await tx.query(
      `SELECT pg_snapshot_xmin(s)::text AS xmin, pg_snapshot_xmax(s)::text AS xmax FROM pg_current_snapshot() s`,
    );
    return rows[0];
  }

  /**
   * Unsealed events recorded at or before the cursor: their transaction committed after the pass
   * that moved the cursor past them. With `sinceXid` (the previous checkpoint's `sealed_below_xid`)
   * only the events of transactions from that id up to `beforeXid` are candidates — the events of the
   * last few seconds, found through `audit_event_xid_idx` by a two-sided range the planner estimates
   * small even without statistics. Without it (the first pass after the column was added) every
   * event before the cursor is checked, once.
   */
  async lateEvents(
    tx: Tx,
    cursor: { recordedAt: string; eventId: string },
    xids: { sinceXid: string | null; beforeXid: string },
    limit: number,
  ): Promise<UnsealedEvent[]> {
    const bySince = xids.sinceXid !== null;
    return tx.query(
      `SELECT e.id, e.recorded_at::text AS "recordedAt", e.canonical FROM audit_event e
        WHERE (e.recorded_at, e.id) <= ($1::timestamptz, $2::uuid)
          ${bySince ? 'AND e.xid >= $4::bigint AND e.xid < $5::bigint' : ''}
          AND NOT EXISTS (SELECT 1 FROM audit_leaf l WHERE l.event_id = e.id)
        ORDER BY e.recorded_at, e.id LIMIT $3`,
      bySince ? [cursor.recordedAt, cursor.eventId, limit, xids.sinceXid, xids.beforeXid] : [cursor.recordedAt, cursor.eventId, limit],
    );
  }

  /** Committed events after the cursor (none of which can be sealed), in order. The redundant `recorded_at >=` lets the recorded_at index bound the scan. */
  async nextEvents(tx: Tx, cursor: { recordedAt: string; eventId: string } | undefined, limit: number): Promise<UnsealedEvent[]> {
    if (!cursor) {
      return tx.query(
        `SELECT e.id, e.recorded_at::text AS "recordedAt", e.canonical FROM audit_event e ORDER BY e.recorded_at, e.id LIMIT $1`,
        [limit],
      );
    }
    return tx.query(
      `SELECT e.id, e.recorded_at::text AS "recordedAt", e.canonical FROM audit_event e
        WHERE e.recorded_at >= $1::timestamptz AND (e.recorded_at, e.id) > ($1::timestamptz, $2::uuid)
        ORDER BY e.recorded_at, e.id LIMIT $3`,
      [cursor.recordedAt, cursor.eventId, limit],
    );
  }

  async insertLeaves(tx: Tx, firstIndex: number, events: UnsealedEvent[], hashes: Buffer[]): Promise<void> {
    await tx.query(
      `INSERT INTO audit_leaf (leaf_index, event_id, recorded_at, leaf_hash)
       SELECT $1::bigint + n - 1, id, recorded_at, leaf_hash
         FROM unnest($2::uuid[], $3::timestamptz[], $4::bytea[]) WITH ORDINALITY AS t(id, recorded_at, leaf_hash, n)`,
      [firstIndex, events.map((e) => e.id), events.map((e) => e.recordedAt), hashes],
    );
  }

  async leafHashes(m: EntityManager, from: number, to: number): Promise<Buffer[]> {
    const rows: { h: Buffer }[] = await m.query(
      'SELECT leaf_hash AS h FROM audit_leaf WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index',
      [from, to],
    );
    return rows.map((r) => r.h);
  }

  async event(m: EntityManager, id: string): Promise<EventRow | undefined> {
    const rows: EventRow[] = await m.query(
      `SELECT ${EVENT_COLUMNS} FROM audit_event e LEFT JOIN audit_leaf l ON l.event_id = e.id WHERE e.id = $1`,
      [id],
    );
    return rows[0] ? toEvent(rows[0]) : undefined;
  }

  /** Events about one subject, newest first, keyset-paginated; `organisationId` limits to events its members or keys made. */
  async eventsForSubject(
    m: EntityManager,
    q: { subjectType: string; subjectId?: string; organisationId?: string; after?: { recordedAt: string; id: string }; limit: number },
  ): Promise<EventRow[]> {
    const params: unknown[] = [q.subjectType];
    const where = ['e.subject_type = $1'];
    if (q.subjectId !== undefined) {
      params.push(q.subjectId);
      where.push(`e.subject_id = $${params.length}`);
    }
    if (q.organisationId !== undefined) {
      params.push(q.organisationId);
      where.push(`e.actor_organisation_id = $${params.length}`);
    }
    if (q.after) {
      params.push(q.after.recordedAt, q.after.id);
      where.push(`(e.recorded_at, e.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit);
    const rows: EventRow[] = await m.query(
      `SELECT ${EVENT_COLUMNS}, e.recorded_at::text AS "cursorAt" FROM audit_event e LEFT JOIN audit_leaf l ON l.event_id = e.id
        WHERE ${where.join(' AND ')} ORDER BY e.recorded_at DESC, e.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEvent);
  }
}
