import { AccessTokenService, AUDIENCES, OrganisationKind, Role } from '@sillage/identity';
import {
  bearer,
  createTestApp,
  SeededOrganisation,
  seedApiKey,
  seedOrganisation,
  seedPartnership,
  seedUser,
  sql,
  TestApp,
  tokenFor,
  validSiren,
} from '@sillage/testing';
import jwt from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';

/**
 * Who may call what. The matrix crosses every role of every organisation kind (and API keys) with
 * one route of each access rule; then cross-organisation access, partner visibility and bad
 * credentials.
 */

type Caller = { label: string; kind: OrganisationKind; role: Role; apiKey: boolean };

const KINDS: OrganisationKind[] = ['operator', 'funder', 'distributor', 'site'];
const ORG_ROLES: Role[] = ['admin', 'agent', 'finance', 'viewer'];
const CALLERS: Caller[] = [
  ...KINDS.flatMap((kind) => ORG_ROLES.map((role) => ({ label: `${kind} ${role}`, kind, role, apiKey: false }))),
  { label: 'operator dpo', kind: 'operator', role: 'dpo', apiKey: false },
  { label: 'funder API key (admin role)', kind: 'funder', role: 'admin', apiKey: true },
  { label: 'operator API key (admin role)', kind: 'operator', role: 'admin', apiKey: true },
  { label: 'site API key (agent role)', kind: 'site', role: 'agent', apiKey: true },
];

interface Ctx {
  orgOf: Record<OrganisationKind, SeededOrganisation>;
  endedPartnershipId: string;
}

type RuleKind = 'operator-admin' | 'org-admin' | 'admin-or-dpo' | 'read' | 'partner-read' | 'me';

interface RouteCase {
  label: string;
  rule: RuleKind;
  /** Status when the caller passes the gate. */
  ok: number;
  request: (c: Caller, ctx: Ctx) => { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object };
}

const ROUTES: RouteCase[] = [
  {
    label: 'POST /v1/organisations',
    rule: 'operator-admin',
    ok: 201,
    request: () => ({
      method: 'POST',
      url: '/v1/organisations',
      payload: {
        kinds: ['site'],
        legalName: 'Matrice',
        siren: validSiren(),
        address: { line: '1 rue', postcode: '69001', communeCode: '69381' },
      },
    }),
  },
  {
    label: 'PATCH /v1/service-categories/{code}',
    rule: 'operator-admin',
    ok: 200,
    request: () => ({ method: 'PATCH', url: '/v1/service-categories/atelier-collectif', payload: { labelEn: 'Group workshop' } }),
  },
  {
    label: 'DELETE /v1/partnerships/{id}',
    rule: 'operator-admin',
    ok: 200,
    request: (_c, ctx) => ({ method: 'DELETE', url: `/v1/partnerships/${ctx.endedPartnershipId}` }),
  },
  { label: 'GET /v1/api-keys', rule: 'org-admin', ok: 200, request: () => ({ method: 'GET', url: '/v1/api-keys' }) },
  {
    label: 'POST /v1/api-keys',
    rule: 'org-admin',
    ok: 201,
    request: () => ({ method: 'POST', url: '/v1/api-keys', payload: { name: 'matrix', role: 'viewer' } }),
  },
  {
    label: 'PATCH /v1/organisations/{own}',
    rule: 'org-admin',
    ok: 200,
    request: (c, ctx) => ({
      method: 'PATCH',
      url: `/v1/organisations/${ctx.orgOf[c.kind].id}`,
      payload: { legalName: ctx.orgOf[c.kind].legalName },
    }),
  },
  { label: 'GET /v1/users', rule: 'admin-or-dpo', ok: 200, request: () => ({ method: 'GET', url: '/v1/users' }) },
  { label: 'GET /v1/organisations', rule: 'read', ok: 200, request: () => ({ method: 'GET', url: '/v1/organisations' }) },
  {
    label: 'GET /v1/organisations/{own}',
    rule: 'read',
    ok: 200,
    request: (c, ctx) => ({ method: 'GET', url: `/v1/organisations/${ctx.orgOf[c.kind].id}` }),
  },
  { label: 'GET /v1/service-categories', rule: 'read', ok: 200, request: () => ({ method: 'GET', url: '/v1/service-categories' }) },
  { label: 'GET /v1/partnerships', rule: 'partner-read', ok: 200, request: () => ({ method: 'GET', url: '/v1/partnerships' }) },
  { label: 'GET /v1/me', rule: 'me', ok: 200, request: () => ({ method: 'GET', url: '/v1/me' }) },
];

/**
 * The expected status, written out rule by rule. The guard checks, in order: API keys allowed
 * (else 403), organisation kind (else 404: the route is not theirs to know), role (else 403).
 */
