/** Helpers shared by the settlement end-to-end tests: redemptions moved into the past, runs driven to completion, verified bank accounts. */
import { randomUUID } from 'node:crypto';
import { sql, TestApp } from '@sillage/testing';
import { api } from './order-support';
import { redeem, RedemptionWorld, voucherCodes } from './redemption-support';

export interface Run {
  id: string;
  cutoff: string;
  status: string;
  statements: number;
  amountCents: number;
}

/** Redeems vouchers `idxs` of a booklet at a site, then moves the redemption `hoursAgo` into the past (recorded and occurred). */
export async function redeemedAgo(
  w: RedemptionWorld,
  site: { agent: string },
  serial: string,
  idxs: number[],
  hoursAgo: number,
  category = 'atelier-collectif',
): Promise<string> {
  const codes = await Promise.all(idxs.map((i) => voucherCodes(w.t, serial, i)));
  const r = await redeem<{ id: string }>(w.t, site.agent, {
    vouchers: codes.map((c) => ({ qrToken: c.qrToken })),
    serviceCategoryCode: category,
  });
  if (r.status !== 201) throw new Error(`redemption refused: ${r.status} ${JSON.stringify(r.body)}`);
  await sql(
    w.t,
    `UPDATE redemption SET recorded_at = now() - make_interval(hours => $2), occurred_at = now() - make_interval(hours => $2) WHERE id = $1`,
    [r.body.id, hoursAgo],
  );
  return r.body.id;
}

/** Starts (or resumes) the run for `cutoff` and polls until it completes. */
export async function runUntilDone(w: RedemptionWorld, cutoff: string, token = w.tokens.opFinance): Promise<{ status: number; run: Run }> {
  const started = await api<Run>(w.t, 'POST', '/v1/settlement-runs', token, { cutoff });
  if (started.status !== 201 && started.status !== 200) throw new Error(`run refused: ${started.status} ${JSON.stringify(started.body)}`);
  for (let i = 0; i < 400; i++) {
    const r = await api<Run>(w.t, 'GET', `/v1/settlement-runs/${started.body.id}`, w.tokens.opFinance);
    if (r.body.status === 'completed') return { status: started.status, run: r.body };
    await new Promise((res) => setTimeout(res, 50));
  }
  const jobs = await sql(w.t, `SELECT published_at, failed_at, attempts, last_error FROM outbox_message WHERE job_name = 'settlement.run'`);
  throw new Error(`the run did not complete: ${JSON.stringify(jobs)}`);
}

/** A verified, current bank account for the site, as the four-eyes verification leaves it. */
export async function verifiedBankAccount(
  t: TestApp,
  siteId: string,
  iban = 'FR7630006000011234567890189',
  bic = 'AGRIFRPPXXX',
): Promise<string> {
  const [row] = await sql<{ id: string }>(
    t,
    `INSERT INTO site_bank_account (site_id, iban, bic, holder_name, status, requested_by, decided_by, decided_at, valid_from)
     VALUES ($1, $2, $3, $4, 'verified', $5, $6, now(), now()) RETURNING id`,
    [siteId, iban, bic, `Espace numérique ${siteId.slice(0, 8)}`, randomUUID(), randomUUID()],
  );
  return row.id;
}

/** `ledger:check` through the API: every check passes. */
export async function expectLedgerOk(w: RedemptionWorld): Promise<void> {
  const check = await api<{ ok: boolean; checks: { name: string; ok: boolean; problems: string[] }[] }>(
    w.t,
    'GET',
    '/v1/ledger/check',
    w.tokens.op,
  );
  expect(check.status).toBe(200);
  expect(check.body.checks.filter((c) => !c.ok)).toEqual([]);
  expect(check.body.ok).toBe(true);
}
