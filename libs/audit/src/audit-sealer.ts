import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { AUDIT_SIGNING_KEY, AuditSigningKey } from './audit-signing-key';
import { AuditRepository, UnsealedEvent } from './audit.repository';
import { signCheckpoint } from './checkpoint';
import { leafHash, MerkleFrontier } from './merkle/merkle';

export interface SealOptions {
  /** Events per leaf batch (one checkpoint per batch). */
  batchSize?: number;
}

export interface SealResult {
  sealed: number;
  treeSize: number;
  checkpoints: number;
}

const DEFAULT_BATCH = 5_000;

/**
 * Gives committed, unsealed events dense leaf indexes and signs a checkpoint over the new tree. Each
 * batch is one transaction under an advisory lock: leaves and the checkpoint that covers them commit
 * together, so the latest checkpoint's size always equals the number of leaves. Order: events in
 * (recorded_at, id) order after the last sealed one; events that committed late (recorded before the
 * cursor, committed after it passed) simply get the next indexes. The root is computed from the
 * previous checkpoint's frontier, never by rehashing the tree.
 *
 * Late commits are found exactly, by transaction id (ADR 12). Each batch notes the horizon of a
 * snapshot taken at its start: every transaction below its `xmin` had ended, so every event they
 * wrote was visible to the batch and — when the batch did not stop at its limit — sealed by it. The
 * checkpoint records that id (`sealed_below_xid`); the next batch need only look, before the cursor,
 * at events of transactions from that id on (each event carries its writer's id, set by the
 * database). That is the events of the last pass or so, however old their `recorded_at`, instead of a
 * time window that a long transaction could outlive (it used to be 30 s, with a full sweep every
 * 5 minutes) and that grew into a scan of the whole leaf table when statistics were stale.
 */
@Injectable()
export class AuditSealer {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: AuditRepository,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
  ) {}

  async sealPending(options: SealOptions = {}): Promise<SealResult> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    let sealed = 0;
    let checkpoints = 0;
    let treeSize = 0;
    for (;;) {
      const batch = await this.sealBatch(batchSize);
      treeSize = batch.treeSize;
      sealed += batch.sealed;
      if (batch.sealed > 0) checkpoints += 1;
      if (batch.sealed < batchSize) return { sealed, treeSize, checkpoints };
    }
  }

  private sealBatch(limit: number): Promise<{ sealed: number; treeSize: number }> {
    return this.transactions.run(async (tx) => {
      await this.repository.lockSealer(tx);
      const horizon = await this.repository.xidHorizon(tx);
      const previous = await this.repository.latestCheckpoint(tx);
      const cursor = await this.repository.sealCursor(tx);
      let events: UnsealedEvent[] = [];
      if (cursor) {
        const xids = { sinceXid: previous?.sealedBelowXid ?? null, beforeXid: horizon.xmax };
        events = await this.repository.lateEvents(tx, cursor, xids, limit);
      }
      if (events.length < limit) events = events.concat(await this.repository.nextEvents(tx, cursor, limit - events.length));
      // Below the horizon everything is sealed now, unless the batch stopped at its limit.
      const sealedBelowXid = events.length < limit ? horizon.xmin : (previous?.sealedBelowXid ?? null);
      const size = previous?.treeSize ?? 0;
      if (events.length === 0) return { sealed: 0, treeSize: size };

      const frontier = previous ? MerkleFrontier.fromBytes(previous.treeSize, previous.frontier) : MerkleFrontier.empty();
      const hashes = events.map((e) => leafHash(e.canonical));
      for (const h of hashes) frontier.append(h);
      await this.repository.insertLeaves(tx, size, events, hashes);

      const storedPem = await this.repository.registerKey(tx, this.key.keyId, this.key.publicKeyPem);
      if (storedPem.trim() !== this.key.publicKeyPem.trim())
        throw new Error(`audit signing key ${this.key.keyId} is registered with another public key`);
      const root = frontier.root();
      const issuedAt = new Date();
      const signed = signCheckpoint(
        {
          treeSize: frontier.treeSize,
          root: root.toString('base64'),
          previousTreeSize: previous?.treeSize ?? null,
          issuedAt: issuedAt.toISOString(),
          keyId: this.key.keyId,
        },
        this.key.privateKey,
      );
      await this.repository.insertCheckpoint(tx, {
        treeSize: frontier.treeSize,
        root,
        previousTreeSize: previous?.treeSize ?? null,
        issuedAt,
        keyId: this.key.keyId,
        signature: Buffer.from(signed.signature, 'base64'),
        frontier: frontier.toBytes(),
        sealedBelowXid,
      });
      return { sealed: events.length, treeSize: frontier.treeSize };
    });
  }
}

/**
 * Seals every 2 s in the worker, and in the API only when there
 * is no worker (jobs in-process, no Redis): sealing thousands of events is a burst of hashing that
 * would stall the API's requests (the advisory lock keeps two sealers from interleaving anyway).
 * Off in tests, which seal explicitly.
 */
@Injectable()
export class AuditSealLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditSealLoop');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly sealer: AuditSealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private enabled = true;

  /** The API calls this when a worker seals (Redis mode): see above. */
  leaveToWorker(): void {
    this.enabled = false;
  }

  onApplicationBootstrap(): void {
    if (this.config.env === 'test' || !this.enabled) return;
    this.timer = setInterval(() => this.tick(), 2_000);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.sealer
      .sealPending()
      .catch((e: unknown) => this.logger.error(`audit sealing failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (this.running = undefined));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
