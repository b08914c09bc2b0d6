import {
  bearer,
  createTestApp,
  SeededOrganisation,
  seedApiKey,
  seedOrganisation,
  seedUser,
  TestApp,
  tokenFor,
  validSiren,
  validSiret,
} from '@sillage/testing';
import { Client } from 'pg';

/**
 * Bad input on every directory route with a body, a path parameter or query parameters: always a
 * 4xx application/problem+json naming the offending field, never a 500, and nothing written.
 * (Health and authentication routes are covered by their own suites.)
 */

const TABLES = [
  'organisation',
  'partnership',
  'service_category',
  'app_user',
  'api_key',
  'set_password_token',
  'refresh_token',
  'outbox_message',
  'audit_event',
] as const;

interface Ctx {
  opToken: string;
  adminToken: string;
  funder: SeededOrganisation;
  distributor: SeededOrganisation;
  colleagueId: string;
  apiKeyId: string;
}

type Method = 'POST' | 'PATCH' | 'GET' | 'DELETE';
type Body = Record<string, unknown>;

interface BodyRoute {
  label: string;
  method: Method;
  url: (c: Ctx) => string;
  token: (c: Ctx) => string;
  /** A body the route accepts (checked last, so the bad cases differ from it only by their defect). */
  valid: (c: Ctx) => Body;
  /** Fields that must be present ([] for PATCH: an empty body is refused as a whole). */
  required: string[];
  /** A string field to pad past the body limit. */
  padField: string;
  /** [what, patch applied to the valid body, field the problem must name, status, code]. */
  bad: [string, (b: Body, c: Ctx) => Body, string, number?, string?][];
  okStatus: number;
}

const unknownUuid = '7d3b9c1e-5f2a-4e8b-9c0d-1a2b3c4d5e6f';

