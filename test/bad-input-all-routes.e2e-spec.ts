import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTestApp, seedOrganisation, seedUser, TestApp, tokenFor } from '@sillage/testing';

jest.setTimeout(120_000);

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: unknown }>>;
}

const GARBAGE_BODIES: (string | undefined)[] = [
  '[]',
  '"text"',
  '42',
  'null',
  '{"unexpected": {"deep": [1, 2]}}',
  '{"limit": -1, "id": "x"}',
];
const BAD_IDS = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', "'; DROP TABLE booklet; --", 'SLG-0000-000000-99'];

/**
 * Every route of the published API (openapi.json), called with malformed path parameters, garbage
 * bodies and garbage query strings by users of every kind: the answer is never a 500, and every
 * refusal is an application/problem+json document.
 */
describe('bad input on every route', () => {
  let t: TestApp;
  let tokens: string[];
  const spec = JSON.parse(readFileSync(resolve(__dirname, '../openapi.json'), 'utf8')) as OpenApi;
  const routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ path, method: method.toUpperCase() })),
  );

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    const funder = await seedOrganisation(t, { kinds: ['funder'] });
    const distributor = await seedOrganisation(t, { kinds: ['distributor'] });
    tokens = [
      tokenFor(t, await seedUser(t, operator, { role: 'admin' })),
      tokenFor(t, await seedUser(t, operator, { role: 'dpo' })),
      tokenFor(t, await seedUser(t, funder, { role: 'admin' })),
      tokenFor(t, await seedUser(t, distributor, { role: 'agent' })),
    ];
  });
  afterAll(async () => {
    await t.close();
  });

  it('covers the routes of this release', () => {
    expect(routes.length).toBeGreaterThan(90);
  });

  it('never answers 500; refusals are problem+json', async () => {
    const failures: string[] = [];
    for (const { path, method } of routes) {
      if (path.startsWith('/admin/queues') || path === '/metrics' || path.startsWith('/health')) continue;
      for (const badId of path.includes('{') ? BAD_IDS : [undefined]) {
        const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(badId ?? '')) + '?cursor=%%%&limit=abc&purpose=nope';
        for (const token of tokens) {
          for (const body of method === 'GET' ? [undefined] : GARBAGE_BODIES) {
            const res = await t.inject({
              method: method as 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
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
