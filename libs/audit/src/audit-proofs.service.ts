import { Injectable } from '@nestjs/common';
import { CommonError, decodeCursor, encodeCursor, Page } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { AuditError } from './audit.errors';
import { AuditRepository, CheckpointRow, EventRow } from './audit.repository';
import { AuditBundle } from './audit-verifier';
import { SignedCheckpoint } from './checkpoint';
import { MerkleLevels } from './merkle/merkle';

export interface AuditViewer {
  /** Operators see every event; anyone else only the events their own organisation's members or keys made. */
  operator: boolean;
  organisationId: string;
}

export interface AuditEventView {
  id: string;
  recordedAt: string;
  action: string;
  actorType: string;
  subjectType: string;
  subjectId: string | null;
  reason: string | null;
  /** The exact stored RFC 8785 bytes, base64: what the leaf hash covers. */
  canonical: string;
  leafIndex: number | null;
}

export interface InclusionProofView {
  eventId: string;
  canonical: string;
  leafIndex: number;
  leafHash: string;
  treeSize: number;
  proof: string[];
  checkpoint: SignedCheckpoint;
}

export interface ConsistencyProofView {
  from: SignedCheckpoint;
  to: SignedCheckpoint;
  proof: string[];
}

export function checkpointView(c: CheckpointRow): SignedCheckpoint {
  return {
    treeSize: c.treeSize,
    root: c.root.toString('base64'),
    previousTreeSize: c.previousTreeSize,
    issuedAt: c.issuedAt.toISOString(),
    keyId: c.keyId,
    signature: c.signature.toString('base64'),
  };
}

const LOAD_CHUNK = 50_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checkpoints, events and proofs. Leaves are append-only, so the process keeps every complete
 * subtree hash in memory (≈ 64 bytes per leaf) and extends it with the leaves sealed since: a proof
 * costs O(log² n) hashes, never a rehash of the tree.
 */