const BODY_ROUTES: BodyRoute[] = [
  {
    label: 'POST /v1/organisations',
    method: 'POST',
    url: () => '/v1/organisations',
    token: (c) => c.opToken,
    valid: () => {
      const siren = validSiren();
      return {
        kinds: ['funder'],
        funderType: 'company',
        legalName: 'Entreprise Valide',
        siren,
        siret: validSiret(siren),
        address: { line: '5 rue Garibaldi', postcode: '69006', communeCode: '69386' },
      };
    },
    required: ['kinds', 'legalName', 'siren', 'address'],
    padField: 'legalName',
    okStatus: 201,
    bad: [
      ['kinds as a string', (b) => ({ ...b, kinds: 'funder' }), 'kinds'],
      ['kinds empty', (b) => ({ ...b, kinds: [] }), 'kinds'],
      ['an unknown kind', (b) => ({ ...b, kinds: ['bank'] }), 'kinds'],
      ['kinds repeated', (b) => ({ ...b, kinds: ['funder', 'funder'] }), 'kinds'],
      ['an unknown funderType', (b) => ({ ...b, funderType: 'bank' }), 'funderType'],
      ['legalName as a number', (b) => ({ ...b, legalName: 42 }), 'legalName'],
      ['a blank legalName', (b) => ({ ...b, legalName: '   ' }), 'legalName'],
      ['a 201-character legalName', (b) => ({ ...b, legalName: 'x'.repeat(201) }), 'legalName'],
      ['a NUL character in legalName', (b) => ({ ...b, legalName: 'Entre\u0000prise' }), 'legalName'],
      [
        'a line break in the address line',
        (b) => ({ ...b, address: { ...(b.address as Body), line: '5 rue\nGaribaldi' } }),
        'address.line',
      ],
      ['siren as a number', (b) => ({ ...b, siren: Number(b.siren) }), 'siren'],
      ['a SIREN failing its check digit', (b) => ({ ...b, siren: badCheckDigit(b.siren as string), siret: undefined }), 'siren'],
      [
        'a SIREN with spaces',
        (b) => ({ ...b, siren: `${(b.siren as string).slice(0, 3)} ${(b.siren as string).slice(3)}`, siret: undefined }),
        'siren',
      ],
      ['a SIRET failing its check digit', (b) => ({ ...b, siret: badCheckDigit(b.siret as string) }), 'siret'],
      ['a SIRET of 13 digits', (b) => ({ ...b, siret: (b.siret as string).slice(0, 13) }), 'siret'],
      ['a SIRET of another SIREN', (b) => ({ ...b, siret: validSiret(validSiren()) }), 'siret', 400, 'VALIDATION_FAILED'],
      ['a funder without funderType', (b) => ({ ...b, funderType: undefined }), 'funderType', 400, 'ORGANISATION_KIND_INVALID'],
      ['the operator kind', (b) => ({ ...b, kinds: ['operator'], funderType: undefined }), 'kinds', 400, 'ORGANISATION_KIND_INVALID'],
      ['address as a string', (b) => ({ ...b, address: 'Lyon' }), 'address'],
      ['address as null', (b) => ({ ...b, address: null }), 'address'],
      ['a postcode as a number', (b) => ({ ...b, address: { ...(b.address as Body), postcode: 69006 } }), 'address.postcode'],
      ['a 4-digit postcode', (b) => ({ ...b, address: { ...(b.address as Body), postcode: '6906' } }), 'address.postcode'],
      [
        'a commune code that does not exist',
        (b) => ({ ...b, address: { ...(b.address as Body), communeCode: '75000' } }),
        'address.communeCode',
      ],
      ['a commune code as a number', (b) => ({ ...b, address: { ...(b.address as Body), communeCode: 69386 } }), 'address.communeCode'],
      ['a missing commune code', (b) => ({ ...b, address: { line: 'x', postcode: '69006' } }), 'address.communeCode'],
      ['an unknown address field', (b) => ({ ...b, address: { ...(b.address as Body), country: 'FR' } }), 'address.country'],
    ],
  },
  {
    label: 'PATCH /v1/organisations/{id}',
    method: 'PATCH',
    url: (c) => `/v1/organisations/${c.funder.id}`,
    token: (c) => c.opToken,
    valid: () => ({ legalName: 'Nouveau Nom' }),
    required: [],
    padField: 'legalName',
    okStatus: 200,
    bad: [
      ['legalName null', (b) => ({ ...b, legalName: null }), 'legalName'],
      ['legalName as an array', (b) => ({ ...b, legalName: ['a'] }), 'legalName'],
      ['a NUL character in legalName', (b) => ({ ...b, legalName: 'a\u0000' }), 'legalName'],
      ['kinds as a string', (b) => ({ ...b, kinds: 'site' }), 'kinds'],
      ['an invalid SIREN', (b) => ({ ...b, siren: '123456780' }), 'siren'],
      ['an invalid SIRET', (b) => ({ ...b, siret: '1234' }), 'siret'],
      ['an unknown funderType', (b) => ({ ...b, funderType: 'ngo' }), 'funderType'],
      ['a partial address', (b) => ({ ...b, address: { line: '1 rue' } }), 'address.postcode'],
      [
        'an invalid commune code',
        (b) => ({ ...b, address: { line: '1 rue', postcode: '69001', communeCode: '2C001' } }),
        'address.communeCode',
      ],
      ['address null', (b) => ({ ...b, address: null }), 'address'],
      ['an empty body', () => ({}), 'body'],
    ],
  },
  {
    label: 'POST /v1/partnerships',
    method: 'POST',
    url: () => '/v1/partnerships',
    token: (c) => c.opToken,
    valid: (c) => ({ funderId: c.funder.id, distributorId: c.distributor.id }),
    required: ['funderId', 'distributorId'],
    padField: 'funderId',
    okStatus: 201,
    bad: [
      ['funderId not a UUID', (b) => ({ ...b, funderId: 'funder-a' }), 'funderId'],
      ['funderId as a number', (b) => ({ ...b, funderId: 42 }), 'funderId'],
      ['distributorId null', (b) => ({ ...b, distributorId: null }), 'distributorId'],
      ['distributorId with SQL', (b) => ({ ...b, distributorId: "' OR 1=1 --" }), 'distributorId'],
      ['an unknown funder', (b) => ({ ...b, funderId: unknownUuid }), 'funderId', 400, 'PARTNERSHIP_INVALID'],
      ['a distributor that is not one', (b, c) => ({ ...b, distributorId: c.funder.id }), 'distributorId', 400, 'PARTNERSHIP_INVALID'],
    ],
  },
  {
    label: 'POST /v1/service-categories',
    method: 'POST',
    url: () => '/v1/service-categories',
    token: (c) => c.opToken,
    valid: () => ({ code: 'permanence-numerique', labelFr: 'Permanence', labelEn: 'Drop-in', active: true }),
    required: ['code', 'labelFr', 'labelEn'],
    padField: 'labelFr',
    okStatus: 201,
    bad: [
      ['an upper-case code', (b) => ({ ...b, code: 'Permanence' }), 'code'],
      ['a one-letter code', (b) => ({ ...b, code: 'p' }), 'code'],
      ['a 41-character code', (b) => ({ ...b, code: `p${'x'.repeat(40)}` }), 'code'],
      ['a code starting with a digit', (b) => ({ ...b, code: '1atelier' }), 'code'],
      ['a code as a number', (b) => ({ ...b, code: 12 }), 'code'],
      ['labelFr as a number', (b) => ({ ...b, labelFr: 1 }), 'labelFr'],
      ['a blank labelEn', (b) => ({ ...b, labelEn: ' ' }), 'labelEn'],
      ['a NUL character in labelFr', (b) => ({ ...b, labelFr: 'Perm\u0000' }), 'labelFr'],
      ['active as a string', (b) => ({ ...b, active: 'true' }), 'active'],
      ['a seeded code again', (b) => ({ ...b, code: 'atelier-collectif' }), 'code', 409, 'SERVICE_CATEGORY_EXISTS'],
    ],
  },
  {
    label: 'PATCH /v1/service-categories/{code}',
    method: 'PATCH',
    url: () => '/v1/service-categories/aide-demarches',
    token: (c) => c.opToken,
    valid: () => ({ labelEn: 'Online procedures' }),
    required: [],
    padField: 'labelEn',
    okStatus: 200,
    bad: [
      ['active as a string', (b) => ({ ...b, active: 'yes' }), 'active'],
      ['active null', (b) => ({ ...b, active: null }), 'active'],
      ['labelEn null', (b) => ({ ...b, labelEn: null }), 'labelEn'],
      ['a tab in labelEn', (b) => ({ ...b, labelEn: 'a\tb' }), 'labelEn'],
      ['a code in the body', (b) => ({ ...b, code: 'autre' }), 'code'],
      ['an empty body', () => ({}), 'body'],
    ],
  },
  {
    label: 'POST /v1/users',
    method: 'POST',
    url: () => '/v1/users',
    token: (c) => c.adminToken,
    valid: () => ({ email: 'nouvelle.personne@example.test', displayName: 'Nouvelle Personne', role: 'agent' }),
    required: ['email', 'displayName', 'role'],
    padField: 'displayName',
    okStatus: 201,
    bad: [
      ['an email without @', (b) => ({ ...b, email: 'nouvelle.personne' }), 'email'],
      ['an email as a number', (b) => ({ ...b, email: 42 }), 'email'],
      ['an email with a display name', (b) => ({ ...b, email: 'Nouvelle <n@example.test>' }), 'email'],
      ['a 255-character email', (b) => ({ ...b, email: `${'a'.repeat(243)}@example.test` }), 'email'],
      ['an empty displayName', (b) => ({ ...b, displayName: '' }), 'displayName'],
      ['a NUL character in displayName', (b) => ({ ...b, displayName: 'Nou\u0000velle' }), 'displayName'],
      ['a NUL character in email', (b) => ({ ...b, email: 'nou\u0000velle@example.test' }), 'email'],
      ['an unknown role', (b) => ({ ...b, role: 'root' }), 'role'],
      ['role as an array', (b) => ({ ...b, role: ['admin'] }), 'role'],
      ['organisationId not a UUID', (b) => ({ ...b, organisationId: 'mine' }), 'organisationId'],
      ['the dpo role outside the operator', (b) => ({ ...b, role: 'dpo' }), 'role', 400, 'ROLE_NOT_ALLOWED'],
      ['a status in the body', (b) => ({ ...b, status: 'active' }), 'status'],
      ['a password in the body', (b) => ({ ...b, password: 'Trombone-Velours-42' }), 'password'],
    ],
  },
  {
    label: 'PATCH /v1/users/{id}',
    method: 'PATCH',
    url: (c) => `/v1/users/${c.colleagueId}`,
    token: (c) => c.adminToken,
    valid: () => ({ displayName: 'Collègue Renommé' }),
    required: [],
    padField: 'displayName',
    okStatus: 200,
    bad: [
      ['an unknown role', (b) => ({ ...b, role: 'superadmin' }), 'role'],
      ['status invited', (b) => ({ ...b, status: 'invited' }), 'status'],
      ['an unknown status', (b) => ({ ...b, status: 'deleted' }), 'status'],
      ['displayName null', (b) => ({ ...b, displayName: null }), 'displayName'],
      ['an escape character in displayName', (b) => ({ ...b, displayName: '\u001b[31mRouge' }), 'displayName'],
      ['an email change', (b) => ({ ...b, email: 'autre@example.test' }), 'email'],
      ['an organisation change', (b) => ({ ...b, organisationId: unknownUuid }), 'organisationId'],
      ['an empty body', () => ({}), 'body'],
    ],
  },
  {
    label: 'POST /v1/api-keys',
    method: 'POST',
    url: () => '/v1/api-keys',
    token: (c) => c.adminToken,
    valid: () => ({ name: 'Borne accueil', role: 'agent' }),
    required: ['name', 'role'],
    padField: 'name',
    okStatus: 201,
    bad: [
      ['an empty name', (b) => ({ ...b, name: '' }), 'name'],
      ['a 101-character name', (b) => ({ ...b, name: 'n'.repeat(101) }), 'name'],
      ['a NUL character in name', (b) => ({ ...b, name: 'Borne\u0000' }), 'name'],
      ['role as a number', (b) => ({ ...b, role: 5 }), 'role'],
      ['an unknown role', (b) => ({ ...b, role: 'owner' }), 'role'],
      ['the dpo role', (b) => ({ ...b, role: 'dpo' }), 'role', 400, 'ROLE_NOT_ALLOWED'],
      ['an organisationId', (b) => ({ ...b, organisationId: unknownUuid }), 'organisationId'],
      ['a secret chosen by the client', (b) => ({ ...b, secret: 'slg_mine' }), 'secret'],
    ],
  },
];

