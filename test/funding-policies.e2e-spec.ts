import {
  auditEventsDuring,
  bearer,
  createTestApp,
  seedOrganisation,
  seedUser,
  sql,
  tableCounts,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';

/** Policies and their announcements: written by operator admins, read by the operator and the funders holding a grant. */
describe('funding: policies', () => {
  let t: TestApp;
  let opToken: string;
  let opViewerToken: string;
  let funderToken: string;
  let otherFunderToken: string;
  let distributorToken: string;
  let funderId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    opToken = tokenFor(t, await seedUser(t, operator, { role: 'admin' }));
    opViewerToken = tokenFor(t, await seedUser(t, operator, { role: 'viewer' }));
    const funder = await seedOrganisation(t, { kinds: ['funder'] });
    funderId = funder.id;
    funderToken = tokenFor(t, await seedUser(t, funder, { role: 'admin' }));
    const otherFunder = await seedOrganisation(t, { kinds: ['funder'] });
    otherFunderToken = tokenFor(t, await seedUser(t, otherFunder, { role: 'admin' }));
    const distributor = await seedOrganisation(t, { kinds: ['distributor'] });
    distributorToken = tokenFor(t, await seedUser(t, distributor, { role: 'admin' }));
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, payload: object | string, token = opToken) =>
    t.inject({
      method: 'POST',
      url,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const get = (url: string, token = opToken) => t.inject({ method: 'GET', url, headers: bearer(token) });
  const createPolicy = async (name = 'Pass numérique') => {
    const res = await post('/v1/policies', { name, description: 'Inclusion numérique' });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string; name: string }>();
  };
  /** A grant to `funder` under a new programme of the policy, written directly (the grant routes have their own tests). */
  const seedGrant = async (policyId: string, funder: string) => {
    const [p] = await sql<{ id: string }>(
      t,
      `INSERT INTO programme (policy_id, name, max_cofinancing_rate_bp) VALUES ($1, 'AAP', 5000) RETURNING id`,
      [policyId],
    );
    await sql(
      t,
      `INSERT INTO funding_grant (programme_id, funder_id, amount_cents, cofinancing_rate_bp, awarded_on, end_date)
       VALUES ($1, $2, 100000, 3000, '2026-01-01', '2027-01-01')`,
      [p.id, funder],
    );
  };

  it('creates, reads, updates a policy and records announcements, one audit event each', async () => {
    const { result: res, events } = await auditEventsDuring(t, () => post('/v1/policies', { name: 'Pass numérique', description: 'Plan' }));
    expect(res.statusCode).toBe(201);
    const policy = res.json();
    expect(policy).toEqual({
      id: expect.any(String),
      name: 'Pass numérique',
      description: 'Plan',
      slug: null,
      publishedAt: null,
      announcements: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(events.map((e) => [e.action, e.subject.id])).toEqual([['policy.created', policy.id]]);

    const a1 = await auditEventsDuring(t, () =>
      post(`/v1/policies/${policy.id}/announcements`, {
        label: 'Annonce du plan',
        amountCents: 1_000_000_000,
        announcedOn: '2018-09-13',
        sourceReference: 'https://example.test/dp',
      }),
    );
    expect(a1.result.statusCode).toBe(201);
    expect(a1.result.json()).toMatchObject({
      policyId: policy.id,
      amountCents: 1_000_000_000,
      minAmountCents: null,
      announcedOn: '2018-09-13',
    });
    expect(a1.events.map((e) => [e.action, e.facts])).toEqual([
      ['policy.announcement_added', { announcementId: a1.result.json().id, amountCents: 1_000_000_000, announcedOn: '2018-09-13' }],
    ]);
    const a2 = await post(`/v1/policies/${policy.id}/announcements`, {
      label: 'Fourchette',
      minAmountCents: 3_000_000_000,
      maxAmountCents: 3_000_000_000,
      announcedOn: '2018-03-01',
      sourceReference: 'JO',
    });
    expect(a2.statusCode).toBe(201);

    const one = await get(`/v1/policies/${policy.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().announcements.map((a: { label: string }) => a.label)).toEqual(['Fourchette', 'Annonce du plan']);

    const patched = await auditEventsDuring(t, () =>
      t.inject({ method: 'PATCH', url: `/v1/policies/${policy.id}`, headers: bearer(opToken), payload: { name: 'Pass numérique 2' } }),
    );
    expect(patched.result.statusCode).toBe(200);
    expect(patched.result.json()).toMatchObject({ name: 'Pass numérique 2', description: 'Plan' });
    expect(patched.events.map((e) => [e.action, e.facts])).toEqual([['policy.updated', { changed: 'name' }]]);
  });

  it('lists with keyset pagination and a name filter', async () => {
    const tag = `Liste ${Date.now()}`;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createPolicy(`${tag} ${i}`)).id);
    const first = (await get(`/v1/policies?limit=2&q=${encodeURIComponent(tag)}`)).json();
    expect(first.items.map((p: { id: string }) => p.id)).toEqual(ids.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(`/v1/policies?limit=2&q=${encodeURIComponent(tag)}&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
    expect((await get('/v1/policies?cursor=nonsense')).statusCode).toBe(400);
  });

  it('lets a funder read the policies it holds a grant under, and answers 404 otherwise', async () => {
    const mine = await createPolicy('Avec subvention');
    const other = await createPolicy('Sans subvention');
    await seedGrant(mine.id, funderId);
    expect((await get(`/v1/policies/${mine.id}`, funderToken)).statusCode).toBe(200);
    expect((await get(`/v1/policies/${other.id}`, funderToken)).statusCode).toBe(404);
    expect((await get(`/v1/policies/${mine.id}`, otherFunderToken)).statusCode).toBe(404);
    expect((await get(`/v1/policies/${mine.id}`, distributorToken)).statusCode).toBe(404);
    expect((await get(`/v1/policies`, distributorToken)).statusCode).toBe(404);
    const listed = (await get('/v1/policies?limit=100', funderToken)).json();
    expect(listed.items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    expect((await get('/v1/policies?limit=100', otherFunderToken)).json().items).toEqual([]);
    expect((await get(`/v1/policies?funderId=${funderId}`, otherFunderToken)).json().items).toEqual([]);
    expect((await get(`/v1/policies?funderId=${funderId}&limit=100`)).json().items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    expect((await get(`/v1/policies/${unknownId()}`)).statusCode).toBe(404);
    expect((await get('/v1/policies/not-a-uuid')).statusCode).toBe(404);
  });

  it('refuses writes by funders (404) and by operator viewers (403)', async () => {
    const before = await tableCounts(t, ['policy', 'audit_event']);
    expect((await post('/v1/policies', { name: 'X' }, funderToken)).statusCode).toBe(404);
    expect((await post('/v1/policies', { name: 'X' }, opViewerToken)).statusCode).toBe(403);
    expect(await tableCounts(t, ['policy', 'audit_event'])).toEqual(before);
  });

  const announcement = { label: 'A', amountCents: 100, announcedOn: '2026-01-15', sourceReference: 'ref' };
  const badAnnouncements: [string, object | string, string][] = [
    ['malformed JSON', '{"label": ', 'body'],
    ['unknown field', { ...announcement, extra: 1 }, 'extra'],
    ['missing label', { ...announcement, label: undefined }, 'label'],
    ['amount as a string', { ...announcement, amountCents: '100' }, 'amountCents'],
    ['zero amount', { ...announcement, amountCents: 0 }, 'amountCents'],
    ['negative amount', { ...announcement, amountCents: -5 }, 'amountCents'],
    ['fractional amount', { ...announcement, amountCents: 1.5 }, 'amountCents'],
    ['unsafe integer', { ...announcement, amountCents: 2 ** 60 }, 'amountCents'],
    ['min > max', { ...announcement, amountCents: undefined, minAmountCents: 500, maxAmountCents: 100 }, 'maxAmountCents'],
    ['min without max', { ...announcement, amountCents: undefined, minAmountCents: 500 }, 'maxAmountCents'],
    ['amount and range', { ...announcement, minAmountCents: 1, maxAmountCents: 2 }, 'amountCents'],
    ['no amount at all', { ...announcement, amountCents: undefined }, 'minAmountCents'],
    ['impossible date', { ...announcement, announcedOn: '2026-02-30' }, 'announcedOn'],
    ['date with time', { ...announcement, announcedOn: '2026-01-15T00:00:00Z' }, 'announcedOn'],
    ['date as a number', { ...announcement, announcedOn: 20260115 }, 'announcedOn'],
  ];
  it.each(badAnnouncements)('refuses an announcement with %s, naming the field, writing nothing', async (_, payload, field) => {
    const policy = await createPolicy();
    const before = await tableCounts(t, ['policy_announcement', 'audit_event']);
    const res = await post(`/v1/policies/${policy.id}/announcements`, payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect([problem.field, ...(problem.errors ?? []).map((e: { field: string }) => e.field)]).toContain(field);
    expect(await tableCounts(t, ['policy_announcement', 'audit_event'])).toEqual(before);
  });

  it.each([
    ['missing name', {}, 'name'],
    ['empty name', { name: '' }, 'name'],
    ['name as a number', { name: 3 }, 'name'],
    ['unknown field', { name: 'x', budget: 1 }, 'budget'],
  ])('refuses a policy with %s', async (_, payload, field) => {
    const before = await tableCounts(t, ['policy', 'audit_event']);
    const res = await post('/v1/policies', payload);
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect([problem.field, ...(problem.errors ?? []).map((e: { field: string }) => e.field)]).toContain(field);
    expect(await tableCounts(t, ['policy', 'audit_event'])).toEqual(before);
  });

  it('refuses an oversized body with 413, writing nothing', async () => {
    const policy = await createPolicy();
    const before = await tableCounts(t, ['policy', 'policy_announcement', 'audit_event']);
    const big = await post(`/v1/policies/${policy.id}/announcements`, {
      ...announcement,
      label: 'x'.repeat(t.config.http.bodyLimitBytes + 1),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'body' });
    expect((await post('/v1/policies', { name: 'x'.repeat(t.config.http.bodyLimitBytes + 1) })).statusCode).toBe(413);
    expect(await tableCounts(t, ['policy', 'policy_announcement', 'audit_event'])).toEqual(before);
  });

  it('refuses an empty PATCH and an announcement on an unknown policy', async () => {
    const policy = await createPolicy();
    const before = await tableCounts(t, ['policy_announcement', 'audit_event']);
    const empty = await t.inject({ method: 'PATCH', url: `/v1/policies/${policy.id}`, headers: bearer(opToken), payload: {} });
    expect(empty.statusCode).toBe(400);
    expect((await post(`/v1/policies/${unknownId()}/announcements`, announcement)).statusCode).toBe(404);
    expect(await tableCounts(t, ['policy_announcement', 'audit_event'])).toEqual(before);
  });
});
