import { randomBytes } from 'node:crypto';
import { parisDate } from '@sillage/common';
import { bearer, createTestApp, seedOrganisation, seedUser, TestApp, testConfig, tokenFor } from '@sillage/testing';
import { createWorker, WorkerApp } from '../apps/worker/src/create-worker';
import { eventually, freePort, tempDataDir } from './queue-support';

/** An API and a worker on one private database and a private BullMQ prefix, with a data dir for files. */
export interface OrderWorld {
  t: TestApp;
  worker: WorkerApp;
  operatorId: string;
  funderId: string;
  otherFunderId: string;
  /** operator admin, operator finance, funder admin, funder viewer, other funder admin, distributor admin */
  tokens: { op: string; opFinance: string; funder: string; funderViewer: string; otherFunder: string; distributor: string };
  dataDir: string;
  close(): Promise<void>;
}

export async function createOrderWorld(env: Record<string, string> = {}): Promise<OrderWorld> {
  const data = await tempDataDir();
  const allEnv = {
    QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    DATA_DIR: data.dir,
    OUTBOX_POLL_MS: '50',
    JOB_BACKOFF_MS: '50',
    WORKER_HEALTH_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    ...env,
  };
  const t = await createTestApp(allEnv);
  const worker = await createWorker(testConfig(t.db.appUrl, allEnv));
  const operator = await seedOrganisation(t, { kinds: ['operator'] });
  const funder = await seedOrganisation(t, { kinds: ['funder'] });
  const otherFunder = await seedOrganisation(t, { kinds: ['funder'] });
  const distributor = await seedOrganisation(t, { kinds: ['distributor'] });
  return {
    t,
    worker,
    operatorId: operator.id,
    funderId: funder.id,
    otherFunderId: otherFunder.id,
    tokens: {
      op: tokenFor(t, await seedUser(t, operator, { role: 'admin' })),
      opFinance: tokenFor(t, await seedUser(t, operator, { role: 'finance' })),
      funder: tokenFor(t, await seedUser(t, funder, { role: 'admin' })),
      funderViewer: tokenFor(t, await seedUser(t, funder, { role: 'viewer' })),
      otherFunder: tokenFor(t, await seedUser(t, otherFunder, { role: 'admin' })),
      distributor: tokenFor(t, await seedUser(t, distributor, { role: 'admin' })),
    },
    dataDir: data.dir,
    async close() {
      await worker.close();
      await t.close();
      await data.remove();
    },
  };
}

/** Today in Paris plus `days` (the API's calendar dates are Paris dates). */
export function futureDate(days: number): string {
  const d = new Date(`${parisDate(new Date())}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const json = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });

/** The fields of an order the tests read (the API returns more). */
export interface OrderJson {
  id: string;
  reference: string;
  funderId: string;
  status: string;
  bookletCount: number;
  vouchersPerBooklet: number;
  voucherCount: number;
  faceValueCents: number;
  validityEndDate: string;
  amountDueCents: number | null;
  paidCents: number;
  issuance: {
    bookletCount: number;
    bookletsIssued: number;
    vouchersIssued: number;
    completedAt: string | null;
    activatedAt: string | null;
  } | null;
  [key: string]: unknown;
}

/** One request; `body` is the parsed JSON (typed by the caller) or the raw text. */
export async function api<T = Record<string, unknown>>(
  t: TestApp,
  method: 'GET' | 'POST',
  url: string,
  token: string,
  body?: object | string,
) {
  const res = await t.inject({
    method,
    url,
    headers: body === undefined ? bearer(token) : json(token),
    payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const isJson = /json/.test(String(res.headers['content-type'] ?? ''));
  return { status: res.statusCode, body: (isJson ? res.json() : res.body) as T, res };
}

/** Creates a draft order (funder admin by default) and returns its JSON. */
export async function draftOrder(w: OrderWorld, over: object = {}, token = w.tokens.funder): Promise<OrderJson> {
  const r = await api<OrderJson>(w.t, 'POST', '/v1/purchase-orders', token, {
    bookletCount: 3,
    vouchersPerBooklet: 4,
    validityEndDate: futureDate(200),
    ...over,
  });
  if (r.status !== 201) throw new Error(`order not created: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Waits until every booklet of a confirmed order is issued. */
export async function issued(w: OrderWorld, orderId: string): Promise<OrderJson> {
  return eventually(
    async () => {
      const r = await api<OrderJson>(w.t, 'GET', `/v1/purchase-orders/${orderId}`, w.tokens.op);
      return r.body.issuance?.completedAt ? r.body : undefined;
    },
    `issuance of order ${orderId}`,
    60_000,
  );
}

/** Draft → confirmed → issued → paid in full. */
export async function paidOrder(w: OrderWorld, over: object = {}): Promise<OrderJson> {
  const order = await draftOrder(w, over);
  // Today in Paris: the API's calendar dates are Paris dates (from 23:00 or 22:00 UTC, a day ahead of UTC).
  return payInFull(w, order.id, parisDate(new Date()));
}

/** Confirms a draft order (by `token`, its funder's), waits for its issuance and pays it in full on `paidOn` (a past date allowed). */
export async function payInFull(w: OrderWorld, orderId: string, paidOn: string, token = w.tokens.funder): Promise<OrderJson> {
  const confirmed = await api<OrderJson>(w.t, 'POST', `/v1/purchase-orders/${orderId}/confirm`, token);
  if (confirmed.status !== 200) throw new Error(`confirm failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  await issued(w, orderId);
  const pay = await api<{ order: OrderJson }>(w.t, 'POST', `/v1/purchase-orders/${orderId}/payments`, w.tokens.opFinance, {
    reference: `VIR-${orderId.slice(0, 8)}`,
    paidOn,
    amountCents: confirmed.body.amountDueCents,
  });
  if (pay.status !== 200) throw new Error(`payment failed: ${pay.status} ${JSON.stringify(pay.body)}`);
  return pay.body.order;
}