interface ParamRoute {
  label: string;
  method: Method;
  url: (bad: string) => string;
  token: (c: Ctx) => string;
  payload?: Body;
  field: string;
  badValues: string[];
}

// Up to Fastify's 100-character limit on a path parameter; longer ones are checked separately.
const BAD_IDS = [
  'not-a-uuid',
  '12345',
  `${unknownUuid}0`,
  unknownUuid.replace(/-/g, ''),
  encodeURIComponent("' OR 1=1 --"),
  'x'.repeat(100),
];

const PARAM_ROUTES: ParamRoute[] = [
  {
    label: 'GET /v1/organisations/{id}',
    method: 'GET',
    url: (id) => `/v1/organisations/${id}`,
    token: (c) => c.opToken,
    field: 'id',
    badValues: BAD_IDS,
  },
  {
    label: 'PATCH /v1/organisations/{id}',
    method: 'PATCH',
    url: (id) => `/v1/organisations/${id}`,
    token: (c) => c.opToken,
    payload: { legalName: 'X' },
    field: 'id',
    badValues: BAD_IDS,
  },
  {
    label: 'DELETE /v1/partnerships/{id}',
    method: 'DELETE',
    url: (id) => `/v1/partnerships/${id}`,
    token: (c) => c.opToken,
    field: 'id',
    badValues: BAD_IDS,
  },
  {
    label: 'PATCH /v1/service-categories/{code}',
    method: 'PATCH',
    url: (code) => `/v1/service-categories/${code}`,
    token: (c) => c.opToken,
    payload: { active: false },
    field: 'code',
    badValues: ['Atelier-Collectif', 'a', `a${'b'.repeat(40)}`, encodeURIComponent("atelier' OR '1'='1"), '%C3%A9t%C3%A9'],
  },
  {
    label: 'GET /v1/users/{id}',
    method: 'GET',
    url: (id) => `/v1/users/${id}`,
    token: (c) => c.adminToken,
    field: 'id',
    badValues: BAD_IDS,
  },
  {
    label: 'PATCH /v1/users/{id}',
    method: 'PATCH',
    url: (id) => `/v1/users/${id}`,
    token: (c) => c.adminToken,
    payload: { displayName: 'X' },
    field: 'id',
    badValues: BAD_IDS,
  },
  {
    label: 'POST /v1/users/{id}/set-password-link',
    method: 'POST',
    url: (id) => `/v1/users/${id}/set-password-link`,
    token: (c) => c.adminToken,
    field: 'id',
    badValues: BAD_IDS,
  },
  {
    label: 'DELETE /v1/api-keys/{id}',
    method: 'DELETE',
    url: (id) => `/v1/api-keys/${id}`,
    token: (c) => c.adminToken,
    field: 'id',
    badValues: BAD_IDS,
  },
];

