import { AuditSealer } from '@sillage/audit';
import { addDays, parisDate, ratio4 } from '@sillage/common';
import { REPORT_AGGREGATE_TABLES, ReportConsumer } from '@sillage/reporting';
import { SettlementExpireJob } from '@sillage/settlement';
import { seededRandom, sql } from '@sillage/testing';
import { api, createOrderWorld, draftOrder, issued, OrderWorld } from './order-support';

jest.setTimeout(120_000);

/**
 * Transparency reports (issue 8) against a direct recomputation from the BASE tables, on random
 * datasets built through the API. The reports are projections of the sealed audit log (ADR 16); the
 * SQL below never reads a `report_*` table nor the log: it follows the definitions of docs/reports.md
 * on `programme_funding_source`, `funding_grant`, `grant_amendment`, `purchase_order`, `credit_note`
 * and `policy_announcement`. Each dataset is reproducible from its seed (in the test names; dates are
 * relative to today). Then `reports:rebuild` must give the same aggregate rows and the same answers.
 */
const SEEDS = [20261128, 7_340_021, 42];

/** What a report date D needs from the base tables: per grant, then per programme (GROUP BY), then the announcements. */
const GRANTS_AS_OF = `
  WITH amount_in_force AS (          -- the last amendment dated ≤ D that changed the amount (same date: the later recorded)
    SELECT DISTINCT ON (a.grant_id) a.grant_id, a.new_amount_cents AS amount
      FROM grant_amendment a
     WHERE a.new_amount_cents IS NOT NULL AND a.amended_on <= $1::date
     ORDER BY a.grant_id, a.amended_on DESC, a.created_at DESC
  ), paid_orders AS (                -- orders of a grant paid in full ≤ D, historical ones included; face value, fees excluded
    SELECT o.id, o.grant_id, o.booklet_count::bigint * o.vouchers_per_booklet * o.face_value_cents AS face
      FROM purchase_order o
     WHERE o.grant_id IS NOT NULL AND o.paid_on <= $1::date
  ), face AS (
    SELECT grant_id, sum(face) AS face FROM paid_orders GROUP BY grant_id
  ), credited AS (                   -- their credit notes issued ≤ D
    SELECT p.grant_id, sum(c.amount_cents) AS amount
      FROM credit_note c JOIN paid_orders p ON p.id = c.order_id
     WHERE c.issued_on <= $1::date
     GROUP BY p.grant_id
  ), grants AS (
    SELECT g.id, g.programme_id, g.funder_id, g.cofinancing_rate_bp,
           coalesce(a.amount, g.amount_cents) AS attributed,
           coalesce(f.face, 0) - coalesce(c.amount, 0) AS executed
      FROM funding_grant g
      JOIN programme p ON p.id = g.programme_id
      LEFT JOIN amount_in_force a ON a.grant_id = g.id
      LEFT JOIN face f ON f.grant_id = g.id
      LEFT JOIN credited c ON c.grant_id = g.id
     WHERE p.policy_id = $2 AND g.awarded_on <= $1::date
  ), figures AS (                    -- co-financed: rounded half-up to the cent per grant (round() of a numeric ≥ 0)
    SELECT g.*, round(g.executed * g.cofinancing_rate_bp / 10000.0) AS cofinanced FROM grants g
  )`;

const GRANT_ROWS_SQL = `${GRANTS_AS_OF}
  SELECT f.id AS "grantId", f.programme_id AS "programmeId", f.funder_id AS "funderId", o.legal_name AS "funderName",
         f.cofinancing_rate_bp AS "cofinancingRateBp", f.attributed::text AS attributed, f.executed::text AS executed,
         f.cofinanced::text AS cofinanced
    FROM figures f JOIN organisation o ON o.id = f.funder_id`;

const PROGRAMME_ROWS_SQL = `${GRANTS_AS_OF}, obtained AS (
    SELECT s.programme_id, sum(s.amount_cents) AS obtained
      FROM programme_funding_source s WHERE s.obtained_on <= $1::date GROUP BY s.programme_id
  ), per_programme AS (
    SELECT programme_id, sum(attributed) AS attributed, sum(executed) AS executed, sum(cofinanced) AS cofinanced
      FROM figures GROUP BY programme_id
  )
  SELECT p.id AS "programmeId", p.name, coalesce(o.obtained, 0)::text AS obtained, coalesce(g.attributed, 0)::text AS attributed,
         coalesce(g.executed, 0)::text AS executed, coalesce(g.cofinanced, 0)::text AS cofinanced
    FROM programme p
    LEFT JOIN obtained o ON o.programme_id = p.id
    LEFT JOIN per_programme g ON g.programme_id = p.id
   WHERE p.policy_id = $2`;

