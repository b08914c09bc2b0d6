import { api } from '../../api/client';

/** What a scan asks the API: the vouchers of one booklet, the service, when it took place. */
export interface ScanRequest {
  vouchers: { code?: string; qrToken?: string }[];
  serviceCategoryCode: string;
  occurredAt: string;
}

export type QueuedStatus = 'pending' | 'synced' | 'conflict' | 'refused';

/**
 * A scan captured without a connection, kept in this browser (IndexedDB) with the idempotency key
 * it was given at capture: sending it again can never redeem twice. `conflict` is an incident the
 * API recorded (lost to an earlier redemption, too old, expired); `refused` recorded nothing.
 */
export interface QueuedScan {
  idempotencyKey: string;
  request: ScanRequest;
  capturedAt: string;
  status: QueuedStatus;
  amountCents?: number;
  problem?: { code: string; detail: string };
  syncedAt?: string;
}

const STORE = 'scans';

/** One database per site organisation: a shared phone never mixes two sites' scans. */
function open(organisationId: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(`sillage-scanner-${organisationId}`, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'idempotencyKey' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB would not open'));
  });
}

async function withStore<T>(organisationId: string, mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open(organisationId);
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally {
    db.close();
  }
}

export const queueScan = (organisationId: string, scan: QueuedScan) => withStore(organisationId, 'readwrite', (s) => s.put(scan));

/** Every queued scan, oldest first. */
export async function queuedScans(organisationId: string): Promise<QueuedScan[]> {
  const all = await withStore<QueuedScan[]>(organisationId, 'readonly', (s) => s.getAll() as IDBRequest<QueuedScan[]>);
  return all.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
}

/** Forgets the scans already settled (synced, conflict or refused) once their result was seen. */
export async function clearSettled(organisationId: string): Promise<void> {
  for (const scan of await queuedScans(organisationId)) {
    if (scan.status !== 'pending') await withStore(organisationId, 'readwrite', (s) => s.delete(scan.idempotencyKey));
  }
}

const BATCH_MAX = 500;
let syncing: Promise<boolean> | undefined;

/**
 * Sends the pending scans as offline batches (500 at most each) and records each one's outcome.
 * Returns false when the connection failed (they stay pending for the next attempt). One sync at a
 * time in this tab, and tabs take turns (a Web Lock), so a scan is never in two batches at once.
 */
export function syncQueuedScans(organisationId: string): Promise<boolean> {
  syncing ??= (async () => {
    const run = async () => {
      const pending = (await queuedScans(organisationId)).filter((s) => s.status === 'pending');
      for (let i = 0; i < pending.length; i += BATCH_MAX) {
        const chunk = pending.slice(i, i + BATCH_MAX);
        const { data } = await api
          .POST('/v1/redemptions/batch', { body: { items: chunk.map((s) => ({ ...s.request, idempotencyKey: s.idempotencyKey })) } })
          .catch(() => ({ data: undefined }));
        if (!data) return false;
        const syncedAt = new Date().toISOString();
        for (const [k, result] of data.items.entries()) {
          const scan = chunk[k];
          await queueScan(organisationId, {
            ...scan,
            status: result.outcome === 'redeemed' ? 'synced' : result.outcome === 'incident' ? 'conflict' : 'refused',
            amountCents: result.redemption?.amountCents,
            problem: result.problem ? { code: result.problem.code, detail: result.problem.detail } : undefined,
            syncedAt,
          });
        }
      }
      return true;
    };
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? locks.request(`sillage-scanner-sync-${organisationId}`, run) : run();
  })().finally(() => (syncing = undefined));
  return syncing;
}
