import { Client } from 'pg';
import type { Party } from '../libs/settlement/src/sepa';

/**
 * Set-based seed of a settlement benchmark: what a run reads, shaped as the redemption code writes it.
 * Sites, qualified, with a verified bank account and their `site_payable` account (as qualification opens it), one funder with a contract,
 * paid orders with their `order_outstanding` account funded, and `redeemed` redemptions of one voucher
 * each, each with its pending ledger transfer (id = redemption id, order outstanding → site payable),
 * spread over `sites` sites, the orders, four service categories and 60 service days, all recorded
 * more than 24 h before the cutoff. Half the orders fall under the contract, whose pricing rule changes
 * half-way (rate 95 % with a 1.5 % commission, then a fixed 9 € per voucher), so lines split by rule and
 * the run writes commission and restitution transfers; the other orders take the default rule.
 * Booklets, vouchers and redemption lines are not seeded: no statement of the run reads them.
 */
export const BENCH_ORDERS = 12;
const FACE_VALUES = [500, 800, 1000, 1500, 2000, 2500];
const CATEGORIES = ['atelier-collectif', 'accompagnement-individuel', 'aide-demarches', 'initiation-materiel'];

export interface SettlementSeed {
  funderId: string;
  contractId: string;
}

export async function seedSettlement(db: Client, o: { redeemed: number; sites: number; cutoff: Date }): Promise<SettlementSeed> {
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  const [funder] = (
    await q(
      `INSERT INTO organisation (kinds, funder_type, legal_name, siren, address_line, postcode, commune_code)
       VALUES ('{funder}', 'collectivity', 'Bench funder', '100000009', '1 place de la Mairie', '35000', '35238') RETURNING id`,
    )
  ).rows as { id: string }[];
  const [contract] = (
    await q(
      `INSERT INTO funding_contract (funder_id, reference, published_on, notified_on, end_date, upstream_fee_rate_bp)
       VALUES ($1, 'BENCH-CONTRACT', '2026-01-01', '2026-01-02', '2030-12-31', 0) RETURNING id`,
      [funder.id],
    )
  ).rows as { id: string }[];
  const cutoffDay = `($1::timestamptz AT TIME ZONE 'Europe/Paris')::date`;
  await q(
    `INSERT INTO pricing_rule (id, contract_id, contract_key, version, rate_bp, fixed_amount_cents, commission_bp, valid_from, valid_until, description)
     VALUES (gen_random_uuid(), $2, $2, 1, 9500, NULL, 150, '2000-01-01', NULL, 'Bench: 95 %, commission 1.5 %'),
            (gen_random_uuid(), $2, $2, 2, NULL, 900, 0, ${cutoffDay} - 30, NULL, 'Bench: 9 € per voucher')`,
    [o.cutoff, contract.id],
  );

  // Sites (organisations of kind site) and their site_payable accounts.
  await q(`CREATE TEMP TABLE bench_site AS
    SELECT k, gen_random_uuid() AS id FROM generate_series(0, ${o.sites - 1}) k`);
  await q(`INSERT INTO organisation (id, kinds, legal_name, siren, address_line, postcode, commune_code)
    SELECT id, '{site}', 'Bench site ' || k, lpad((200000000 + k)::text, 9, '0'), k || ' rue des Lilas', '29200', '29019' FROM bench_site`);
  await q(`INSERT INTO ledger_account (id, code, kind, owner_organisation_id, currency, debits_must_not_exceed_credits)
    SELECT gen_random_uuid(), 401, 'site_payable', id, 'EUR', true FROM bench_site`);
  // Qualified, with a verified bank account (four eyes: requested and decided by two users), so the run pays every site.
  await q(`INSERT INTO site_profile (organisation_id, service_category_codes, charter_version, charter_accepted_at, status)
    SELECT id, '{${CATEGORIES.join(',')}}', 'v1', now() - interval '200 days', 'qualified' FROM bench_site`);
  await q(
    `INSERT INTO site_bank_account (site_id, iban, bic, holder_name, status, requested_by, decided_by, decided_at, valid_from)
     SELECT s.id, i.iban, 'BNPAFRPPXXX', 'Bench site ' || s.k, 'verified', gen_random_uuid(), gen_random_uuid(), now() - interval '199 days',
            now() - interval '199 days'
       FROM bench_site s JOIN unnest($1::text[]) WITH ORDINALITY AS i(iban, n) ON i.n = s.k + 1`,
    [Array.from({ length: o.sites }, (_, k) => benchIban(k + 1))],
  );

  // Paid orders, each funded: funder received → funder available → order outstanding.
  const perOrder = Math.ceil(o.redeemed / BENCH_ORDERS);
  const booklets = Math.ceil((perOrder * 1.25) / 10);
  await q(
    `CREATE TEMP TABLE bench_order AS
     SELECT k, gen_random_uuid() AS id, (ARRAY[${FACE_VALUES.join(',')}])[1 + k % ${FACE_VALUES.length}]::bigint AS face,
            CASE WHEN k % 2 = 0 THEN $1::uuid END AS contract_id
       FROM generate_series(0, ${BENCH_ORDERS - 1}) k`,
    [contract.id],
  );
  await q(
    `INSERT INTO purchase_order (id, reference, funder_id, contract_id, status, booklet_count, vouchers_per_booklet, face_value_cents,
                                 validity_end_date, ordered_on, amount_due_cents, paid_cents, paid_on, confirmed_at)
     SELECT id, 'BENCH-' || k, $1, contract_id, 'paid', ${booklets}, 10, face, current_date + 365, current_date - 120,
            ${booklets * 10} * face, ${booklets * 10} * face, current_date - 110, now() - interval '110 days'
       FROM bench_order`,
    [funder.id],
  );
  await q(
    `INSERT INTO ledger_account (id, code, kind, owner_organisation_id, order_id, currency, debits_must_not_exceed_credits, credits_must_not_exceed_debits)
     VALUES (gen_random_uuid(), 101, 'funder_received', $1, NULL, 'EUR', false, true), (gen_random_uuid(), 201, 'funder_available', $1, NULL, 'EUR', true, false)`,
    [funder.id],
  );
  await q(`INSERT INTO ledger_account (id, code, kind, order_id, currency, debits_must_not_exceed_credits)
    SELECT gen_random_uuid(), 301, 'order_outstanding', id, 'EUR', true FROM bench_order`);
  await q(
    `WITH acc AS (SELECT (SELECT id FROM ledger_account WHERE kind = 'funder_received' AND owner_organisation_id = $1) AS received,
                         (SELECT id FROM ledger_account WHERE kind = 'funder_available' AND owner_organisation_id = $1) AS available)
     INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
     SELECT gen_random_uuid(), 'single', acc.received, acc.available, ${booklets * 10} * o.face, 'EUR', now() - interval '110 days', 'order', o.id::text
       FROM bench_order o, acc
     UNION ALL
     SELECT gen_random_uuid(), 'single', acc.available, a.id, ${booklets * 10} * o.face, 'EUR', now() - interval '109 days', 'order', o.id::text
       FROM bench_order o JOIN ledger_account a ON a.kind = 'order_outstanding' AND a.order_id = o.id, acc`,
    [funder.id],
  );

  // The redemptions, in arrival order (sites interleaved), each with its pending transfer. The site follows
  // i mod sites (7919 is prime to it), the order i / sites: every site sees every order, category and rule.
  const minutes = 60 * 24 * 60;
  await q(
    `INSERT INTO redemption (id, site_id, idempotency_key, request_hash, booklet_id, order_id, service_category_code, occurred_at, recorded_at,
                             voucher_count, amount_cents, channel)
     SELECT gen_random_uuid(), s.id, 'bench-' || i, decode(md5(i::text), 'hex'), md5('booklet:' || o.k || ':' || (i / ${BENCH_ORDERS * 10}))::uuid,
            o.id, (ARRAY['${CATEGORIES.join("','")}'])[1 + (i / 7) % ${CATEGORIES.length}],
            x.occurred, x.occurred + make_interval(mins => (i % 120)::int), 1, o.face, CASE WHEN i % 20 = 0 THEN 'batch' ELSE 'online' END
       FROM generate_series(0, ${o.redeemed - 1}) i
       JOIN bench_site s ON s.k = (i::bigint * 7919) % ${o.sites}
       JOIN bench_order o ON o.k = (i / ${o.sites}) % ${BENCH_ORDERS}
      CROSS JOIN LATERAL (SELECT $1::timestamptz - interval '26 hours' - make_interval(mins => (${minutes} - 1 - (i::bigint * ${minutes}) / ${o.redeemed})::int) AS occurred) x`,
    [o.cutoff],
  );
  await q(`INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
    SELECT r.id, 'single', oa.id, sa.id, r.amount_cents, 'EUR', r.occurred_at, 'redemption', r.id::text
      FROM redemption r
      JOIN ledger_account oa ON oa.kind = 'order_outstanding' AND oa.order_id = r.order_id
      JOIN ledger_account sa ON sa.kind = 'site_payable' AND sa.owner_organisation_id = r.site_id AND sa.order_id IS NULL
     ORDER BY r.recorded_at`);
  return { funderId: funder.id, contractId: contract.id };
}

/** A valid French IBAN per site (RIB key and IBAN check digits computed), so the SEPA file takes it. */
export function benchIban(n: number): string {
  const bank = '30006';
  const branch = '00001';
  const account = String(n).padStart(11, '0');
  const rib = 97n - ((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n);
  const bban = `${bank}${branch}${account}${String(rib).padStart(2, '0')}`;
  // FR → 15 27, check digits 00 while computing them.
  const check = 98n - (BigInt(`${bban}152700`) % 97n);
  return `FR${String(check).padStart(2, '0')}${bban}`;
}

export function benchSiteParty(n: number, name: string): Party {
  return {
    name,
    iban: benchIban(n),
    bic: n % 2 === 0 ? 'BNPAFRPPXXX' : undefined,
    address: { streetName: 'Rue des Lilas', buildingNumber: String(n), postCode: '29200', townName: 'Brest', country: 'FR' },
  };
}
