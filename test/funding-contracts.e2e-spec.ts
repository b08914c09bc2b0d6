import {
  auditEventsDuring,
  bearer,
  createTestApp,
  seedApiKey,
  seedOrganisation,
  seedUser,
  tableCounts,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';

/** Contracts between a funder and the operator: written by operator admins, read by the operator and that funder. */
describe('funding: contracts', () => {
  let t: TestApp;
  let opToken: string;
  let funderToken: string;
  let otherFunderToken: string;
  let distributorToken: string;
  let funderId: string;
  let otherFunderId: string;
  let distributorId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    opToken = tokenFor(t, await seedUser(t, operator, { role: 'admin' }));
    const funder = await seedOrganisation(t, { kinds: ['funder'] });
    funderId = funder.id;
    funderToken = tokenFor(t, await seedUser(t, funder, { role: 'viewer' }));
    const otherFunder = await seedOrganisation(t, { kinds: ['funder'] });
    otherFunderId = otherFunder.id;
    otherFunderToken = tokenFor(t, await seedUser(t, otherFunder, { role: 'admin' }));
    const distributor = await seedOrganisation(t, { kinds: ['distributor'] });
    distributorId = distributor.id;
    distributorToken = tokenFor(t, await seedUser(t, distributor, { role: 'admin' }));
  });
  afterAll(async () => {
    await t.close();
  });

  let seq = 0;
  const contract = (over: object = {}) => ({
    funderId,
    reference: `MP-2026-${seq++}`,
    publishedOn: '2026-01-05',
    notifiedOn: '2026-02-01',
    endDate: '2029-12-31',
    upstreamFeeRateBp: 400,
    ...over,
  });
  const post = (payload: object | string, token = opToken) =>
    t.inject({
      method: 'POST',
      url: '/v1/contracts',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const get = (url: string, token = opToken) => t.inject({ method: 'GET', url, headers: bearer(token) });

  it('records a contract with one audit event; the funder reads it, others get 404', async () => {
    const body = contract();
    const { result: res, events } = await auditEventsDuring(t, () => post(body));
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toEqual({ id: expect.any(String), ...body, createdAt: expect.any(String) });
    expect(events.map((e) => [e.action, e.subject.id, e.facts])).toEqual([
      ['contract.created', c.id, { funderId, upstreamFeeRateBp: 400, publishedOn: '2026-01-05', notifiedOn: '2026-02-01' }],
    ]);
    expect((await get(`/v1/contracts/${c.id}`, funderToken)).json()).toEqual(c);
    expect((await get(`/v1/contracts/${c.id}`, otherFunderToken)).statusCode).toBe(404);
    expect((await get(`/v1/contracts/${c.id}`, distributorToken)).statusCode).toBe(404);
    expect((await get('/v1/contracts', distributorToken)).statusCode).toBe(404);
    expect((await get(`/v1/contracts/${unknownId()}`)).statusCode).toBe(404);
    // A funder’s API key reads the same; API keys may not call the write routes (403, the guard’s rule).
    const key = await seedApiKey(t, { id: funderId }, { role: 'admin' });
    expect((await get(`/v1/contracts/${c.id}`, key.secret)).json()).toEqual(c);
    expect((await post(contract(), key.secret)).statusCode).toBe(403);
  });

  it('lists contracts: all for the operator (filter funderId, keyset pages), own only for a funder', async () => {
    const mine = [(await post(contract())).json().id, (await post(contract())).json().id, (await post(contract())).json().id];
    const theirs = (await post(contract({ funderId: otherFunderId }))).json().id;
    const first = (await get(`/v1/contracts?funderId=${otherFunderId}`)).json();
    expect(first.items.map((c: { id: string }) => c.id)).toEqual([theirs]);
    const asFunder = (await get('/v1/contracts?limit=100', funderToken)).json();
    expect(asFunder.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(mine));
    expect(asFunder.items.map((c: { id: string }) => c.id)).not.toContain(theirs);
    expect((await get(`/v1/contracts?funderId=${otherFunderId}`, funderToken)).json().items).toEqual([]);
    const page1 = (await get(`/v1/contracts?funderId=${funderId}&limit=2`)).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (await get(`/v1/contracts?funderId=${funderId}&limit=100&cursor=${page1.nextCursor}`)).json();
    const all = [...page1.items, ...page2.items].map((c: { id: string }) => c.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(mine));
  });

  it('refuses a reference the funder already used (409), and writes by a funder (404)', async () => {
    const body = contract();
    expect((await post(body)).statusCode).toBe(201);
    const before = await tableCounts(t, ['funding_contract', 'audit_event']);
    const dup = await post({ ...body, endDate: '2030-01-01' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'CONTRACT_REFERENCE_TAKEN', field: 'reference' });
    expect((await post(contract(), otherFunderToken)).statusCode).toBe(404);
    expect(await tableCounts(t, ['funding_contract', 'audit_event'])).toEqual(before);
    // Another funder may use the same reference.
    expect((await post({ ...body, funderId: otherFunderId })).statusCode).toBe(201);
  });

  it.each([
    ['malformed JSON', '{"funderId": ', 'body', 'MALFORMED_JSON'],
    ['unknown field', { vat: 20 }, 'vat', 'VALIDATION_FAILED'],
    ['missing reference', { reference: undefined }, 'reference', 'VALIDATION_FAILED'],
    ['fee rate above 10000', { upstreamFeeRateBp: 10001 }, 'upstreamFeeRateBp', 'VALIDATION_FAILED'],
    ['negative fee rate', { upstreamFeeRateBp: -1 }, 'upstreamFeeRateBp', 'VALIDATION_FAILED'],
    ['fee rate as a string', { upstreamFeeRateBp: '400' }, 'upstreamFeeRateBp', 'VALIDATION_FAILED'],
    ['impossible date', { publishedOn: '2026-02-30' }, 'publishedOn', 'VALIDATION_FAILED'],
    ['notified before published', { notifiedOn: '2026-01-04' }, 'notifiedOn', 'DATES_OUT_OF_ORDER'],
    ['ending before notification', { endDate: '2026-01-31' }, 'endDate', 'DATES_OUT_OF_ORDER'],
    ['a distributor as funder', () => ({ funderId: distributorId }), 'funderId', 'FUNDER_INVALID'],
    ['a malformed funder id', { funderId: 'x' }, 'funderId', 'VALIDATION_FAILED'],
  ])('refuses a contract with %s, naming the field, writing nothing', async (_, payload, field, code) => {
    const before = await tableCounts(t, ['funding_contract', 'audit_event']);
    const res = await post(typeof payload === 'string' ? payload : contract(typeof payload === 'function' ? payload() : payload));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem.code).toBe(code);
    expect([problem.field, ...(problem.errors ?? []).map((e: { field: string }) => e.field)]).toContain(field);
    expect(await tableCounts(t, ['funding_contract', 'audit_event'])).toEqual(before);
  });
});
