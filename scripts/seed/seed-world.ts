import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { Pool } from 'pg';
import { benchIban } from '../../bench/settlement-seed';
import { ContractsService } from '../../libs/funding/src/contracts/contracts.service';
import { GrantsService } from '../../libs/funding/src/grants/grants.service';
import { OrdersService } from '../../libs/funding/src/orders/orders.service';
import { PoliciesService } from '../../libs/funding/src/policies/policies.service';
import { ProgrammesService } from '../../libs/funding/src/programmes/programmes.service';
import { PartnershipsService } from '../../libs/identity/src/partnerships/partnerships.service';
import type { OrganisationKind, Principal } from '../../libs/identity/src/access/principal';
import { addDays, daysBetween, SeedPlan } from './seed-plan';
import { SeedRandom } from './seed-random';
import { SERVICE_CATEGORIES } from './seed-history';

/**
 * The structure of a seed dataset, through the real services wherever they accept the business
 * dates of the past (policies, programmes, grants, contracts, orders ordered and paid months ago;
 * the issuance job issues the booklets and vouchers). Organisations, sites and their bank details
 * are inserted directly, as the benchmarks do: thousands of sites would take the qualification
 * workflow's four-eyes steps each.
 */

export interface SeedFunder {
  id: string;
  department: string;
  distributorIds: string[];
  siteIds: string[];
  /** Set once its grant and contract exist. */
  grantId?: string;
  contractId?: string;
  contractNotifiedOn?: string;
}

export interface SeedOrder {
  id: string;
  funderId: string;
  distributorIds: string[];
  siteIds: string[];
  paidOn: string;
  faceValueCents: number;
  vouchersPerBooklet: number;
  /** Its validity ends before today: history stops before, and the expiry run closes it. */
  expires: boolean;
}

export interface SeedWorld {
  operatorId: string;
  funders: SeedFunder[];
  orders: SeedOrder[];
  policyIds: string[];
}

/** The seeded policy published at `/v1/public/policies/pass-numerique-demo/transparency`. */
export const DEMO_POLICY_SLUG = 'pass-numerique-demo';
const FACE_VALUES = [500, 800, 1000, 1000, 1500, 2000];

/** Real communes (INSEE codes) of `departments` departments, the most populated ones' neighbours first. */
function communesByDepartment(departments: number, random: SeedRandom): Map<string, string[]> {
  const path = require.resolve('@etalab/decoupage-administratif/data/communes.json');
  const records = JSON.parse(readFileSync(path, 'utf8')) as { code: string; type: string; departement?: string }[];
  const byDepartment = new Map<string, string[]>();
  for (const r of records) {
    if (r.type !== 'commune-actuelle' || !r.departement || r.departement.startsWith('97')) continue;
    byDepartment.set(r.departement, [...(byDepartment.get(r.departement) ?? []), r.code]);
  }
  const chosen = [...byDepartment.keys()]
    .sort()
    .filter((_, i) => i % 3 === 0)
    .slice(0, departments);
  return new Map(chosen.map((d) => [d, pick(byDepartment.get(d)!, 60, random)]));
}

function pick<T>(items: T[], n: number, random: SeedRandom): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

export class WorldSeeder {
  constructor(
    private readonly app: INestApplicationContext,
    private readonly pool: Pool,
    private readonly plan: SeedPlan,
    private readonly random: SeedRandom,
    private readonly progress: (message: string) => void,
  ) {}

  private principal(organisationId: string, kinds: OrganisationKind[], role: Principal['role'] = 'admin'): Principal {
    return { type: 'user', id: randomUUID(), organisationId, organisationKinds: kinds, role };
  }