const ANNOUNCEMENTS_SQL = `SELECT id AS "announcementId", label, to_char(announced_on, 'YYYY-MM-DD') AS "announcedOn",
       amount_cents::text AS amount, min_amount_cents::text AS min, max_amount_cents::text AS max
  FROM policy_announcement WHERE policy_id = $2 AND announced_on <= $1::date`;

interface Dataset {
  today: string;
  policyId: string;
  programmeIds: string[];
  /** Every business date the dataset used (announcements, funding, awards, amendments, orders, payments). */
  dates: string[];
  liveOrders: number;
  creditNotes: number;
  /** The day the expired order was paid (before today, when its credit note is issued), if one expired. */
  expiredPaidOn?: string;
}

type Totals = {
  obtainedCents: number;
  attributedCents: number;
  executedCents: number;
  cofinancedCents: number;
  retentionRate: number | null;
};
const totals = (obtained: number, attributed: number, executed: number, cofinanced: number): Totals => ({
  obtainedCents: obtained,
  attributedCents: attributed,
  executedCents: executed,
  cofinancedCents: cofinanced,
  retentionRate: ratio4(obtained - attributed, obtained),
});
const useOf = (amount: number, cofinanced: number) => ({
  amountCents: amount,
  useRate: ratio4(cofinanced, amount),
  gapCents: amount - cofinanced,
  gapShare: ratio4(amount - cofinanced, amount),
});
const byId =
  <T>(key: keyof T) =>
  (a: T, b: T) =>
    String(a[key]).localeCompare(String(b[key]));