const wrongCursor = (k: unknown, id: unknown) => Buffer.from(JSON.stringify([k, id])).toString('base64url');

const COMMON_QUERY_CASES: [string, string, string][] = [
  ['limit=0', 'limit=0', 'limit'],
  ['limit=101', 'limit=101', 'limit'],
  ['limit=abc', 'limit=abc', 'limit'],
  ['limit=2.5', 'limit=2.5', 'limit'],
  ['limit twice', 'limit=1&limit=2', 'limit'],
  ['a cursor that is not base64 JSON', 'cursor=%%%', 'cursor'],
  ['a cursor of another shape', `cursor=${wrongCursor(1, 2)}`, 'cursor'],
  ['a cursor with an impossible date', `cursor=${wrongCursor('2024-13-45T00:00:00.000000Z', unknownUuid)}`, 'cursor'],
  ['a cursor with a bad id', `cursor=${wrongCursor('2024-01-01T00:00:00.000000Z', "'; DROP TABLE organisation; --")}`, 'cursor'],
  ['an unknown parameter', 'sort=legal_name', 'sort'],
];

const QUERY_ROUTES: { label: string; url: string; token: (c: Ctx) => string; cases: [string, string, string][] }[] = [
  {
    label: 'GET /v1/organisations',
    url: '/v1/organisations',
    token: (c) => c.opToken,
    cases: [
      ['an unknown kind', 'kind=bank', 'kind'],
      ['a commune code that does not exist', 'communeCode=75000', 'communeCode'],
      ['an empty q', 'q=', 'q'],
      ['a NUL character in q', 'q=a%00b', 'q'],
      ['a 101-character q', `q=${'q'.repeat(101)}`, 'q'],
    ],
  },
  {
    label: 'GET /v1/partnerships',
    url: '/v1/partnerships',
    token: (c) => c.opToken,
    cases: [
      ['funderId not a UUID', 'funderId=abc', 'funderId'],
      ['distributorId not a UUID', 'distributorId=1', 'distributorId'],
      ['active=yes', 'active=yes', 'active'],
    ],
  },
  {
    label: 'GET /v1/service-categories',
    url: '/v1/service-categories',
    token: (c) => c.adminToken,
    cases: [['active=1', 'active=1', 'active']],
  },
  {
    label: 'GET /v1/users',
    url: '/v1/users',
    token: (c) => c.opToken,
    cases: [
      ['organisationId not a UUID', 'organisationId=acme', 'organisationId'],
      ['an unknown role', 'role=root', 'role'],
      ['an unknown status', 'status=gone', 'status'],
    ],
  },
  { label: 'GET /v1/api-keys', url: '/v1/api-keys', token: (c) => c.adminToken, cases: [['revoked=maybe', 'revoked=maybe', 'revoked']] },
];

