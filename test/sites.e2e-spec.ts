import { addDays, parisDate } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { currentBankAccount, isSiteLabelValid, SITE_LABEL_VALID_SQL } from '@sillage/sites';
import {
  auditEventsDuring,
  createTestApp,
  SeededOrganisation,
  seedApiKey,
  seedOrganisation,
  seedUser,
  sql,
  StoredAuditEvent,
  tableCounts,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';
import { buildOpenApi } from '../apps/api/src/openapi/openapi';
import { call, qualifySite, seedSite, SiteJson } from './sites-support';

jest.setTimeout(120_000);

/**
 * Sites end to end: the profile a site declares, its application and the operator's qualification
 * decisions (labels), the bank accounts its payouts go to under four eyes, and who may read or
 * change what. Each section creates its own sites, so sections do not depend on each other's order
 * except where written down.
 */

/** Every table a sites route may write; a refusal leaves all of them as they were. */
const TABLES = ['site_profile', 'site_qualification', 'site_bank_account', 'audit_event', 'ledger_account'] as const;

interface Problem {
  status: number;
  code: string;
  detail: string;
  field?: string;
  errors?: { field: string; code: string; message: string }[];
  [key: string]: unknown;
}

interface BankAccountJson {
  id: string;
  siteId: string;
  iban: string;
  ibanMasked: boolean;
  ibanLast4: string;
  bic: string;
  holderName: string;
  status: string;
  requestedBy: string;
  decidedBy: string | null;
  rejectReason: string | null;
  validFrom: string | null;
  validUntil: string | null;
}

interface HistoryEntry {
  id: string;
  decision: string;
  reasonCode: string;
  labelName: string | null;
  labelValidFrom: string | null;
  labelValidUntil: string | null;
  decidedBy?: string | null;
  decidedAt: string;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const IBAN = 'FR7630006000011234567890189';
const IBAN_2 = 'FR1420041010050500013M02606';
const today = parisDate(new Date());

describe('sites', () => {
  let t: TestApp;
  let operator: SeededOrganisation;
  let op: { admin: string; admin2: string; finance: string; viewer: string; adminId: string; financeId: string };
  let funder: string;
  let distributor: string;
  let distributorOrg: SeededOrganisation;

  /** A site with users of each role. */
  interface SiteWorld {
    org: SeededOrganisation;
    id: string;
    admin: string;
    adminId: string;
    finance: string;
    viewer: string;
    agent: string;
  }

  async function siteWorld(o: Parameters<typeof seedSite>[1] = {}): Promise<SiteWorld> {
    const org = await seedSite(t, o);
    const admin = await seedUser(t, org, { role: 'admin' });
    return {
      org,
      id: org.id,
      admin: tokenFor(t, admin),
      adminId: admin.id,
      finance: tokenFor(t, await seedUser(t, org, { role: 'finance' })),
      viewer: tokenFor(t, await seedUser(t, org, { role: 'viewer' })),
      agent: tokenFor(t, await seedUser(t, org, { role: 'agent' })),
    };
  }

  const profileBody = (over: object = {}) => ({
    latitude: 45.764,
    longitude: 4.8357,
    serviceCategoryCodes: ['atelier-collectif', 'aide-demarches'],
    charterVersion: 'charte-2026-01',
    ...over,
  });

  const label = (over: object = {}) => ({
    decision: 'qualified',
    reasonCode: 'application_accepted',
    labelName: 'Lieu labellisé Pass numérique',
    labelValidFrom: today,
    labelValidUntil: addDays(today, 365),
    ...over,
  });

  /** Runs `work`, which must be refused with `status`/`code`, and checks that nothing was written. */
  async function refusedWithoutWrites(
    work: () => Promise<{ status: number; body: unknown; contentType: string }>,
    status: number,
    code: string,
  ): Promise<Problem> {
    const before = await tableCounts(t, TABLES);
    const res = await work();
    expect({ status: res.status, code: (res.body as Problem).code }).toEqual({ status, code });
    expect(res.contentType).toContain('application/problem+json');
    expect(await tableCounts(t, TABLES)).toEqual(before);
    return res.body as Problem;
  }

  /** The one audit event appended by `work`, which must be of `action`. */
  async function oneEvent<T>(action: string, work: () => Promise<T>): Promise<{ result: T; event: StoredAuditEvent }> {
    const { result, events } = await auditEventsDuring(t, work);
    expect(events.map((e) => e.action)).toEqual([action]);
    return { result, event: events[0] };
  }

  async function applied(w: SiteWorld): Promise<void> {
    expect((await call(t, 'PUT', `/v1/sites/${w.id}/profile`, w.admin, profileBody())).status).toBe(200);
    expect((await call(t, 'POST', `/v1/sites/${w.id}/application`, w.admin)).status).toBe(200);
  }

  const decide = (siteId: string, body: object, token = op.admin) =>
    call<SiteJson>(t, 'POST', `/v1/sites/${siteId}/qualification`, token, body);

  beforeAll(async () => {
    t = await createTestApp();
    operator = await seedOrganisation(t, { kinds: ['operator'] });
    const opAdmin = await seedUser(t, operator, { role: 'admin' });
    const opFinance = await seedUser(t, operator, { role: 'finance' });
    op = {
      admin: tokenFor(t, opAdmin),
      adminId: opAdmin.id,
      admin2: tokenFor(t, await seedUser(t, operator, { role: 'admin' })),
      finance: tokenFor(t, opFinance),
      financeId: opFinance.id,
      viewer: tokenFor(t, await seedUser(t, operator, { role: 'viewer' })),
    };
    const funderOrg = await seedOrganisation(t, { kinds: ['funder'] });
    funder = tokenFor(t, await seedUser(t, funderOrg, { role: 'admin' }));
    distributorOrg = await seedOrganisation(t, { kinds: ['distributor'] });
    distributor = tokenFor(t, await seedUser(t, distributorOrg, { role: 'admin' }));
  });
  afterAll(async () => {
    await t.close();
  });

  describe('profile', () => {
    let a: SiteWorld;
    beforeAll(async () => {
      a = await siteWorld({ legalName: 'Espace numérique des Pentes', communeCode: '69381', postcode: '69001' });
    });

    it('shows a site without a profile as a draft with nothing declared', async () => {
      const res = await call<SiteJson>(t, 'GET', `/v1/sites/${a.id}`, a.viewer);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: a.id,
        legalName: 'Espace numérique des Pentes',
        address: { line: '1 place de la Comédie', postcode: '69001', communeCode: '69381', communeName: 'Lyon 1er Arrondissement' },
        latitude: null,
        longitude: null,
        serviceCategoryCodes: [],
        status: 'draft',
        currentLabel: null,
        siret: a.org.siret,
        charterVersion: null,
        charterAcceptedAt: null,
        statusChangedAt: null,
      });
    });

    it('creates the profile on the first PUT (draft), with the charter’s acceptance time, and audits it', async () => {
      const before = Date.now();
      const { result: res, event } = await oneEvent('site.profile_updated', () =>
        call<SiteJson>(t, 'PUT', `/v1/sites/${a.id}/profile`, a.admin, profileBody()),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        latitude: 45.764,
        longitude: 4.8357,
        serviceCategoryCodes: ['atelier-collectif', 'aide-demarches'],
        charterVersion: 'charte-2026-01',
        status: 'draft',
      });
      expect(new Date(res.body.charterAcceptedAt as string).getTime()).toBeGreaterThanOrEqual(before - 1000);
      const [row] = await sql(
        t,
        `SELECT latitude, longitude, service_category_codes, charter_version, status FROM site_profile WHERE organisation_id = $1`,
        [a.id],
      );
      expect(row).toEqual({
        latitude: 45.764,
        longitude: 4.8357,
        service_category_codes: ['atelier-collectif', 'aide-demarches'],
        charter_version: 'charte-2026-01',
        status: 'draft',
      });
      expect(event).toMatchObject({ actor: { type: 'user', organisationId: a.id }, subject: { type: 'site', id: a.id }, facts: {} });
    });

    it('writes nothing when the same profile is sent again, and keeps the charter when charterVersion is absent', async () => {
      const first = await call<SiteJson>(t, 'GET', `/v1/sites/${a.id}`, a.admin);
      await acceptedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${a.id}/profile`, a.admin, profileBody()));
      const { result: res } = await oneEvent('site.profile_updated', () =>
        call<SiteJson>(t, 'PUT', `/v1/sites/${a.id}/profile`, a.admin, { serviceCategoryCodes: ['accompagnement-individuel'] }),
      );
      expect(res.body).toMatchObject({
        latitude: null,
        longitude: null,
        serviceCategoryCodes: ['accompagnement-individuel'],
        charterVersion: 'charte-2026-01',
        charterAcceptedAt: first.body.charterAcceptedAt,
      });
      const renewed = await call<SiteJson>(
        t,
        'PUT',
        `/v1/sites/${a.id}/profile`,
        op.admin,
        profileBody({ charterVersion: 'charte-2027-01' }),
      );
      expect(renewed.status).toBe(200);
      expect(renewed.body.charterVersion).toBe('charte-2027-01');
      expect(renewed.body.charterAcceptedAt).not.toBe(first.body.charterAcceptedAt);
    });

    /** An accepted call that must write nothing at all. */
    async function acceptedWithoutWrites(work: () => Promise<{ status: number }>): Promise<void> {
      const before = await tableCounts(t, TABLES);
      const { events } = await auditEventsDuring(t, async () => expect((await work()).status).toBe(200));
      expect(events).toEqual([]);
      expect(await tableCounts(t, TABLES)).toEqual(before);
    }

    it('refuses categories that are not active codes of the operator’s list, naming them', async () => {
      await sql(t, `INSERT INTO service_category (code, label_fr, label_en, active) VALUES ('ancienne-offre', 'Ancienne', 'Old', false)`);
      const fresh = await siteWorld();
      const p = await refusedWithoutWrites(
        () =>
          call(
            t,
            'PUT',
            `/v1/sites/${fresh.id}/profile`,
            fresh.admin,
            profileBody({ serviceCategoryCodes: ['atelier-collectif', 'ancienne-offre', 'yoga'] }),
          ),
        400,
        'CATEGORY_UNKNOWN',
      );
      expect(p.field).toBe('serviceCategoryCodes');
      expect(p.detail).toContain('ancienne-offre, yoga');
      expect(p.unknownCodes).toEqual(['ancienne-offre', 'yoga']);
    });

    it.each([
      ['latitude without longitude', { latitude: 45.7, longitude: undefined }, 'longitude'],
      ['latitude out of range', { latitude: 91, longitude: 4 }, 'latitude'],
      ['longitude as a string', { latitude: 45, longitude: '4.8' }, 'longitude'],
      ['categories missing', { serviceCategoryCodes: undefined }, 'serviceCategoryCodes'],
      ['a category twice', { serviceCategoryCodes: ['atelier-collectif', 'atelier-collectif'] }, 'serviceCategoryCodes'],
      ['a malformed category', { serviceCategoryCodes: ['Atelier Collectif'] }, 'serviceCategoryCodes'],
      ['a malformed charter version', { charterVersion: 'charte 2026 / v1' }, 'charterVersion'],
      ['an unknown field', { status: 'qualified' }, 'status'],
    ])('refuses %s (400, nothing written)', async (_what, over, field) => {
      const p = await refusedWithoutWrites(
        () => call(t, 'PUT', `/v1/sites/${a.id}/profile`, a.admin, profileBody(over)),
        400,
        'VALIDATION_FAILED',
      );
      expect(p.errors?.map((e) => e.field)).toContain(field);
    });

    it('lets only the site’s admin and the operator’s admin change it: other kinds 404, other roles 403, other sites 404', async () => {
      const other = await siteWorld();
      const body = profileBody();
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${a.id}/profile`, funder, body), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${a.id}/profile`, distributor, body), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${a.id}/profile`, other.admin, body), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${a.id}/profile`, a.finance, body), 403, 'FORBIDDEN');
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${a.id}/profile`, a.viewer, body), 403, 'FORBIDDEN');
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${a.id}/profile`, op.viewer, body), 403, 'FORBIDDEN');
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${distributorOrg.id}/profile`, op.admin, body), 404, 'NOT_A_SITE');
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${unknownId()}/profile`, op.admin, body), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/not-a-uuid/profile`, op.admin, body), 404, 'NOT_FOUND');
      const key = await seedApiKey(t, a.org, { role: 'admin' });
      await refusedWithoutWrites(() => call(t, 'PUT', `/v1/sites/${a.id}/profile`, key.secret, body), 403, 'FORBIDDEN');
    });
  });

  describe('application', () => {
    it('lists everything a draft lacks (SIRET, an active category, the charter) and writes nothing', async () => {
      const bare = await siteWorld({ siret: null });
      const p = await refusedWithoutWrites(
        () => call(t, 'POST', `/v1/sites/${bare.id}/application`, bare.admin),
        422,
        'PROFILE_INCOMPLETE',
      );
      expect(p.missing).toEqual(['siret', 'serviceCategoryCodes', 'charterVersion']);
      expect(p.errors?.map((e) => e.field)).toEqual(['siret', 'serviceCategoryCodes', 'charterVersion']);
      expect(p.detail).toContain('accept the charter');

      const noCharter = await siteWorld();
      expect(
        (await call(t, 'PUT', `/v1/sites/${noCharter.id}/profile`, noCharter.admin, { serviceCategoryCodes: ['atelier-collectif'] }))
          .status,
      ).toBe(200);
      const p2 = await refusedWithoutWrites(
        () => call(t, 'POST', `/v1/sites/${noCharter.id}/application`, noCharter.admin),
        422,
        'PROFILE_INCOMPLETE',
      );
      expect(p2.missing).toEqual(['charterVersion']);
    });

    it('counts a category that is no longer active as missing', async () => {
      await sql(t, `INSERT INTO service_category (code, label_fr, label_en) VALUES ('bientot-close', 'B', 'B')`);
      const w = await siteWorld();
      expect(
        (await call(t, 'PUT', `/v1/sites/${w.id}/profile`, w.admin, profileBody({ serviceCategoryCodes: ['bientot-close'] }))).status,
      ).toBe(200);
      await sql(t, `UPDATE service_category SET active = false WHERE code = 'bientot-close'`);
      const p = await refusedWithoutWrites(() => call(t, 'POST', `/v1/sites/${w.id}/application`, w.admin), 422, 'PROFILE_INCOMPLETE');
      expect(p.missing).toEqual(['serviceCategoryCodes']);
      expect(p.detail).toContain('bientot-close no longer active');
    });

    it('takes a complete draft to applied: history row, status, audit event with the charter version', async () => {
      const w = await siteWorld();
      expect((await call(t, 'PUT', `/v1/sites/${w.id}/profile`, w.admin, profileBody())).status).toBe(200);
      const { result: res, event } = await oneEvent('site.applied', () =>
        call<SiteJson>(t, 'POST', `/v1/sites/${w.id}/application`, w.admin),
      );
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('applied');
      expect(event).toMatchObject({
        subject: { type: 'site', id: w.id },
        reason: 'site_application',
        facts: { charterVersion: 'charte-2026-01' },
      });
      const rows = await sql(t, `SELECT decision, reason_code, label_name, decided_by FROM site_qualification WHERE site_id = $1`, [w.id]);
      expect(rows).toEqual([{ decision: 'applied', reason_code: 'site_application', label_name: null, decided_by: w.adminId }]);
      // once is enough: a second application is a conflict
      const again = await refusedWithoutWrites(
        () => call(t, 'POST', `/v1/sites/${w.id}/application`, w.admin),
        409,
        'QUALIFICATION_TRANSITION_INVALID',
      );
      expect(again.detail).toContain('already applied');
    });

    it('is the site admin’s act: the operator gets 404 (route of sites), other site roles 403, other sites 404', async () => {
      const w = await siteWorld();
      const other = await siteWorld();
      expect((await call(t, 'PUT', `/v1/sites/${w.id}/profile`, w.admin, profileBody())).status).toBe(200);
      await refusedWithoutWrites(() => call(t, 'POST', `/v1/sites/${w.id}/application`, op.admin), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => call(t, 'POST', `/v1/sites/${w.id}/application`, w.finance), 403, 'FORBIDDEN');
      await refusedWithoutWrites(() => call(t, 'POST', `/v1/sites/${w.id}/application`, other.admin), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => call(t, 'POST', `/v1/sites/${w.id}/application`, funder), 404, 'NOT_FOUND');
    });
  });

  describe('qualification decisions', () => {
    const payableAccounts = async (siteId: string) =>
      (
        await sql<{ n: string }>(t, `SELECT count(*) AS n FROM ledger_account WHERE kind = 'site_payable' AND owner_organisation_id = $1`, [
          siteId,
        ])
      )[0].n;

    it('refuses every decision about a draft site (409), and labels that are missing, reversed or over (400)', async () => {
      const draft = await siteWorld();
      for (const body of [
        label(),
        { decision: 'suspended', reasonCode: 'inactivity' },
        { decision: 'revoked', reasonCode: 'site_closed' },
      ]) {
        const p = await refusedWithoutWrites(() => decide(draft.id, body), 409, 'QUALIFICATION_TRANSITION_INVALID');
        expect(p.detail).toMatch(/^a draft site cannot be (qualified|suspended|revoked)/);
      }
      const w = await siteWorld();
      await applied(w);
      const missing = await refusedWithoutWrites(() => decide(w.id, label({ labelValidFrom: undefined })), 400, 'LABEL_RANGE_INVALID');
      expect(missing.field).toBe('labelValidFrom');
      const reversed = await refusedWithoutWrites(
        () => decide(w.id, label({ labelValidFrom: addDays(today, 10), labelValidUntil: addDays(today, 9) })),
        400,
        'LABEL_RANGE_INVALID',
      );
      expect(reversed.detail).toContain('must not precede labelValidFrom');
      const over = await refusedWithoutWrites(
        () => decide(w.id, label({ labelValidFrom: addDays(today, -30), labelValidUntil: addDays(today, -1) })),
        400,
        'LABEL_RANGE_INVALID',
      );
      expect(over.detail).toContain('already over');
      await refusedWithoutWrites(() => decide(w.id, label({ labelValidUntil: '2026-02-30' })), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(() => decide(w.id, label({ reasonCode: 'fraud_confirmed' })), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(
        () => decide(w.id, { decision: 'revoked', reasonCode: 'site_closed', labelName: 'x' }),
        400,
        'VALIDATION_FAILED',
      );
      await refusedWithoutWrites(() => decide(w.id, { decision: 'applied', reasonCode: 'site_application' }), 400, 'VALIDATION_FAILED');
      // an applied site cannot be suspended
      await refusedWithoutWrites(
        () => decide(w.id, { decision: 'suspended', reasonCode: 'inactivity' }),
        409,
        'QUALIFICATION_TRANSITION_INVALID',
      );
    });

    it('qualifies, renews, suspends, lifts and revokes — one history row, status and audit event each; one payable account', async () => {
      const w = await siteWorld();
      await applied(w);
      const [{ changed: appliedAt }] = await sql<{ changed: Date }>(
        t,
        `SELECT status_changed_at AS changed FROM site_profile WHERE organisation_id = $1`,
        [w.id],
      );

      // applied → qualified: the label, and the site's payable ledger account
      const first = await oneEvent('site.qualified', () => decide(w.id, label()));
      expect(first.result.status).toBe(200);
      expect(first.result.body).toMatchObject({
        status: 'qualified',
        currentLabel: { name: 'Lieu labellisé Pass numérique', validFrom: today, validUntil: addDays(today, 365), validToday: true },
      });
      expect(first.event).toMatchObject({
        actor: { type: 'user', id: op.adminId, organisationId: operator.id },
        subject: { type: 'site', id: w.id },
        reason: 'application_accepted',
        facts: { labelName: 'Lieu labellisé Pass numérique', validFrom: today, validUntil: addDays(today, 365) },
      });
      expect(await payableAccounts(w.id)).toBe('1');
      const [{ changed: qualifiedAt }] = await sql<{ changed: Date }>(
        t,
        `SELECT status_changed_at AS changed FROM site_profile WHERE organisation_id = $1`,
        [w.id],
      );
      expect(qualifiedAt.getTime()).toBeGreaterThan(appliedAt.getTime());

      // qualified → qualified: a renewal starting later; today's label stays the current one
      const renewal = await oneEvent('site.qualified', () =>
        decide(
          w.id,
          label({
            reasonCode: 'label_renewed',
            labelName: 'Label 2027',
            labelValidFrom: addDays(today, 366),
            labelValidUntil: addDays(today, 731),
          }),
        ),
      );
      expect(renewal.result.body.currentLabel).toMatchObject({ name: 'Lieu labellisé Pass numérique', validToday: true });

      // qualified → suspended → (suspended again refused) → qualified
      const suspended = await oneEvent('site.suspended', () =>
        decide(w.id, { decision: 'suspended', reasonCode: 'complaint_under_review' }),
      );
      expect(suspended.result.body.status).toBe('suspended');
      expect(suspended.event).toMatchObject({ reason: 'complaint_under_review', facts: {} });
      await refusedWithoutWrites(
        () => decide(w.id, { decision: 'suspended', reasonCode: 'inactivity' }),
        409,
        'QUALIFICATION_TRANSITION_INVALID',
      );
      const lifted = await oneEvent('site.qualified', () => decide(w.id, label({ reasonCode: 'suspension_lifted' })));
      expect(lifted.result.body.status).toBe('qualified');

      // qualified → revoked, final
      const revoked = await oneEvent('site.revoked', () => decide(w.id, { decision: 'revoked', reasonCode: 'charter_breach' }));
      expect(revoked.result.body.status).toBe('revoked');
      expect(revoked.event.reason).toBe('charter_breach');
      for (const body of [
        label({ reasonCode: 'suspension_lifted' }),
        { decision: 'suspended', reasonCode: 'inactivity' },
        { decision: 'revoked', reasonCode: 'other' },
      ]) {
        await refusedWithoutWrites(() => decide(w.id, body), 409, 'QUALIFICATION_TRANSITION_INVALID');
      }
      const reapply = await refusedWithoutWrites(
        () => call(t, 'POST', `/v1/sites/${w.id}/application`, w.admin),
        409,
        'QUALIFICATION_TRANSITION_INVALID',
      );
      expect(reapply.detail).toContain('revoked');

      expect(await payableAccounts(w.id)).toBe('1');
      const history = await sql<{ decision: string; reason_code: string }>(
        t,
        `SELECT decision, reason_code FROM site_qualification WHERE site_id = $1 ORDER BY decided_at`,
        [w.id],
      );
      expect(history.map((h) => `${h.decision}:${h.reason_code}`)).toEqual([
        'applied:site_application',
        'qualified:application_accepted',
        'qualified:label_renewed',
        'suspended:complaint_under_review',
        'qualified:suspension_lifted',
        'revoked:charter_breach',
      ]);
    });

    it('revokes an applied site (application rejected) and a suspended one', async () => {
      const a = await siteWorld();
      await applied(a);
      expect((await decide(a.id, { decision: 'revoked', reasonCode: 'application_rejected' })).body.status).toBe('revoked');
      expect(await payableAccounts(a.id)).toBe('0');
      const s = await siteWorld();
      await qualifySite(t, s.id, { operatorToken: op.admin, siteAdminToken: s.admin });
      expect((await decide(s.id, { decision: 'suspended', reasonCode: 'fraud_suspected' })).body.status).toBe('suspended');
      expect((await decide(s.id, { decision: 'revoked', reasonCode: 'fraud_confirmed' })).body.status).toBe('revoked');
    });

    it('is the operator admin’s decision: operator finance 403, sites and funders 404', async () => {
      const w = await siteWorld();
      await applied(w);
      await refusedWithoutWrites(() => decide(w.id, label(), op.finance), 403, 'FORBIDDEN');
      await refusedWithoutWrites(() => decide(w.id, label(), w.admin), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => decide(w.id, label(), funder), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => decide(distributorOrg.id, label()), 404, 'NOT_A_SITE');
    });
  });

  describe('reading sites', () => {
    let q: SiteWorld;
    let draft: SiteWorld;
    let appliedSite: SiteWorld;
    beforeAll(async () => {
      q = await siteWorld({ legalName: 'Médiathèque Zéphyr de Rennes', communeCode: '35238', postcode: '35000' });
      await qualifySite(t, q.id, { operatorToken: op.admin, siteAdminToken: q.admin, latitude: 48.11, longitude: -1.68 });
      draft = await siteWorld({ legalName: 'Tiers-lieu Zéphyr de Lyon', communeCode: '69123' });
      appliedSite = await siteWorld({ legalName: 'Fablab Zéphyr de Brest', communeCode: '29019', postcode: '29200' });
      await applied(appliedSite);
    });

    it('shows funders and distributors the public facts of a qualified site, and nothing of others', async () => {
      for (const token of [funder, distributor]) {
        const res = await call<SiteJson>(t, 'GET', `/v1/sites/${q.id}`, token);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(
          ['address', 'currentLabel', 'id', 'latitude', 'legalName', 'longitude', 'serviceCategoryCodes', 'status'].sort(),
        );
        expect(res.body).toMatchObject({ status: 'qualified', latitude: 48.11, longitude: -1.68, currentLabel: { validToday: true } });
        for (const hidden of [draft.id, appliedSite.id]) expect((await call(t, 'GET', `/v1/sites/${hidden}`, token)).status).toBe(404);
        expect((await call(t, 'GET', `/v1/sites/${distributorOrg.id}`, token)).status).toBe(404);
      }
      // another site sees neither
      expect((await call(t, 'GET', `/v1/sites/${q.id}`, draft.admin)).status).toBe(404);
      // the operator is told an organisation is no site
      expect((await call<Problem>(t, 'GET', `/v1/sites/${distributorOrg.id}`, op.viewer)).body.code).toBe('NOT_A_SITE');
      // a device key of the site reads its own site
      const key = await seedApiKey(t, q.org, { role: 'agent' });
      expect((await call<SiteJson>(t, 'GET', `/v1/sites/${q.id}`, key.secret)).body.siret).toBe(q.org.siret);
    });

    it('lists sites for the operator: the applied queue, filters by commune, department and name, pages with a cursor', async () => {
      const queue = await call<Page<SiteJson>>(t, 'GET', '/v1/sites?status=applied&q=z%C3%A9phyr', op.viewer);
      expect(queue.status).toBe(200);
      expect(queue.body.items.map((s) => s.id)).toEqual([appliedSite.id]);
      const byDept = await call<Page<SiteJson>>(t, 'GET', '/v1/sites?departmentCode=35&q=Z%C3%A9phyr', op.admin);
      expect(byDept.body.items.map((s) => s.id)).toEqual([q.id]);
      const byCommune = await call<Page<SiteJson>>(t, 'GET', '/v1/sites?communeCode=69123&q=Z%C3%A9phyr', op.admin);
      expect(byCommune.body.items.map((s) => `${s.id}:${s.status}`)).toEqual([`${draft.id}:draft`]);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: Page<SiteJson> } = await call<Page<SiteJson>>(
          t,
          'GET',
          `/v1/sites?q=z%C3%A9phyr&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          op.admin,
        );
        seen.push(...page.body.items.map((s) => s.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([q.id, draft.id, appliedSite.id].sort());
      expect((await call<Problem>(t, 'GET', '/v1/sites?status=open', op.admin)).body.code).toBe('VALIDATION_FAILED');
      expect((await call<Problem>(t, 'GET', '/v1/sites?departmentCode=99', op.admin)).body.code).toBe('VALIDATION_FAILED');
      expect((await call<Problem>(t, 'GET', '/v1/sites?cursor=abc', op.admin)).body.code).toBe('INVALID_CURSOR');
      expect((await call(t, 'GET', '/v1/sites', funder)).status).toBe(404);
      expect((await call(t, 'GET', '/v1/sites', q.admin)).status).toBe(404);
    });

    it('shows the qualification history to the site (without operator user ids) and to the operator', async () => {
      const own = await call<Page<HistoryEntry>>(t, 'GET', `/v1/sites/${q.id}/qualification-history`, q.viewer);
      expect(own.status).toBe(200);
      expect(own.body.items.map((e) => e.decision)).toEqual(['applied', 'qualified']);
      expect(own.body.items[1]).toMatchObject({
        reasonCode: 'application_accepted',
        labelName: 'Lieu labellisé Pass numérique',
        labelValidFrom: today,
      });
      expect(own.body.items.every((e) => !('decidedBy' in e))).toBe(true);
      const first = await call<Page<HistoryEntry>>(t, 'GET', `/v1/sites/${q.id}/qualification-history?limit=1`, op.admin);
      expect(first.body.items[0]).toMatchObject({ decision: 'applied', decidedBy: q.adminId });
      const second = await call<Page<HistoryEntry>>(
        t,
        'GET',
        `/v1/sites/${q.id}/qualification-history?limit=1&cursor=${first.body.nextCursor}`,
        op.admin,
      );
      expect(second.body.items[0]).toMatchObject({ decision: 'qualified', decidedBy: op.adminId });
      expect(second.body.nextCursor).toBeNull();
      expect((await call(t, 'GET', `/v1/sites/${q.id}/qualification-history`, draft.admin)).status).toBe(404);
      expect((await call(t, 'GET', `/v1/sites/${q.id}/qualification-history`, funder)).status).toBe(404);
    });
  });

  describe('label validity (the rule redemption and the pass page share)', () => {
    it('holds while the site is qualified and a label covers the date, whichever label it is', async () => {
      const w = await siteWorld();
      const ok = async (date: string) => (await sql<{ ok: boolean }>(t, `SELECT ${SITE_LABEL_VALID_SQL} AS ok`, [w.id, date]))[0].ok;
      expect(await ok(today)).toBe(false); // draft
      await qualifySite(t, w.id, {
        operatorToken: op.admin,
        siteAdminToken: w.admin,
        validFrom: addDays(today, 2),
        validUntil: addDays(today, 30),
      });
      expect(await ok(today)).toBe(false); // label starts later
      expect(await ok(addDays(today, 2))).toBe(true);
      expect(await ok(addDays(today, 30))).toBe(true);
      expect(await ok(addDays(today, 31))).toBe(false);
      await qualifySite(t, w.id, { operatorToken: op.admin, validFrom: addDays(today, 31), validUntil: addDays(today, 60) });
      expect(await ok(addDays(today, 5))).toBe(true); // under the first label, after the renewal
      expect(await ok(addDays(today, 45))).toBe(true);
      await decide(w.id, { decision: 'suspended', reasonCode: 'inactivity' });
      expect(await ok(addDays(today, 5))).toBe(false);
      const runner = t.app.get(TransactionRunner);
      expect(await isSiteLabelValid(runner.manager, w.id, addDays(today, 5))).toBe(false);
      await qualifySite(t, w.id, { operatorToken: op.admin });
      expect(await isSiteLabelValid(runner.manager, w.id)).toBe(true);
    });
  });

  describe('bank accounts', () => {
    let s: SiteWorld;
    beforeAll(async () => {
      s = await siteWorld();
    });
    const request = (siteId: string, token: string, body: object) =>
      call<BankAccountJson>(t, 'POST', `/v1/sites/${siteId}/bank-accounts`, token, body);
    const verify = (siteId: string, accountId: string, token: string) =>
      call<BankAccountJson>(t, 'POST', `/v1/sites/${siteId}/bank-accounts/${accountId}/verify`, token);
    const account = { iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'agrifrpp882', holderName: 'Association Les Connectés' };

    it.each([
      ['an altered check digit', { iban: 'FR7630006000011234567890188' }, 'IBAN_INVALID', 'check digits do not match'],
      ['a wrong length', { iban: 'FR763000600001123456789018' }, 'IBAN_INVALID', 'a FR IBAN has 27 characters; this one has 26'],
      ['an unknown country', { iban: 'QQ7630006000011234567890189' }, 'IBAN_INVALID', '"QQ" is not one'],
      ['an account outside SEPA', { iban: 'TR330006100519786457841326', bic: 'TCZBTR2A' }, 'IBAN_INVALID', 'SEPA'],
      ['a malformed BIC', { bic: 'AGRI-FR' }, 'BIC_INVALID', '8 or 11 characters'],
      ['a test BIC', { bic: 'AGRIFRP0' }, 'BIC_INVALID', 'test BIC'],
      ['a BIC of another country', { bic: 'DEUTDEFF' }, 'BIC_INVALID', 'is not the IBAN’s (FR)'],
    ])('refuses %s (400, nothing written)', async (_what, over, code, message) => {
      const p = await refusedWithoutWrites(() => request(s.id, s.admin, { ...account, ...over }), 400, code);
      expect(p.detail).toContain(message);
      expect(p.field).toBe(code === 'IBAN_INVALID' ? 'iban' : 'bic');
    });

    it('refuses a blank holder, unknown fields and missing ones', async () => {
      await refusedWithoutWrites(() => request(s.id, s.admin, { ...account, holderName: '' }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(() => request(s.id, s.admin, { ...account, status: 'verified' }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(() => request(s.id, s.admin, { iban: account.iban }), 400, 'VALIDATION_FAILED');
    });

    it('records a request as pending, normalised, audited with the last 4 characters only; one pending at a time', async () => {
      const { result: res, event } = await oneEvent('site.bank_account_requested', () => request(s.id, s.admin, account));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        siteId: s.id,
        iban: IBAN,
        ibanMasked: false,
        ibanLast4: '0189',
        bic: 'AGRIFRPP882',
        status: 'pending',
        requestedBy: s.adminId,
        decidedBy: null,
        validFrom: null,
        validUntil: null,
      });
      expect(event).toMatchObject({ subject: { type: 'site', id: s.id }, facts: { bankAccountId: res.body.id, ibanLast4: '0189' } });
      expect(event.canonical).not.toContain('30006000011234567890');
      expect(event.canonical).not.toContain('Connectés');
      await refusedWithoutWrites(
        () => request(s.id, s.finance, { ...account, iban: IBAN_2, bic: 'PSSTFRPPXXX' }),
        409,
        'BANK_ACCOUNT_PENDING',
      );
    });

    it('needs a second person: the requester cannot verify or reject, another operator user can', async () => {
      // the operator's admin requests on the site's behalf, so the same person is an operator user
      const other = await siteWorld();
      const requested = await request(other.id, op.admin, account);
      expect(requested.status).toBe(201);
      const same = await refusedWithoutWrites(() => verify(other.id, requested.body.id, op.admin), 403, 'FOUR_EYES_REQUIRED');
      expect(same.detail).toContain('someone other than the person who requested it');
      await refusedWithoutWrites(
        () => call(t, 'POST', `/v1/sites/${other.id}/bank-accounts/${requested.body.id}/reject`, op.admin, { reasonCode: 'other' }),
        403,
        'FOUR_EYES_REQUIRED',
      );
      const { result: verified, event } = await oneEvent('site.bank_account_verified', () =>
        verify(other.id, requested.body.id, op.admin2),
      );
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ status: 'verified', validUntil: null });
      expect(event.facts).toEqual({ bankAccountId: requested.body.id, ibanLast4: '0189' });
    });

    it('lists every site’s pending changes in one queue for the operator, and nobody else', async () => {
      const other = await siteWorld();
      const theirs = await request(other.id, other.admin, { ...account, holderName: 'Lieu B' });
      expect(theirs.status).toBe(201);
      const queue = await call<Page<BankAccountJson>>(t, 'GET', '/v1/bank-accounts', op.finance);
      expect(queue.status).toBe(200);
      const pendingHere = (await call<Page<BankAccountJson>>(t, 'GET', `/v1/sites/${s.id}/bank-accounts`, s.admin)).body.items.filter(
        (a) => a.status === 'pending',
      );
      expect(queue.body.items.map((a) => a.id)).toEqual(expect.arrayContaining([...pendingHere.map((a) => a.id), theirs.body.id]));
      expect(queue.body.items.every((a) => a.status === 'pending')).toBe(true);
      // One at a time, oldest request first, page by page.
      const first = await call<Page<BankAccountJson>>(t, 'GET', '/v1/bank-accounts?status=pending&limit=1', op.admin);
      const next = await call<Page<BankAccountJson>>(
        t,
        'GET',
        `/v1/bank-accounts?status=pending&limit=1&cursor=${first.body.nextCursor}`,
        op.admin,
      );
      expect([...first.body.items, ...next.body.items].map((a) => a.id)).toEqual(queue.body.items.slice(0, 2).map((a) => a.id));
      const unknownStatus = await call<{ code: string; field?: string; detail?: string }>(
        t,
        'GET',
        '/v1/bank-accounts?status=lost',
        op.admin,
      );
      expect(unknownStatus.status).toBe(400);
      expect(unknownStatus.contentType).toContain('application/problem+json');
      expect(unknownStatus.body.code).toBe('VALIDATION_FAILED');
      expect(unknownStatus.body).toMatchObject({
        field: 'status',
        detail: 'status must be one of pending, verified, rejected, superseded',
      });
      expect((await call(t, 'GET', '/v1/bank-accounts', s.admin)).status).toBe(404);
      // The request is withdrawn for the tests below, which count this site's accounts only.
      expect(
        (await call(t, 'POST', `/v1/sites/${other.id}/bank-accounts/${theirs.body.id}/reject`, op.admin, { reasonCode: 'other' })).status,
      ).toBe(200);
    });

    it('makes a verified account current and supersedes the previous one at the same instant', async () => {
      const [pending] = (await call<Page<BankAccountJson>>(t, 'GET', `/v1/sites/${s.id}/bank-accounts`, s.admin)).body.items;
      const first = await verify(s.id, pending.id, op.finance);
      expect(first.body).toMatchObject({ status: 'verified', decidedBy: op.financeId, validUntil: null });
      expect(first.body.validFrom).not.toBeNull();
      const runner = t.app.get(TransactionRunner);
      expect(await runner.run((tx) => currentBankAccount(tx, s.id))).toMatchObject({ id: pending.id, iban: IBAN, bic: 'AGRIFRPP882' });

      const second = await request(s.id, s.finance, { iban: IBAN_2, bic: 'PSSTFRPPXXX', holderName: 'Association Les Connectés' });
      expect(second.status).toBe(201);
      // still the first until the second is verified
      expect((await runner.run((tx) => currentBankAccount(tx, s.id)))?.id).toBe(pending.id);
      const verified = await verify(s.id, second.body.id, op.admin);
      expect(verified.body.status).toBe('verified');
      const items = (await call<Page<BankAccountJson>>(t, 'GET', `/v1/sites/${s.id}/bank-accounts`, s.finance)).body.items;
      expect(items.map((i) => `${i.id}:${i.status}`)).toEqual([`${pending.id}:superseded`, `${second.body.id}:verified`]);
      expect(items[0].validFrom).toBe(first.body.validFrom);
      expect(items[0].validUntil).toBe(items[1].validFrom);
      expect(items[1].validUntil).toBeNull();
      expect((await runner.run((tx) => currentBankAccount(tx, s.id)))?.iban).toBe(IBAN_2);

      // decided accounts cannot be decided again
      await refusedWithoutWrites(() => verify(s.id, second.body.id, op.finance), 409, 'BANK_ACCOUNT_NOT_PENDING');
      await refusedWithoutWrites(() => verify(s.id, pending.id, op.finance), 409, 'BANK_ACCOUNT_NOT_PENDING');
      await refusedWithoutWrites(
        () => call(t, 'POST', `/v1/sites/${s.id}/bank-accounts/${pending.id}/reject`, op.finance, { reasonCode: 'other' }),
        409,
        'BANK_ACCOUNT_NOT_PENDING',
      );
    });

    it('rejects a pending request with a reason code; the current account stays, and a new request may follow', async () => {
      const r = await request(s.id, s.admin, account);
      await refusedWithoutWrites(
        () => call(t, 'POST', `/v1/sites/${s.id}/bank-accounts/${r.body.id}/reject`, op.finance, { reasonCode: 'because' }),
        400,
        'VALIDATION_FAILED',
      );
      const { result: rejected, event } = await oneEvent('site.bank_account_rejected', () =>
        call<BankAccountJson>(t, 'POST', `/v1/sites/${s.id}/bank-accounts/${r.body.id}/reject`, op.finance, {
          reasonCode: 'holder_mismatch',
        }),
      );
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        rejectReason: 'holder_mismatch',
        decidedBy: op.financeId,
        validFrom: null,
      });
      expect(event).toMatchObject({ reason: 'holder_mismatch', facts: { bankAccountId: r.body.id } });
      expect((await t.app.get(TransactionRunner).run((tx) => currentBankAccount(tx, s.id)))?.iban).toBe(IBAN_2);
      expect((await request(s.id, s.admin, account)).status).toBe(201);
    });

    it('shows full IBANs to admin and finance users, masked ones to other roles; nothing to others', async () => {
      for (const token of [s.admin, s.finance, op.admin, op.finance]) {
        const items = (await call<Page<BankAccountJson>>(t, 'GET', `/v1/sites/${s.id}/bank-accounts`, token)).body.items;
        expect(items.some((i) => i.iban === IBAN && !i.ibanMasked)).toBe(true);
      }
      for (const token of [s.viewer, s.agent, op.viewer]) {
        const res = await call<Page<BankAccountJson>>(t, 'GET', `/v1/sites/${s.id}/bank-accounts`, token);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeGreaterThan(0);
        for (const i of res.body.items) {
          expect(i.ibanMasked).toBe(true);
          expect(i.iban).toMatch(/^FR\d{2}\*{19}[0-9A-Z]{4}$/);
        }
        expect(JSON.stringify(res.body)).not.toContain('30006000011234567890');
      }
      const other = await siteWorld();
      expect((await call(t, 'GET', `/v1/sites/${s.id}/bank-accounts`, other.admin)).status).toBe(404);
      expect((await call(t, 'GET', `/v1/sites/${s.id}/bank-accounts`, funder)).status).toBe(404);
    });

    it('lets only site admin/finance and the operator request, and operator admin/finance decide', async () => {
      const w = await siteWorld();
      await refusedWithoutWrites(() => request(w.id, w.viewer, account), 403, 'FORBIDDEN');
      await refusedWithoutWrites(() => request(w.id, w.agent, account), 403, 'FORBIDDEN');
      await refusedWithoutWrites(() => request(w.id, funder, account), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => request(w.id, s.admin, account), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => request(w.id, op.viewer, account), 403, 'FORBIDDEN');
      const r = await request(w.id, w.finance, account);
      expect(r.status).toBe(201);
      await refusedWithoutWrites(() => verify(w.id, r.body.id, w.admin), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => verify(w.id, r.body.id, op.viewer), 403, 'FORBIDDEN');
      await refusedWithoutWrites(() => verify(w.id, unknownId(), op.admin), 404, 'NOT_FOUND');
      await refusedWithoutWrites(() => verify(s.id, r.body.id, op.admin), 404, 'NOT_FOUND'); // another site's account
      await refusedWithoutWrites(() => verify(w.id, 'not-a-uuid', op.admin), 404, 'NOT_FOUND');
      expect((await verify(w.id, r.body.id, op.admin)).status).toBe(200);
    });
  });

  describe('bad input on every sites route (the OpenAPI document generated from this app)', () => {
    it('never answers 500; refusals are problem+json', async () => {
      const spec = buildOpenApi(t.app);
      const routes = Object.entries(spec.paths)
        .filter(([path]) => path.startsWith('/v1/sites'))
        .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ path, method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' })));
      expect(routes.length).toBe(10);
      const w = await siteWorld();
      const tokens = [op.admin, op.viewer, funder, distributor, w.admin, w.viewer];
      const bodies = [
        '[]',
        '"text"',
        '42',
        'null',
        '{"unexpected": {"deep": [1, 2]}}',
        '{"latitude": "NaN", "serviceCategoryCodes": [null]}',
      ];
      const ids = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', "'; DROP TABLE site_profile; --", w.id];
      const failures: string[] = [];
      for (const { path, method } of routes) {
        for (const id of ids) {
          const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(id)) + '?cursor=%%%&limit=abc&status=nope';
          for (const token of tokens) {
            for (const body of method === 'GET' ? [undefined] : bodies) {
              const res = await t.inject({
                method,
                url,
                headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
                payload: body,
              });
              if (res.statusCode >= 500)
                failures.push(`${method} ${url} (${body ?? 'no body'}) → ${res.statusCode} ${res.body.slice(0, 200)}`);
              else if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) {
                failures.push(`${method} ${url} → ${res.statusCode} with ${String(res.headers['content-type'])}`);
              }
            }
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });
});