describe.each(SEEDS)('reports: transparency recomputed from the base tables, random dataset seed %i', (seed) => {
  let w: OrderWorld;
  let ds: Dataset;
  const rnd = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const chance = (p: number) => rnd() < p;
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];

  const post = async <R = { id: string }>(url: string, body: object, token = w.tokens.op) => {
    const r = await api<R>(w.t, 'POST', url, token, body);
    if (r.status !== 201 && r.status !== 200) throw new Error(`seed ${seed}: ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  /** Builds the dataset through the API: policy, announcements, programmes, funding, grants, amendments, orders, one expiry. */
  async function build(): Promise<Dataset> {
    const T = parisDate(new Date());
    const dates: string[] = [];
    const daysAgo = (n: number) => {
      const d = addDays(T, -n);
      dates.push(d);
      return d;
    };
    const policyId = (await post('/v1/policies', { name: `Politique ${seed}` })).id;
    for (let i = 0, n = int(1, 3); i < n; i++) {
      const amount = int(1_000_000, 20_000_000);
      await post(`/v1/policies/${policyId}/announcements`, {
        label: `Annonce ${i + 1}`,
        ...(chance(0.4) ? { minAmountCents: amount, maxAmountCents: amount + int(0, 10_000_000) } : { amountCents: amount }),
        announcedOn: daysAgo(int(0, 400)),
        sourceReference: `CP-${seed}-${i}`,
      });
    }
    const funders = [
      { id: w.funderId, token: w.tokens.funder, grants: [] as { id: string; back: number }[], contractId: undefined as string | undefined },
      {
        id: w.otherFunderId,
        token: w.tokens.otherFunder,
        grants: [] as { id: string; back: number }[],
        contractId: undefined as string | undefined,
      },
    ];
    const programmeIds: string[] = [];
    for (let p = 0, n = int(1, 3); p < n; p++) {
      const max = pick([10_000, 8000, 5000, 3333, int(1, 10_000)]);
      const programmeId = (await post('/v1/programmes', { policyId, name: `AAP ${seed}-${p + 1}`, maxCofinancingRateBp: max })).id;
      programmeIds.push(programmeId);
      for (let s = 0, m = int(0, 3); s < m; s++) {
        await post(`/v1/programmes/${programmeId}/funding-sources`, {
          label: `Crédits ${s + 1}`,
          amountCents: int(1, 6_000_000),
          obtainedOn: daysAgo(int(0, 400)),
          reference: `FS-${seed}-${p}-${s}`,
        });
      }
      for (let g = 0, m = int(0, 3); g < m; g++) {
        const funder = pick(funders);
        const awardedBack = int(0, 365);
        let back = awardedBack;
        const grantId = (
          await post(`/v1/programmes/${programmeId}/grants`, {
            funderId: funder.id,
            amountCents: int(1, 4_000_000),
            cofinancingRateBp: chance(0.3) ? max : int(0, max),
            awardedOn: daysAgo(back),
            endDate: addDays(T, int(1, 400)),
          })
        ).id;
        funder.grants.push({ id: grantId, back: awardedBack });
        // Amendments at later dates, often the same date as the award or the previous one: amount, end date only, or both.
        for (let a = 0, k = int(0, 3); a < k; a++) {
          back = chance(0.35) ? back : int(0, back);
          const kind = pick(['amount', 'amount', 'end', 'both'] as const);
          await post(`/v1/grants/${grantId}/amendments`, {
            amendedOn: daysAgo(back),
            reasonCode:
              kind === 'end'
                ? 'EXTENSION'
                : kind === 'both'
                  ? 'EXTENSION_AND_BUDGET'
                  : pick(['BUDGET_INCREASE', 'BUDGET_DECREASE', 'CORRECTION']),
            ...(kind !== 'amount' ? { newEndDate: addDays(T, int(1, 500)) } : {}),
            ...(kind !== 'end' ? { newAmountCents: int(1, 4_000_000) } : {}),
          });
        }
      }
    }
    // Some orders go through a contract with an upstream fee: the fee must never count.
    for (const [i, funder] of funders.entries()) {
      if (!chance(0.6)) continue;
      funder.contractId = (
        await post('/v1/contracts', {
          funderId: funder.id,
          reference: `MAR-${seed}-${i}`,
          publishedOn: addDays(T, -800),
          notifiedOn: addDays(T, -790),
          endDate: addDays(T, 400),
          upstreamFeeRateBp: int(1, 1000),
        })
      ).id;
    }

    let liveOrders = 0;
    /** A live order: drafted on a past date, confirmed, issued, paid in one or two payments on past dates ≥ orderedOn. */
    const live = async (funder: (typeof funders)[number], over: object, orderedBack: number, paidBackMin = 0) => {
      liveOrders += 1;
      const order = await draftOrder(
        w,
        {
          bookletCount: int(1, 2),
          vouchersPerBooklet: int(1, 4),
          faceValueCents: int(1, 5000),
          validityEndDate: addDays(T, 200),
          orderedOn: daysAgo(orderedBack),
          ...over,
        },
        funder.token,
      );
      const confirmed = await api<{ amountDueCents: number }>(w.t, 'POST', `/v1/purchase-orders/${order.id}/confirm`, funder.token);
      if (confirmed.status !== 200) throw new Error(`seed ${seed}: confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
      await issued(w, order.id);
      const due = confirmed.body.amountDueCents;
      const first = due >= 2 && chance(0.3) ? int(1, due - 1) : 0;
      if (first > 0) {
        await post(
          `/v1/purchase-orders/${order.id}/payments`,
          { reference: `VIR-${order.id.slice(0, 8)}-1`, paidOn: daysAgo(int(0, orderedBack)), amountCents: first },
          w.tokens.opFinance,
        );
      }
      const paidOn = daysAgo(int(paidBackMin, orderedBack));
      await post(
        `/v1/purchase-orders/${order.id}/payments`,
        { reference: `VIR-${order.id.slice(0, 8)}-2`, paidOn, amountCents: due - first },
        w.tokens.opFinance,
      );
      return { id: order.id, paidOn };
    };

    for (const funder of funders) {
      for (let o = 0, n = int(2, 4); o < n; o++) {
        const over = {
          ...(funder.grants.length > 0 && chance(0.75) ? { grantId: pick(funder.grants).id } : {}),
          ...(funder.contractId && chance(0.5) ? { contractId: funder.contractId } : {}),
        };
        const kind = pick(['historical', 'historical', 'live', 'draft'] as const);
        if (kind === 'live' && liveOrders < 3) {
          await live(funder, over, int(0, 60));
        } else if (kind === 'draft') {
          // Never confirmed nor paid: counts nowhere.
          await draftOrder(
            w,
            {
              ...over,
              bookletCount: int(1, 5),
              vouchersPerBooklet: int(1, 4),
              faceValueCents: int(1, 5000),
              validityEndDate: addDays(T, 200),
            },
            funder.token,
          );
        } else {
          const orderedBack = int(0, 500);
          const orderedOn = daysAgo(orderedBack);
          await draftOrder(
            w,
            {
              ...over,
              historical: true,
              bookletCount: int(1, 200),
              vouchersPerBooklet: int(1, 20),
              faceValueCents: int(1, 5000),
              orderedOn,
              ...(chance(0.9) ? { paidOn: daysAgo(int(0, orderedBack)) } : {}),
              validityEndDate: addDays(orderedOn, int(0, 400)),
            },
            funder.token,
          );
        }
      }
    }

    // Optionally one live order of a grant, paid before today, expires: its credit note is issued today (as in the scenario test).
    let creditNotes = 0;
    let expiredPaidOn: string | undefined;
    if (chance(0.75)) {
      // Preferably a grant awarded 11 days ago or more, ordered and paid after its award, so that it counts when it was paid.
      const grants = funders.flatMap((f) => f.grants.map((g) => ({ funder: f, ...g })));
      const old = grants.filter((g) => g.back >= 11);
      const grant = old.length > 0 ? pick(old) : grants.length > 0 ? pick(grants) : undefined;
      const funder = grant?.funder ?? pick(funders);
      const orderedBack = int(10, Math.max(10, Math.min(60, grant?.back ?? 60)));
      const expiring = await live(funder, grant ? { grantId: grant.id } : {}, orderedBack, 1);
      const orderId = expiring.id;
      expiredPaidOn = expiring.paidOn;
      await sql(w.t, `UPDATE purchase_order SET validity_end_date = $2, tolerance_days = 0 WHERE id = $1`, [orderId, addDays(T, -9)]);
      await w.t.app.get(SettlementExpireJob).handle({ day: T });
      const notes = await api<{ items: unknown[] }>(w.t, 'GET', `/v1/credit-notes?orderId=${orderId}`, w.tokens.op);
      creditNotes = notes.body.items.length;
      if (creditNotes !== 1) throw new Error(`seed ${seed}: the expired order got ${creditNotes} credit notes`);
      dates.push(T);
    }

    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
    return { today: T, policyId, programmeIds, dates, liveOrders, creditNotes, expiredPaidOn };
  }

  /** The programme and policy reports as of D, recomputed from the base tables. */
  async function recompute(D: string) {
    const params = [D, ds.policyId];
    const grantRows = await sql<{
      grantId: string;
      programmeId: string;
      funderId: string;
      funderName: string;
      cofinancingRateBp: number;
      attributed: string;
      executed: string;
      cofinanced: string;
    }>(w.t, GRANT_ROWS_SQL, params);
    const programmeRows = await sql<{
      programmeId: string;
      name: string;
      obtained: string;
      attributed: string;
      executed: string;
      cofinanced: string;
    }>(w.t, PROGRAMME_ROWS_SQL, params);
    const announcementRows = await sql<{
      announcementId: string;
      label: string;
      announcedOn: string;
      amount: string | null;
      min: string | null;
      max: string | null;
    }>(w.t, ANNOUNCEMENTS_SQL, params);
    const [policy] = await sql<{ name: string }>(w.t, `SELECT name FROM policy WHERE id = $1`, [ds.policyId]);

    const programmes = programmeRows
      .map((p) => ({
        programmeId: p.programmeId,
        name: p.name,
        ...totals(Number(p.obtained), Number(p.attributed), Number(p.executed), Number(p.cofinanced)),
      }))
      .sort(byId('programmeId'));
    const programmeReports = programmes.map((p) => ({
      ...p,
      policyId: ds.policyId,
      asOf: D,
      grants: grantRows
        .filter((g) => g.programmeId === p.programmeId)
        .map((g) => ({
          grantId: g.grantId,
          funderId: g.funderId,
          funderName: g.funderName,
          cofinancingRateBp: g.cofinancingRateBp,
          attributedCents: Number(g.attributed),
          executedCents: Number(g.executed),
          cofinancedCents: Number(g.cofinanced),
        }))
        .sort(byId('grantId')),
    }));
    const sum = (k: 'obtainedCents' | 'attributedCents' | 'executedCents' | 'cofinancedCents') => programmes.reduce((n, p) => n + p[k], 0);
    const total = totals(sum('obtainedCents'), sum('attributedCents'), sum('executedCents'), sum('cofinancedCents'));
    const policyReport = {
      policyId: ds.policyId,
      name: policy.name,
      asOf: D,
      ...total,
      announcements: announcementRows
        .map((a) => ({
          announcementId: a.announcementId,
          label: a.label,
          announcedOn: a.announcedOn,
          ...(a.amount !== null ? { amount: useOf(Number(a.amount), total.cofinancedCents) } : {}),
          ...(a.min !== null ? { min: useOf(Number(a.min), total.cofinancedCents) } : {}),
          ...(a.max !== null ? { max: useOf(Number(a.max), total.cofinancedCents) } : {}),
        }))
        .sort(byId('announcementId')),
      againstObtained: useOf(total.obtainedCents, total.cofinancedCents),
      programmes,
    };
    return { programmeReports, policyReport };
  }

  /**
   * What the API answers as of D, without the checkpoint, lists sorted by id (their order is not a
   * figure), and without the latencies (hand-computed in reports-latencies.e2e-spec.ts).
   */
  async function answers(D: string) {
    const get = async (url: string) => {
      const r = await api<Record<string, unknown>>(w.t, 'GET', url, w.tokens.op);
      if (r.status !== 200) throw new Error(`seed ${seed}: ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      expect(r.body.checkpoint).toEqual(expect.objectContaining({ treeSize: expect.any(Number) }));
      const { checkpoint: _, latencies: __, ...rest } = r.body;
      for (const [list, key] of [
        ['grants', 'grantId'],
        ['programmes', 'programmeId'],
        ['announcements', 'announcementId'],
      ] as const) {
        if (Array.isArray(rest[list])) rest[list] = [...(rest[list] as Record<string, unknown>[])].sort(byId(key));
      }
      return rest;
    };
    const programmeReports = [];
    for (const id of [...ds.programmeIds].sort()) programmeReports.push(await get(`/v1/reports/programmes/${id}/transparency?asOf=${D}`));
    return { programmeReports, policyReport: await get(`/v1/reports/policies/${ds.policyId}/transparency?asOf=${D}`) };
  }

  /**
   * Today, a day before any event, then days of the dataset (boundaries: a thing dated D counts on D):
   * the day the expired order was paid when there is one (paid, its credit note not issued yet), and
   * most often a random day of the dataset or the day before it.
   */
  function reportDates(): string[] {
    const days = [...new Set(ds.dates)].sort();
    const out = [ds.today, addDays(days[0], -int(1, 30)), ds.expiredPaidOn ?? pick(days)];
    if (chance(0.7)) out.push(addDays(pick(days), -int(0, 1)));
    return [...new Set(out)];
  }

  beforeAll(async () => {
    w = await createOrderWorld();
    ds = await build();
  }, 120_000);
  afterAll(() => w?.close());

  it('every figure of the programme and policy reports equals the SQL recomputation, as of today, before any event and random dates', async () => {
    const dates = reportDates();
    expect(dates.length).toBeGreaterThanOrEqual(3);
    for (const D of dates) {
      const expected = await recompute(D);
      const actual = await answers(D);
      // The seed and the date are in the compared objects so that a failure names them.
      expect({ seed, asOf: D, ...actual }).toEqual({ seed, asOf: D, ...expected });
    }
    // Before any event, everything is zero and the ratios are null.
    const before = await answers(dates[1]);
    expect(before.policyReport).toMatchObject({
      obtainedCents: 0,
      attributedCents: 0,
      cofinancedCents: 0,
      retentionRate: null,
      announcements: [],
    });
  });

  it('after reports:rebuild, every aggregate table holds exactly the same rows and the reports answer the same', async () => {
    const dump = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of REPORT_AGGREGATE_TABLES) out[table] = await sql(w.t, `SELECT * FROM ${table} t ORDER BY t::text`);
      return out;
    };
    const dates = [ds.today, ...[...new Set(ds.dates)].sort().filter((_, i, all) => i === Math.floor(all.length / 2))];
    const before = [];
    for (const D of dates) before.push(await answers(D));
    const incremental = await dump();
    const [counts] = await sql<{ orders: number; grants: number; notes: number }>(
      w.t,
      `SELECT (SELECT count(*)::int FROM purchase_order) AS orders, (SELECT count(*)::int FROM funding_grant) AS grants,
              (SELECT count(*)::int FROM credit_note) AS notes`,
    );
    expect({
      seed,
      orders: incremental.report_order.length,
      grants: incremental.report_grant.length,
      notes: incremental.report_credit_note.length,
    }).toEqual({
      seed,
      ...counts,
    });
    expect(counts.notes).toBe(ds.creditNotes);

    const rebuilt = await w.t.app.get(ReportConsumer).rebuild();
    expect(rebuilt.consumed).toBe(rebuilt.treeSize);
    expect({ seed, ...(await dump()) }).toEqual({ seed, ...incremental });
    const after = [];
    for (const D of dates) after.push(await answers(D));
    expect({ seed, after }).toEqual({ seed, after: before });
  });
});
