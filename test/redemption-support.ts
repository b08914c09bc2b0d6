import { randomUUID } from 'node:crypto';
import { parisDate } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { IssuanceKeys, revealHumanCode, signVoucherToken } from '@sillage/issuance';
import { Ledger } from '@sillage/ledger';
import { seedOrganisation, seedPartnership, seedUser, sql, TestApp, tokenFor } from '@sillage/testing';
import { api, createOrderWorld, OrderJson, OrderWorld, paidOrder } from './order-support';

/** A site organisation, qualified, with an admin and an agent. */
export interface TestSite {
  id: string;
  admin: string;
  agent: string;
}

/** An order world with a distributor partner and a qualified site (commune 69123, Lyon). */
export interface RedemptionWorld extends OrderWorld {
  distributorId: string;
  distributorAgent: string;
  site: TestSite;
}

export async function createRedemptionWorld(env: Record<string, string> = {}): Promise<RedemptionWorld> {
  const w = await createOrderWorld(env);
  const distributor = await seedOrganisation(w.t, { kinds: ['distributor'] });
  await seedPartnership(w.t, { id: w.funderId }, distributor);
  const distributorAgent = tokenFor(w.t, await seedUser(w.t, distributor, { role: 'agent' }));
  const site = await qualifiedSite(w.t);
  return Object.assign(w, { distributorId: distributor.id, distributorAgent, site });
}

/**
 * A site qualified by SQL, as the operator's decision would leave it: profile `qualified`, a label
 * from `validFrom` to `validUntil` (Paris dates, default: a year around today), its site_payable
 * ledger account open. `kinds` may add 'distributor' (an organisation that is both).
 */
export async function qualifiedSite(
  t: TestApp,
  o: { communeCode?: string; validFrom?: string; validUntil?: string; kinds?: ('site' | 'distributor')[]; status?: string } = {},
): Promise<TestSite> {
  const org = await seedOrganisation(t, { kinds: o.kinds ?? ['site'], communeCode: o.communeCode ?? '69123' });
  const today = parisDate(new Date());
  await sql(
    t,
    `INSERT INTO site_profile (organisation_id, service_category_codes, charter_version, charter_accepted_at, status)
     VALUES ($1, '{atelier-collectif,accompagnement-individuel}', 'v1', now(), $2)`,
    [org.id, o.status ?? 'qualified'],
  );
  await sql(
    t,
    `INSERT INTO site_qualification (site_id, decision, reason_code, label_name, label_valid_from, label_valid_until)
     VALUES ($1, 'qualified', 'charter_signed', 'Lieu labellisé', $2, $3)`,
    [org.id, o.validFrom ?? addDays(today, -365), o.validUntil ?? addDays(today, 365)],
  );
  const tx = t.app.get(TransactionRunner);
  await tx.run((m) => t.app.get(Ledger).openAccount(m, { kind: 'site_payable', ownerOrganisationId: org.id }));
  return {
    id: org.id,
    admin: tokenFor(t, await seedUser(t, org, { role: 'admin' })),
    agent: tokenFor(t, await seedUser(t, org, { role: 'agent' })),
  };
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A paid order whose booklets are all allocated to the world's distributor; `handOver` hands the first `n` over. */
export async function stockedOrder(w: RedemptionWorld, over: object = {}): Promise<{ order: OrderJson; serials: string[] }> {
  const order = await paidOrder(w, over);
  const moved = await api<{ bookletCount: number }>(w.t, 'POST', '/v1/allocations', w.tokens.funder, {
    toDistributorId: w.distributorId,
    orderId: order.id,
    count: order.bookletCount,
  });
  if (moved.status !== 201) throw new Error(`allocation failed: ${moved.status} ${JSON.stringify(moved.body)}`);
  const rows = await sql<{ serial: string }>(w.t, `SELECT serial FROM booklet WHERE order_id = $1 ORDER BY number`, [order.id]);
  return { order, serials: rows.map((r) => r.serial) };
}

/** Hands a booklet of the distributor's stock to a beneficiary. */
export async function handOver(w: RedemptionWorld, bookletSerial: string, token = w.distributorAgent): Promise<void> {
  const r = await api(w.t, 'POST', '/v1/handovers', token, { bookletSerial, profile: { ageBand: '26_44', communeCode: '69123' } });
  if (r.status !== 201) throw new Error(`hand-over failed: ${r.status} ${JSON.stringify(r.body)}`);
}

/** A voucher's printed human code and QR token, as the print file would carry them. */
export async function voucherCodes(
  t: TestApp,
  bookletSerial: string,
  idx: number,
): Promise<{ serial: string; code: string; qrToken: string }> {
  const rows = await sql<{ enc: Buffer; face: string }>(
    t,
    `SELECT v.code_encrypted AS enc, o.face_value_cents AS face FROM voucher v JOIN booklet b ON b.id = v.booklet_id
     JOIN purchase_order o ON o.id = v.order_id WHERE b.serial = $1 AND v.idx = $2`,
    [bookletSerial, idx],
  );
  if (!rows[0]) throw new Error(`no voucher ${bookletSerial} #${idx}`);
  const keys = t.app.get(IssuanceKeys);
  const serial = `${bookletSerial}-${String(idx).padStart(2, '0')}`;
  return {
    serial,
    code: revealHumanCode(keys.printKeys, rows[0].enc, serial),
    qrToken: signVoucherToken(keys.signing, { s: serial, v: Number(rows[0].face) }),
  };
}

/** POST /v1/redemptions with an Idempotency-Key (new by default). */
export async function redeem<T = Record<string, unknown>>(
  t: TestApp,
  token: string,
  body: { vouchers: { code?: string; qrToken?: string }[]; serviceCategoryCode?: string; occurredAt?: string },
  key: string = randomUUID(),
) {
  const res = await t.inject({
    method: 'POST',
    url: '/v1/redemptions',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    payload: JSON.stringify({ serviceCategoryCode: 'atelier-collectif', occurredAt: new Date().toISOString(), ...body }),
  });
  return { status: res.statusCode, body: res.json<T>(), res };
}