  async build(): Promise<SeedWorld> {
    const operatorId = await this.operator();
    const operator = this.principal(operatorId, ['operator']);
    await this.pool.query(
      `INSERT INTO service_category (code, label_fr, label_en) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [SERVICE_CATEGORIES.map((c) => c[0]), SERVICE_CATEGORIES.map((c) => c[1]), SERVICE_CATEGORIES.map((c) => c[2])],
    );
    const communes = communesByDepartment(this.plan.departments, this.random);
    const departments = [...communes.keys()];
    const funders = await this.organisations(operator, departments, communes);
    const policyIds = await this.funding(operator, funders);
    const orders = await this.orders(operator, funders);
    return { operatorId, funders, orders, policyIds };
  }

  private async operator(): Promise<string> {
    const found = await this.pool.query<{ id: string }>(
      `SELECT id FROM organisation WHERE 'operator' = ANY(kinds) ORDER BY created_at LIMIT 1`,
    );
    if (found.rows[0]) return found.rows[0].id;
    const made = await this.pool.query<{ id: string }>(
      `INSERT INTO organisation (kinds, legal_name, siren, address_line, postcode, commune_code)
       VALUES ('{operator}', 'Opérateur Sillage (démo)', '732829320', '20 avenue de Ségur', '75007', '75107') RETURNING id`,
    );
    return made.rows[0].id;
  }

  /** Funders (one department each, round robin), two distributors per funder, sites spread over the departments' communes. */
  private async organisations(operator: Principal, departments: string[], communes: Map<string, string[]>): Promise<SeedFunder[]> {
    const orgs: { id: string; kind: OrganisationKind; name: string; commune: string; funderType: string | null }[] = [];
    const funders: SeedFunder[] = [];
    const funderTypes = ['collectivity', 'collectivity', 'public_operator', 'company', 'state'];
    for (let f = 0; f < this.plan.funders; f++) {
      const department = departments[f % departments.length];
      const commune = communes.get(department)![0];
      const funder: SeedFunder = { id: randomUUID(), department, distributorIds: [], siteIds: [] };
      orgs.push({ id: funder.id, kind: 'funder', name: `Financeur ${f + 1} (${department})`, commune, funderType: funderTypes[f % 5] });
      for (let d = 0; d < 2; d++) {
        const id = randomUUID();
        funder.distributorIds.push(id);
        orgs.push({
          id,
          kind: 'distributor',
          name: `${d === 0 ? 'CCAS' : 'Maison France services'} ${f + 1}`,
          commune: pick(communes.get(department)!, 1, this.random)[0],
          funderType: null,
        });
      }
      funders.push(funder);
    }
    const sitesByDepartment = new Map<string, string[]>(departments.map((d) => [d, []]));
    const sites: { id: string; n: number }[] = [];
    for (let s = 0; s < this.plan.sites; s++) {
      const department = departments[s % departments.length];
      const id = randomUUID();
      sitesByDepartment.get(department)!.push(id);
      sites.push({ id, n: s + 1 });
      orgs.push({
        id,
        kind: 'site',
        name: `Lieu de médiation numérique ${s + 1}`,
        commune: pick(communes.get(department)!, 1, this.random)[0],
        funderType: null,
      });
    }
    for (const f of funders) f.siteIds = sitesByDepartment.get(f.department)!;
    await this.pool.query(
      `INSERT INTO organisation (id, kinds, funder_type, legal_name, siren, address_line, postcode, commune_code)
       SELECT id, ARRAY[kind], funder_type, name, lpad((300000000 + n)::text, 9, '0'), n || ' rue de la République',
              CASE WHEN commune LIKE '2A%' THEN '20000' WHEN commune LIKE '2B%' THEN '20200' ELSE left(commune, 2) || '000' END, commune
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS o(id, kind, funder_type, name, commune, n)`,
      [orgs.map((o) => o.id), orgs.map((o) => o.kind), orgs.map((o) => o.funderType), orgs.map((o) => o.name), orgs.map((o) => o.commune)],
    );
    const siteIds = sites.map((s) => s.id);
    const codes = `{${SERVICE_CATEGORIES.map((c) => c[0]).join(',')}}`;
    await this.pool.query(
      `INSERT INTO site_profile (organisation_id, service_category_codes, charter_version, charter_accepted_at, status)
       SELECT id, $2, 'v1', now() - interval '800 days', 'qualified' FROM unnest($1::uuid[]) id`,
      [siteIds, codes],
    );
    await this.pool.query(
      `INSERT INTO site_qualification (site_id, decision, reason_code, label_name, label_valid_from, label_valid_until, decided_at)
       SELECT id, 'qualified', 'charter_signed', 'Lieu labellisé Sillage', current_date - 800, current_date + 400, now() - interval '800 days'
         FROM unnest($1::uuid[]) id`,
      [siteIds],
    );
    await this.pool.query(
      `INSERT INTO ledger_account (id, code, kind, owner_organisation_id, currency, debits_must_not_exceed_credits)
       SELECT gen_random_uuid(), 401, 'site_payable', id, 'EUR', true FROM unnest($1::uuid[]) id`,
      [siteIds],
    );
    await this.pool.query(
      `INSERT INTO site_bank_account (site_id, iban, bic, holder_name, status, requested_by, decided_by, decided_at, valid_from)
       SELECT s.id, s.iban, 'BNPAFRPPXXX', 'Lieu de médiation numérique ' || s.n, 'verified', gen_random_uuid(), gen_random_uuid(),
              now() - interval '700 days', now() - interval '700 days'
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS s(id, iban, n)`,
      [siteIds, sites.map((s) => benchIban(s.n))],
    );
    const partnerships = this.app.get(PartnershipsService);
    for (const f of funders) for (const d of f.distributorIds) await partnerships.create(operator, { funderId: f.id, distributorId: d });
    this.progress(
      `${funders.length} funders, ${funders.length * 2} distributors, ${sites.length} sites in ${departments.length} departments`,
    );
    return funders;
  }

  /** Policies with announcements, programmes with funding sources, one grant and one contract per funder. */
  private async funding(operator: Principal, funders: SeedFunder[]): Promise<string[]> {
    const policies = this.app.get(PoliciesService);
    const programmes = this.app.get(ProgrammesService);
    const grants = this.app.get(GrantsService);
    const contracts = this.app.get(ContractsService);
    const start = addDays(this.plan.today, -this.plan.historyDays);
    const policyIds: string[] = [];
    const programmeIds: string[] = [];
    for (let p = 0; p < this.plan.policies; p++) {
      const announcedOn = addDays(start, -60 + p * 90);
      const policy = await policies.create(operator, {
        name: p === 0 ? 'Pass numérique — inclusion numérique' : `Politique d’inclusion numérique ${p + 1}`,
        description: 'Jeu de données de démonstration (seed)',
      });
      policyIds.push(policy.id);
      // The first policy is public, so its transparency page shows figures without logging in.
      if (p === 0) await policies.setPublished(operator, policy.id, DEMO_POLICY_SLUG);
      const budget = this.plan.faceValueCents * 1.2;
      await policies.addAnnouncement(operator, policy.id, {
        label: 'Annonce ministérielle',
        amountCents: Math.round(budget / this.plan.policies / 100) * 100,
        announcedOn,
        sourceReference: 'Communiqué de presse',
      });
      await policies.addAnnouncement(operator, policy.id, {
        label: 'Plan de relance (fourchette)',
        minAmountCents: Math.round(budget / this.plan.policies / 200) * 100,
        maxAmountCents: Math.round(budget / this.plan.policies / 80) * 100,
        announcedOn: addDays(announcedOn, 45),
        sourceReference: 'Dossier de presse',
      });
      for (let g = 0; g < this.plan.programmesPerPolicy; g++) {
        const launchedOn = addDays(announcedOn, 30 + g * 20);
        const programme = await programmes.create(operator, {
          policyId: policy.id,
          name: `Appel à projets ${p + 1}.${g + 1}`,
          maxCofinancingRateBp: 8000,
          announcedOn,
          launchedOn,
          laureatesPublishedOn: addDays(launchedOn, 60),
        });
        programmeIds.push(programme.id);
        await programmes.addFundingSource(operator, programme.id, {
          label: 'Crédits d’État',
          amountCents: Math.round(budget / (this.plan.policies * this.plan.programmesPerPolicy) / 100) * 100,
          obtainedOn: launchedOn,
          reference: `LFI-${p + 1}-${g + 1}`,
        });
      }
    }
    for (const [i, f] of funders.entries()) {
      const programmeId = programmeIds[i % programmeIds.length];
      const awardedOn = addDays(start, 80 + this.random.int(60));
      const amount = Math.round(this.plan.faceValueCents / funders.length / 100) * 100 + 100_000;
      const grant = await grants.create(operator, programmeId, {
        funderId: f.id,
        amountCents: amount,
        cofinancingRateBp: [5000, 6000, 7000, 8000, 7500][i % 5],
        awardedOn,
        endDate: addDays(this.plan.today, 700),
      });
      if (i % 4 === 1) {
        await grants.amend(operator, grant.id, {
          amendedOn: addDays(awardedOn, 120),
          reasonCode: 'BUDGET_INCREASE',
          newAmountCents: Math.round(amount * 1.15),
        });
      }
      const publishedOn = addDays(awardedOn, 10 + this.random.int(20));
      const contract = await contracts.create(operator, {
        funderId: f.id,
        reference: `CONV-${i + 1}`,
        publishedOn,
        notifiedOn: addDays(publishedOn, 5),
        endDate: addDays(this.plan.today, 700),
        upstreamFeeRateBp: 300,
      });
      Object.assign(f, {
        grantId: grant.id,
        contractId: contract.id,
        contractNotifiedOn: addDays(publishedOn, 5),
      } satisfies Partial<SeedFunder>);
    }
    this.progress(`${policyIds.length} policies, ${programmeIds.length} programmes, ${funders.length} grants and contracts`);
    return policyIds;
  }

  /** Orders ordered and paid over the history, confirmed and issued by the real services (the issuance job). */
  private async orders(operator: Principal, funders: SeedFunder[]): Promise<SeedOrder[]> {
    const orders = this.app.get(OrdersService);
    const made: SeedOrder[] = [];
    const finance = this.principal(operator.organisationId, ['operator'], 'finance');
    for (let k = 0; k < this.plan.orders; k++) {
      const funder = funders[k % funders.length] as Required<SeedFunder>; // funding() gave each its grant and contract
      // Spread from the funder's contract to four months ago (paid by three months ago at the latest).
      const span = Math.max(1, daysBetween(funder.contractNotifiedOn, this.plan.today) - 150);
      const orderedOn = addDays(funder.contractNotifiedOn, 5 + Math.floor((k / this.plan.orders) * span) + this.random.int(20));
      const paidOn = addDays(orderedOn, 7 + this.random.int(30));
      const face = FACE_VALUES[k % FACE_VALUES.length];
      const booklets = Math.max(
        1,
        Math.round((this.plan.vouchers / this.plan.orders / this.plan.vouchersPerBooklet) * (0.6 + 0.8 * this.random.next())),
      );
      // One order in ten (the second of a small dataset) has its validity cut short and expires.
      const expires = k % 10 === (this.plan.orders >= 10 ? 3 : 1);
      const order = await orders.create(operator, {
        funderId: funder.id,
        grantId: k % 7 === 6 ? undefined : funder.grantId,
        contractId: funder.contractId,
        bookletCount: booklets,
        vouchersPerBooklet: this.plan.vouchersPerBooklet,
        faceValueCents: face,
        validityEndDate: addDays(this.plan.today, 200 + this.random.int(300)),
        departmentCodes: [funder.department],
        orderedOn,
      });
      const confirmed = await orders.confirm(operator, order.id);
      await orders.recordPayment(finance, order.id, { reference: `VIR-${k + 1}`, paidOn, amountCents: confirmed.amountDueCents! });
      made.push({
        id: order.id,
        funderId: funder.id,
        distributorIds: funder.distributorIds,
        siteIds: funder.siteIds,
        paidOn,
        faceValueCents: face,
        vouchersPerBooklet: this.plan.vouchersPerBooklet,
        expires,
      });
    }
    // The issuance job (in this process) issues every order's booklets; wait until all are active.
    for (;;) {
      const r = await this.pool.query<{ pending: number }>(
        `SELECT count(*) FILTER (WHERE activated_at IS NULL)::int AS pending FROM order_issuance WHERE order_id = ANY($1::uuid[])`,
        [made.map((o) => o.id)],
      );
      if (r.rows[0].pending === 0) break;
      this.progress(`issuance: ${r.rows[0].pending} of ${made.length} orders still issuing`);
      await new Promise((res) => setTimeout(res, 5_000));
    }
    this.progress(`${made.length} orders paid and issued`);
    return made;
  }
}