@Injectable()
export class AuditProofsService {
  private readonly levels = new MerkleLevels();
  private loading: Promise<void> = Promise.resolve();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: AuditRepository,
  ) {}

  async latestCheckpoint(): Promise<SignedCheckpoint> {
    const c = await this.repository.latestCheckpoint(this.transactions.manager);
    if (!c) throw new AuditError('CHECKPOINT_NOT_FOUND', 'nothing has been sealed yet');
    return checkpointView(c);
  }

  async checkpoint(treeSize: number): Promise<SignedCheckpoint> {
    return checkpointView(await this.checkpointRow(treeSize, 'treeSize'));
  }

  /** The same, read in the caller's transaction (reports read it with the figures; one connection in embedded mode). */
  async checkpointIn(tx: Tx, treeSize: number): Promise<SignedCheckpoint> {
    const c = await this.repository.checkpoint(tx, treeSize);
    if (!c) throw new AuditError('CHECKPOINT_NOT_FOUND', `no checkpoint has tree size ${treeSize}`, { field: 'treeSize' });
    return checkpointView(c);
  }

  keys(): Promise<{ keyId: string; publicKeyPem: string; activatedAt: Date }[]> {
    return this.repository.keys(this.transactions.manager);
  }

  async events(
    viewer: AuditViewer,
    q: { subjectType: string; subjectId?: string; cursor?: string; limit: number },
  ): Promise<Page<AuditEventView>> {
    const after = decodeCursor(q.cursor);
    if (after && (!TIMESTAMP.test(after.k) || !UUID.test(after.id))) {
      throw new CommonError('INVALID_CURSOR', 'cursor is not a cursor returned by this API', { field: 'cursor' });
    }
    const rows = await this.repository.eventsForSubject(this.transactions.manager, {
      subjectType: q.subjectType,
      subjectId: q.subjectId,
      organisationId: viewer.operator ? undefined : viewer.organisationId,
      after: after ? { recordedAt: after.k, id: after.id } : undefined,
      limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit);
    const last = rows.length > q.limit ? (items[items.length - 1] as EventRow & { cursorAt: string }) : undefined;
    return { items: items.map(eventView), nextCursor: last ? encodeCursor({ k: last.cursorAt, id: last.id }) : null };
  }

  async inclusionProof(viewer: AuditViewer, eventId: string, treeSize?: number): Promise<InclusionProofView> {
    const event = await this.repository.event(this.transactions.manager, eventId);
    if (!event || !visible(viewer, event)) throw new AuditError('EVENT_NOT_FOUND', 'audit event not found');
    if (event.leafIndex === null)
      throw new AuditError('EVENT_NOT_SEALED', 'the event is not sealed yet: ask again after the next checkpoint');
    const checkpoint =
      treeSize === undefined
        ? await this.repository.latestCheckpoint(this.transactions.manager)
        : await this.checkpointRow(treeSize, 'treeSize');
    if (!checkpoint) throw new AuditError('CHECKPOINT_NOT_FOUND', 'nothing has been sealed yet');
    if (event.leafIndex >= checkpoint.treeSize) {
      throw new AuditError('TREE_SIZE_INVALID', `the event was sealed after tree size ${checkpoint.treeSize}`, { field: 'treeSize' });
    }
    await this.ensureLoaded(checkpoint.treeSize);
    return {
      eventId: event.id,
      canonical: event.canonical.toString('base64'),
      leafIndex: event.leafIndex,
      leafHash: this.levels.leaf(event.leafIndex).toString('base64'),
      treeSize: checkpoint.treeSize,
      proof: this.levels.inclusionProof(event.leafIndex, checkpoint.treeSize).map((h) => h.toString('base64')),
      checkpoint: checkpointView(checkpoint),
    };
  }

  async consistencyProof(from: number, to: number): Promise<ConsistencyProofView> {
    if (from > to) throw new AuditError('TREE_SIZE_INVALID', '`from` must not exceed `to`', { field: 'from' });
    const [a, b] = [await this.checkpointRow(from, 'from'), await this.checkpointRow(to, 'to')];
    await this.ensureLoaded(b.treeSize);
    return {
      from: checkpointView(a),
      to: checkpointView(b),
      proof: this.levels.consistencyProof(a.treeSize, b.treeSize).map((h) => h.toString('base64')),
    };
  }

  /** Every sealed event about one subject the viewer may see (at most `max`), with proofs against the latest checkpoint. */
  async bundle(viewer: AuditViewer, subjectType: string, subjectId: string | undefined, max = 1_000): Promise<AuditBundle> {
    const latest = await this.repository.latestCheckpoint(this.transactions.manager);
    if (!latest) throw new AuditError('CHECKPOINT_NOT_FOUND', 'nothing has been sealed yet');
    const rows = await this.repository.eventsForSubject(this.transactions.manager, {
      subjectType,
      subjectId,
      organisationId: viewer.operator ? undefined : viewer.organisationId,
      limit: max,
    });
    const sealed = rows.filter((r) => r.leafIndex !== null && r.leafIndex < latest.treeSize).reverse();
    await this.ensureLoaded(latest.treeSize);
    const key = (await this.repository.keys(this.transactions.manager)).find((k) => k.keyId === latest.keyId);
    if (!key) throw new Error(`audit signing key ${latest.keyId} is not registered`);
    return {
      format: 'sillage.audit.bundle.v1',
      checkpoint: checkpointView(latest),
      publicKeyPem: key.publicKeyPem,
      events: sealed.map((e) => ({
        eventId: e.id,
        canonical: e.canonical.toString('base64'),
        leafIndex: e.leafIndex!,
        proof: this.levels.inclusionProof(e.leafIndex!, latest.treeSize).map((h) => h.toString('base64')),
      })),
    };
  }

  /**
   * A bundle of the given sealed events with their inclusion proofs against the checkpoint of
   * `treeSize` (the one a report is as of), for evidence files built by other modules.
   */
  async bundleAt(treeSize: number, events: { id: string; canonical: Buffer; leafIndex: number }[]): Promise<AuditBundle> {
    const checkpoint = await this.checkpointRow(treeSize, 'treeSize');
    await this.ensureLoaded(treeSize);
    const key = (await this.repository.keys(this.transactions.manager)).find((k) => k.keyId === checkpoint.keyId);
    if (!key) throw new Error(`audit signing key ${checkpoint.keyId} is not registered`);
    return {
      format: 'sillage.audit.bundle.v1',
      checkpoint: checkpointView(checkpoint),
      publicKeyPem: key.publicKeyPem,
      events: events.map((e) => {
        if (e.leafIndex >= treeSize) throw new Error(`event ${e.id} (leaf ${e.leafIndex}) is not in checkpoint ${treeSize}`);
        return {
          eventId: e.id,
          canonical: e.canonical.toString('base64'),
          leafIndex: e.leafIndex,
          proof: this.levels.inclusionProof(e.leafIndex, treeSize).map((h) => h.toString('base64')),
        };
      }),
    };
  }

  private async checkpointRow(treeSize: number, field: string): Promise<CheckpointRow> {
    const c = await this.repository.checkpoint(this.transactions.manager, treeSize);
    if (!c) throw new AuditError('CHECKPOINT_NOT_FOUND', `no checkpoint has tree size ${treeSize}`, { field });
    return c;
  }

  /** Extends the in-memory tree to `treeSize` leaves; calls are serialised. */
  private ensureLoaded(treeSize: number): Promise<void> {
    this.loading = this.loading.then(async () => {
      while (this.levels.size < treeSize) {
        const from = this.levels.size;
        const hashes = await this.repository.leafHashes(this.transactions.manager, from, Math.min(treeSize, from + LOAD_CHUNK));
        if (hashes.length === 0) throw new Error(`audit leaves ${from}.. are missing`);
        for (const h of hashes) this.levels.append(h);
      }
    });
    const current = this.loading;
    this.loading = current.catch(() => undefined);
    return current;
  }
}

function visible(viewer: AuditViewer, e: EventRow): boolean {
  return viewer.operator || e.actorOrganisationId === viewer.organisationId;
}

function eventView(e: EventRow): AuditEventView {
  return {
    id: e.id,
    recordedAt: e.recordedAt.toISOString(),
    action: e.action,
    actorType: e.actorType,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    reason: e.reasonCode,
    canonical: e.canonical.toString('base64'),
    leafIndex: e.leafIndex,
  };
}
