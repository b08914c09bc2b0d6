import { addDays, parisDate } from '@sillage/common';
import { bearer, SeededOrganisation, seedOrganisation, seedUser, sql, TestApp, tokenFor, validSiret } from '@sillage/testing';

/**
 * Helpers for tests that need sites: a site organisation with a SIRET, and a site taken through
 * the real qualification API (profile → application → operator decision), so a test of redemption
 * or of the pass page starts from a site exactly as production would have it.
 */

/** The fields of a site the tests read (GET /v1/sites/{id} returns more for the site itself and the operator). */
export interface SiteJson {
  id: string;
  legalName: string;
  status: string;
  serviceCategoryCodes: string[];
  latitude: number | null;
  longitude: number | null;
  currentLabel: { name: string; validFrom: string; validUntil: string; validToday: boolean } | null;
  [key: string]: unknown;
}

type Method = 'GET' | 'POST' | 'PUT';

/** One JSON request; `body` is the parsed answer (typed by the caller) or the raw text. */
export async function call<T = Record<string, unknown>>(t: TestApp, method: Method, url: string, token: string, body?: object | string) {
  const res = await t.inject({
    method,
    url,
    headers: body === undefined ? bearer(token) : { ...bearer(token), 'content-type': 'application/json' },
    payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const isJson = /json/.test(String(res.headers['content-type'] ?? ''));
  return { status: res.statusCode, body: (isJson ? res.json() : res.body) as T, contentType: String(res.headers['content-type'] ?? '') };
}

/** An organisation of kind `site` (plus `kinds`) with a valid SIRET, which an application needs. */
export async function seedSite(
  t: TestApp,
  o: { legalName?: string; communeCode?: string; postcode?: string; kinds?: ('distributor' | 'funder')[]; siret?: string | null } = {},
): Promise<SeededOrganisation> {
  const site = await seedOrganisation(t, {
    kinds: ['site', ...(o.kinds ?? [])],
    legalName: o.legalName,
    communeCode: o.communeCode,
    postcode: o.postcode,
  });
  const siret = o.siret === undefined ? validSiret(site.siren) : o.siret;
  if (siret !== null) await sql(t, `UPDATE organisation SET siret = $2 WHERE id = $1`, [site.id, siret]);
  return { ...site, siret };
}

/** An access token of an admin of the operator organisation (created, with the operator itself, when missing). */
export async function operatorAdminToken(t: TestApp): Promise<string> {
  const [operator] = await sql<{ id: string }>(t, `SELECT id FROM organisation WHERE 'operator' = ANY(kinds) LIMIT 1`);
  const org = operator ? { id: operator.id, kinds: ['operator' as const] } : await seedOrganisation(t, { kinds: ['operator'] });
  return tokenFor(t, await seedUser(t, org, { role: 'admin' }));
}

export interface QualifyOptions {
  /** First and last day of the label (Europe/Paris); default today and today + 365 days. */
  validFrom?: string;
  validUntil?: string;
  /** Service categories of the profile (active codes); default workshop and online-procedure help. */
  categories?: string[];
  labelName?: string;
  latitude?: number;
  longitude?: number;
  /** Tokens to act with; an operator admin and a site admin are created when absent. */
  operatorToken?: string;
  siteAdminToken?: string;
}

/**
 * Takes a site to `qualified` through the API: its profile (categories, charter), its application
 * (draft sites only) and the operator's decision with a label. A site already qualified or suspended
 * gets a new label (renewal, lifted suspension). A site without SIRET is given one first, as the
 * operator would record it. Returns the site as the operator sees it afterwards.
 */
export async function qualifySite(world: TestApp | { t: TestApp }, siteId: string, o: QualifyOptions = {}): Promise<SiteJson> {
  const t = 't' in world ? world.t : world;
  const today = parisDate(new Date());
  const op = o.operatorToken ?? (await operatorAdminToken(t));
  const [org] = await sql<{ siren: string; siret: string | null; kinds: string[] }>(
    t,
    `SELECT siren, siret, kinds FROM organisation WHERE id = $1`,
    [siteId],
  );
  if (!org) throw new Error(`no organisation ${siteId}`);
  if (!org.siret) await sql(t, `UPDATE organisation SET siret = $2 WHERE id = $1`, [siteId, validSiret(org.siren)]);
  const before = await call<SiteJson>(t, 'GET', `/v1/sites/${siteId}`, op);
  if (before.status !== 200) throw new Error(`site ${siteId} not readable: ${before.status} ${JSON.stringify(before.body)}`);
  if (before.body.status === 'revoked') throw new Error(`site ${siteId} is revoked: it cannot be qualified again`);
  if (before.body.status === 'draft' || before.body.status === 'applied') {
    const profile = await call(t, 'PUT', `/v1/sites/${siteId}/profile`, op, {
      serviceCategoryCodes: o.categories ?? ['atelier-collectif', 'aide-demarches'],
      charterVersion: 'charte-2026-01',
      ...(o.latitude !== undefined && o.longitude !== undefined ? { latitude: o.latitude, longitude: o.longitude } : {}),
    });
    if (profile.status !== 200) throw new Error(`profile of ${siteId} refused: ${profile.status} ${JSON.stringify(profile.body)}`);
  }
  if (before.body.status === 'draft') {
    const admin =
      o.siteAdminToken ??
      tokenFor(t, await seedUser(t, { id: siteId, kinds: org.kinds as SeededOrganisation['kinds'] }, { role: 'admin' }));
    const applied = await call(t, 'POST', `/v1/sites/${siteId}/application`, admin);
    if (applied.status !== 200) throw new Error(`application of ${siteId} refused: ${applied.status} ${JSON.stringify(applied.body)}`);
  }
  const reasonCode =
    before.body.status === 'suspended'
      ? 'suspension_lifted'
      : before.body.status === 'qualified'
        ? 'label_renewed'
        : 'application_accepted';
  const decided = await call<SiteJson>(t, 'POST', `/v1/sites/${siteId}/qualification`, op, {
    decision: 'qualified',
    reasonCode,
    labelName: o.labelName ?? 'Lieu labellisé Pass numérique',
    labelValidFrom: o.validFrom ?? today,
    labelValidUntil: o.validUntil ?? addDays(today, 365),
  });
  if (decided.status !== 200) throw new Error(`qualification of ${siteId} refused: ${decided.status} ${JSON.stringify(decided.body)}`);
  return decided.body;
}

/** Takes a draft site to `applied` through the API: a complete profile, then its admin's application. */
export async function applySite(
  world: TestApp | { t: TestApp },
  siteId: string,
  o: Pick<QualifyOptions, 'categories' | 'siteAdminToken'> = {},
): Promise<SiteJson> {
  const t = 't' in world ? world.t : world;
  const [org] = await sql<{ kinds: SeededOrganisation['kinds'] }>(t, `SELECT kinds FROM organisation WHERE id = $1`, [siteId]);
  if (!org) throw new Error(`no organisation ${siteId}`);
  const admin = o.siteAdminToken ?? tokenFor(t, await seedUser(t, { id: siteId, kinds: org.kinds }, { role: 'admin' }));
  const profile = await call(t, 'PUT', `/v1/sites/${siteId}/profile`, admin, {
    serviceCategoryCodes: o.categories ?? ['atelier-collectif', 'aide-demarches'],
    charterVersion: 'charte-2026-01',
  });
  if (profile.status !== 200) throw new Error(`profile of ${siteId} refused: ${profile.status} ${JSON.stringify(profile.body)}`);
  const applied = await call<SiteJson>(t, 'POST', `/v1/sites/${siteId}/application`, admin);
  if (applied.status !== 200) throw new Error(`application of ${siteId} refused: ${applied.status} ${JSON.stringify(applied.body)}`);
  return applied.body;
}

/** An operator decision other than qualifying (suspend, revoke), through the API. */
export async function decideSite(
  world: TestApp | { t: TestApp },
  siteId: string,
  decision: 'suspended' | 'revoked',
  reasonCode = decision === 'suspended' ? 'complaint_under_review' : 'site_closed',
  operatorToken?: string,
): Promise<SiteJson> {
  const t = 't' in world ? world.t : world;
  const res = await call<SiteJson>(t, 'POST', `/v1/sites/${siteId}/qualification`, operatorToken ?? (await operatorAdminToken(t)), {
    decision,
    reasonCode,
  });
  if (res.status !== 200) throw new Error(`${decision} of ${siteId} refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