function expectedStatus(route: RouteCase, c: Caller): number {
  switch (route.rule) {
    case 'operator-admin':
      if (c.apiKey) return 403;
      if (c.kind !== 'operator') return 404;
      return c.role === 'admin' ? route.ok : 403;
    case 'org-admin':
      if (c.apiKey) return 403;
      return c.role === 'admin' ? route.ok : 403;
    case 'admin-or-dpo':
      if (c.apiKey) return 403;
      return c.role === 'admin' || c.role === 'dpo' ? route.ok : 403;
    case 'read':
      return route.ok;
    case 'partner-read':
      return c.kind === 'site' ? 404 : route.ok;
    case 'me':
      return route.ok;
  }
}

describe('authorisation', () => {
  let t: TestApp;
  const ctx = {} as Ctx;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    ctx.orgOf = {} as Ctx['orgOf'];
    for (const kind of KINDS) ctx.orgOf[kind] = await seedOrganisation(t, { kinds: [kind] });
    for (const c of CALLERS) {
      const org = ctx.orgOf[c.kind];
      tokens.set(
        c.label,
        c.apiKey ? (await seedApiKey(t, org, { role: c.role })).secret : tokenFor(t, await seedUser(t, org, { role: c.role })),
      );
    }
    ctx.endedPartnershipId = await seedPartnership(t, ctx.orgOf.funder, ctx.orgOf.distributor, { ended: true });
  });
  afterAll(async () => {
    await t.close();
  });

  const matrix = ROUTES.flatMap((route) => CALLERS.map((caller) => ({ route, caller, expected: expectedStatus(route, caller) })));

  it.each(matrix.map((m) => [m.caller.label, m.route.label, m.expected, m] as const))('%s → %s → %i', async (_c, _r, expected, m) => {
    const req = m.route.request(m.caller, ctx);
    const res = await t.inject({ ...req, headers: bearer(tokens.get(m.caller.label)!) });
    expect(res.statusCode).toBe(expected);
    if (expected >= 400) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: expected, code: expected === 404 ? 'NOT_FOUND' : 'FORBIDDEN' });
    }
  });

  it('covers every role of every kind, the operator dpo and API keys, against every rule kind', () => {
    expect(new Set(matrix.map((m) => m.route.rule))).toEqual(
      new Set(['operator-admin', 'org-admin', 'admin-or-dpo', 'read', 'partner-read', 'me']),
    );
    expect(new Set(matrix.map((m) => m.expected))).toEqual(new Set([200, 201, 403, 404]));
    expect(matrix.length).toBe(ROUTES.length * CALLERS.length);
  });

  describe('across organisations', () => {
    let funderA: SeededOrganisation;
    let funderB: SeededOrganisation;
    let tokenA: string;
    let userB: string;
    let keyB: string;

    beforeAll(async () => {
      funderA = await seedOrganisation(t, { kinds: ['funder'], legalName: 'Funder A' });
      funderB = await seedOrganisation(t, { kinds: ['funder'], legalName: 'Funder B' });
      tokenA = tokenFor(t, await seedUser(t, funderA, { role: 'admin' }));
      userB = (await seedUser(t, funderB, { role: 'viewer', displayName: 'B user' })).id;
      keyB = (await seedApiKey(t, funderB, { role: 'viewer' })).id;
    });

    it.each([
      ['GET /v1/organisations/{B}', () => ({ method: 'GET' as const, url: `/v1/organisations/${funderB.id}` })],
      [
        'PATCH /v1/organisations/{B}',
        () => ({ method: 'PATCH' as const, url: `/v1/organisations/${funderB.id}`, payload: { legalName: 'Pris par A' } }),
      ],
      ['GET /v1/users/{B user}', () => ({ method: 'GET' as const, url: `/v1/users/${userB}` })],
      [
        'PATCH /v1/users/{B user}',
        () => ({ method: 'PATCH' as const, url: `/v1/users/${userB}`, payload: { displayName: 'Pris par A', role: 'admin' } }),
      ],
      ['POST /v1/users/{B user}/set-password-link', () => ({ method: 'POST' as const, url: `/v1/users/${userB}/set-password-link` })],
      ['DELETE /v1/api-keys/{B key}', () => ({ method: 'DELETE' as const, url: `/v1/api-keys/${keyB}` })],
      [
        'POST /v1/users into B',
        () => ({
          method: 'POST' as const,
          url: '/v1/users',
          payload: { email: 'into-b@example.test', displayName: 'X', role: 'viewer', organisationId: funderB.id },
        }),
      ],
    ])("funder A's admin gets 404 for %s", async (_label, build) => {
      const res = await t.inject({ ...build(), headers: bearer(tokenA) });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    });

    it("leaves funder B's data unchanged and out of funder A's lists", async () => {
      expect(await sql(t, `SELECT legal_name FROM organisation WHERE id = $1`, [funderB.id])).toEqual([{ legal_name: 'Funder B' }]);
      expect(await sql(t, `SELECT display_name, role FROM app_user WHERE id = $1`, [userB])).toEqual([
        { display_name: 'B user', role: 'viewer' },
      ]);
      expect(await sql(t, `SELECT revoked_at FROM api_key WHERE id = $1`, [keyB])).toEqual([{ revoked_at: null }]);
      expect(await sql(t, `SELECT count(*)::int AS n FROM set_password_token WHERE user_id = $1`, [userB])).toEqual([{ n: 0 }]);
      expect(await sql(t, `SELECT count(*)::int AS n FROM app_user WHERE email = 'into-b@example.test'`)).toEqual([{ n: 0 }]);
      const get = async (url: string) => (await t.inject({ method: 'GET', url, headers: bearer(tokenA) })).json().items as { id: string }[];
      expect((await get('/v1/organisations')).map((o) => o.id)).toEqual([funderA.id]);
      expect((await get(`/v1/users?organisationId=${funderB.id}`)).map((u) => u.id)).toEqual([]);
      expect((await get('/v1/users')).map((u) => u.id)).not.toContain(userB);
      expect((await get('/v1/api-keys')).map((k) => k.id)).not.toContain(keyB);
    });
  });

  it('shows a distributor partnered with two funders both of them, and not a third', async () => {
    const f1 = await seedOrganisation(t, { kinds: ['funder'] });
    const f2 = await seedOrganisation(t, { kinds: ['funder'] });
    const f3 = await seedOrganisation(t, { kinds: ['funder'] });
    const d = await seedOrganisation(t, { kinds: ['distributor'] });
    const otherD = await seedOrganisation(t, { kinds: ['distributor'] });
    await seedPartnership(t, f1, d);
    await seedPartnership(t, f2, d);
    await seedPartnership(t, f3, otherD);
    await seedPartnership(t, f3, d, { ended: true });
    const token = tokenFor(t, await seedUser(t, d, { role: 'viewer' }));
    const res = await t.inject({ method: 'GET', url: '/v1/organisations', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .items.map((o: { id: string }) => o.id)
        .sort(),
    ).toEqual([f1.id, f2.id, d.id].sort());
    expect((await t.inject({ method: 'GET', url: '/v1/organisations?kind=funder', headers: bearer(token) })).json().items).toHaveLength(2);
    expect((await t.inject({ method: 'GET', url: `/v1/organisations/${f3.id}`, headers: bearer(token) })).statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: `/v1/organisations/${f2.id}`, headers: bearer(token) })).statusCode).toBe(200);
  });

  describe('credentials', () => {
    it('answers 401 API_KEY_REVOKED for a revoked key', async () => {
      const key = await seedApiKey(t, ctx.orgOf.site, { role: 'agent', revoked: true });
      const res = await t.inject({ method: 'GET', url: '/v1/organisations', headers: bearer(key.secret) });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'API_KEY_REVOKED' });
    });

    function otherKeyToken(): string {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const user = { sub: '00000000-0000-4000-8000-000000000000', org: ctx.orgOf.operator.id, kinds: ['operator'], role: 'admin' };
      return jwt.sign(user, privateKey, { algorithm: 'ES256', audience: AUDIENCES.access, issuer: 'sillage', expiresIn: 60 });
    }

    it.each([
      ['no Authorization header', () => ({}), 'UNAUTHENTICATED'],
      ['an empty bearer', () => ({ authorization: 'Bearer ' }), 'UNAUTHENTICATED'],
      ['a garbage bearer', () => ({ authorization: 'Bearer not-a-token' }), 'UNAUTHENTICATED'],
      ['an unknown API key', () => ({ authorization: 'Bearer slg_doesnotexist0000000000000000000000000000' }), 'UNAUTHENTICATED'],
      ['another scheme', () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }), 'UNAUTHENTICATED'],
      ['a token signed by another key', () => bearer(otherKeyToken()), 'UNAUTHENTICATED'],
      [
        'an unsigned token (alg none)',
        () =>
          bearer(`${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`),
        'UNAUTHENTICATED',
      ],
      [
        'a token for another audience',
        () =>
          bearer(
            t.app
              .get(AccessTokenService)
              .sign({ sub: 'x', org: ctx.orgOf.operator.id, kinds: ['operator'], role: 'admin' }, AUDIENCES.totpEnrolment, 60),
          ),
        'UNAUTHENTICATED',
      ],
      [
        'an expired token',
        () =>
          bearer(
            t.app
              .get(AccessTokenService)
              .sign({ sub: 'x', org: ctx.orgOf.operator.id, kinds: ['operator'], role: 'admin' }, AUDIENCES.access, -60),
          ),
        'TOKEN_EXPIRED',
      ],
    ] as const)('answers 401 for %s', async (_label, headers, code) => {
      const before = await sql(t, `SELECT count(*)::int AS n FROM organisation`);
      for (const [method, url] of [
        ['GET', '/v1/organisations'],
        ['POST', '/v1/organisations'],
        ['GET', '/v1/me'],
      ] as const) {
        const res = await t.inject({
          method,
          url,
          headers: headers(),
          ...(method === 'POST'
            ? {
                payload: {
                  kinds: ['site'],
                  legalName: 'X',
                  siren: validSiren(),
                  address: { line: 'l', postcode: '69001', communeCode: '69381' },
                },
              }
            : {}),
        });
        expect({ url, status: res.statusCode, code: res.json().code }).toEqual({ url, status: 401, code });
      }
      expect(await sql(t, `SELECT count(*)::int AS n FROM organisation`)).toEqual(before);
    });
  });
});