/** Changes the last (check) digit so the Luhn check fails. */
function badCheckDigit(s: string): string {
  return `${s.slice(0, -1)}${(Number(s.slice(-1)) + 1) % 10}`;
}

describe('bad input', () => {
  let t: TestApp;
  let admin: Client;
  const ctx = {} as Ctx;

  const counts = async (): Promise<Record<string, number>> => {
    const { rows } = await admin.query<Record<string, string>>(
      `SELECT ${TABLES.map((tb) => `(SELECT count(*) FROM ${tb}) AS ${tb}`).join(', ')}`,
    );
    return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
  };

  async function expectProblem(
    req: { method: Method; url: string; token: string; payload?: unknown; headers?: Record<string, string> },
    expected: { status: number; field: string; code?: string },
  ): Promise<void> {
    const before = await counts();
    const res = await t.inject({
      method: req.method,
      url: req.url,
      headers: { ...bearer(req.token), ...(req.headers ?? {}) },
      ...(req.payload !== undefined ? { payload: req.payload as string } : {}),
    });
    const body = res.json();
    expect({ status: res.statusCode, field: body.field, ...(expected.code ? { code: body.code } : {}) }).toEqual(expected);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(body).toMatchObject({ status: res.statusCode, code: expect.any(String), detail: expect.any(String) });
    expect(await counts()).toEqual(before);
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = new Client({ connectionString: t.db.adminUrl });
    await admin.connect();
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    ctx.opToken = tokenFor(t, await seedUser(t, operator, { role: 'admin' }));
    ctx.funder = await seedOrganisation(t, { kinds: ['funder'] });
    ctx.distributor = await seedOrganisation(t, { kinds: ['distributor'] });
    ctx.adminToken = tokenFor(t, await seedUser(t, ctx.funder, { role: 'admin' }));
    ctx.colleagueId = (await seedUser(t, ctx.funder, { role: 'viewer' })).id;
    ctx.apiKeyId = (await seedApiKey(t, ctx.funder, { role: 'viewer' })).id;
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  describe.each(BODY_ROUTES.map((r) => [r.label, r] as const))('%s', (_label, route) => {
    const send = (payload: unknown, headers?: Record<string, string>) => ({
      method: route.method,
      url: route.url(ctx),
      token: route.token(ctx),
      payload,
      headers,
    });
    const json = { 'content-type': 'application/json' };

    it('refuses malformed JSON', async () => {
      await expectProblem(send('{"legalName": "x",', json), { status: 400, field: 'body', code: 'MALFORMED_JSON' });
    });

    it('refuses an empty JSON body', async () => {
      await expectProblem(send('', json), { status: 400, field: 'body', code: 'MALFORMED_JSON' });
    });

    it.each([
      ['an array', '[]'],
      ['null', 'null'],
      ['a string', '"hello"'],
      ['a number', '42'],
    ])('refuses %s as the body', async (_what, raw) => {
      const before = await counts();
      const res = await t.inject({
        method: route.method,
        url: route.url(ctx),
        headers: { ...bearer(route.token(ctx)), ...json },
        payload: raw,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().field).toEqual(expect.any(String));
      expect(await counts()).toEqual(before);
    });

    it('refuses a prototype-polluting body', async () => {
      const raw = JSON.stringify(route.valid(ctx)).replace(/^\{/, '{"__proto__":{"admin":true},');
      await expectProblem(send(raw, json), { status: 400, field: 'body', code: 'MALFORMED_JSON' });
    });

    it('refuses an unknown field, naming it', async () => {
      await expectProblem(send({ ...route.valid(ctx), isAdmin: true }), { status: 400, field: 'isAdmin', code: 'VALIDATION_FAILED' });
    });

    if (route.required.length > 0) {
      it.each(route.required)('refuses a body without %s, naming it', async (field) => {
        const body = route.valid(ctx);
        delete body[field];
        await expectProblem(send(body), { status: 400, field, code: 'VALIDATION_FAILED' });
      });
    }

    it.each(route.bad.map(([what, make, field, status, code]) => [what, make, field, status ?? 400, code ?? 'VALIDATION_FAILED'] as const))(
      'refuses %s',
      async (_what, make, field, status, code) => {
        const body = make(route.valid(ctx), ctx);
        await expectProblem(send(JSON.parse(JSON.stringify(body))), { status, field, code });
      },
    );

    it('refuses a body over the size limit with 413', async () => {
      const body = { ...route.valid(ctx), [route.padField]: 'x'.repeat(t.config.http.bodyLimitBytes + 1) };
      await expectProblem(send(body), { status: 413, field: 'body', code: 'PAYLOAD_TOO_LARGE' });
    });
  });

  describe.each(PARAM_ROUTES.map((r) => [r.label, r] as const))('%s', (_label, route) => {
    it.each(route.badValues)('answers 404 naming the parameter for %s', async (bad) => {
      await expectProblem(
        { method: route.method, url: route.url(bad), token: route.token(ctx), payload: route.payload },
        { status: 404, field: route.field, code: 'NOT_FOUND' },
      );
    });
  });

  // Fastify's router refuses these before any hook or handler runs (no Nest, no database).
  const routerRefusals = PARAM_ROUTES.flatMap((r) => [
    [`a 300-character parameter of ${r.label}`, r, 'x'.repeat(300), 414] as const,
    [`a broken percent-encoding in ${r.label}`, r, '%E0%A4%A', 400] as const,
  ]);

  it.each(routerRefusals)('refuses %s with a 4xx, never a 500, writing nothing', async (_l, route, bad, status) => {
    const before = await counts();
    const res = await t.inject({
      method: route.method,
      url: route.url(bad),
      headers: bearer(route.token(ctx)),
      ...(route.payload ? { payload: route.payload } : {}),
    });
    expect(res.statusCode).toBe(status);
    expect(await counts()).toEqual(before);
  });

  // Router errors happen before any hook or handler; they still answer problem+json.
  it.each(routerRefusals)('answers problem+json for %s', async (_l, route, bad, status) => {
    const res = await t.inject({ method: route.method, url: route.url(bad), headers: bearer(route.token(ctx)) });
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status, requestId: expect.any(String) });
  });

  describe.each(QUERY_ROUTES.map((r) => [r.label, r] as const))('%s', (_label, route) => {
    it.each([...COMMON_QUERY_CASES, ...route.cases])('refuses %s', async (_what, query, field) => {
      await expectProblem({ method: 'GET', url: `${route.url}?${query}`, token: route.token(ctx) }, { status: 400, field });
    });
  });

  // Last: the bodies used above are accepted as they are, so every refusal came from its defect.
  it.each(BODY_ROUTES.map((r) => [r.label, r] as const))('accepts the valid body of %s', async (_label, route) => {
    const res = await t.inject({ method: route.method, url: route.url(ctx), headers: bearer(route.token(ctx)), payload: route.valid(ctx) });
    expect(res.statusCode).toBe(route.okStatus);
  });
});
