import {
  auditEventsDuring,
  bearer,
  createTestApp,
  SeededOrganisation,
  SeededUser,
  seedOrganisation,
  seedPartnership,
  seedUser,
  sql,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';

/** Partnerships: a distributor working for a funder, created and ended by the operator. */
describe('partnerships', () => {
  let t: TestApp;
  let operatorAdmin: SeededUser;
  let opToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    operatorAdmin = await seedUser(t, operator, { role: 'admin' });
    opToken = tokenFor(t, operatorAdmin);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (body: object, token = opToken) =>
    t.inject({ method: 'POST', url: '/v1/partnerships', headers: bearer(token), payload: body });
  const end = (id: string, token = opToken) => t.inject({ method: 'DELETE', url: `/v1/partnerships/${id}`, headers: bearer(token) });
  const list = async (token: string, query = '') => {
    const res = await t.inject({ method: 'GET', url: `/v1/partnerships${query}`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    return res.json<{
      items: { id: string; funderId: string; distributorId: string; endedAt: string | null }[];
      nextCursor: string | null;
    }>();
  };

  describe('POST /v1/partnerships', () => {
    it('partners a distributor with a funder, with one audit event', async () => {
      const funder = await seedOrganisation(t, { kinds: ['funder'] });
      const distributor = await seedOrganisation(t, { kinds: ['distributor', 'site'] });
      const { result: res, events } = await auditEventsDuring(t, () => create({ funderId: funder.id, distributorId: distributor.id }));
      expect(res.statusCode).toBe(201);
      const p = res.json();
      expect(p).toEqual({
        id: expect.any(String),
        funderId: funder.id,
        distributorId: distributor.id,
        createdAt: expect.any(String),
        endedAt: null,
      });
      expect(await sql(t, `SELECT funder_id, distributor_id, ended_at FROM partnership WHERE id = $1`, [p.id])).toEqual([
        { funder_id: funder.id, distributor_id: distributor.id, ended_at: null },
      ]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'partnership.created',
        actor: { type: 'user', id: operatorAdmin.id },
        subject: { type: 'partnership', id: p.id },
        facts: { funderId: funder.id, distributorId: distributor.id },
      });
    });

    it('answers 409 PARTNERSHIP_EXISTS for a second active partnership of the same pair', async () => {
      const funder = await seedOrganisation(t, { kinds: ['funder'] });
      const distributor = await seedOrganisation(t, { kinds: ['distributor'] });
      expect((await create({ funderId: funder.id, distributorId: distributor.id })).statusCode).toBe(201);
      const res = await create({ funderId: funder.id, distributorId: distributor.id });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'PARTNERSHIP_EXISTS' });
      expect(await sql(t, `SELECT count(*)::int AS n FROM partnership WHERE funder_id = $1`, [funder.id])).toEqual([{ n: 1 }]);
    });

    it.each([
      ['the funder is not a funder', { funder: ['distributor'], distributor: ['distributor'] }, 'funderId'],
      ['the distributor is not a distributor', { funder: ['funder'], distributor: ['site'] }, 'distributorId'],
      ['the funder is unknown', { funder: null, distributor: ['distributor'] }, 'funderId'],
      ['the distributor is unknown', { funder: ['funder'], distributor: null }, 'distributorId'],
    ] as const)('refuses with PARTNERSHIP_INVALID when %s, naming the field', async (_label, kinds, field) => {
      const funderId = kinds.funder ? (await seedOrganisation(t, { kinds: [...kinds.funder] })).id : unknownId();
      const distributorId = kinds.distributor ? (await seedOrganisation(t, { kinds: [...kinds.distributor] })).id : unknownId();
      const res = await create({ funderId, distributorId });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'PARTNERSHIP_INVALID', field });
      expect(await sql(t, `SELECT count(*)::int AS n FROM partnership WHERE funder_id = $1`, [funderId])).toEqual([{ n: 0 }]);
    });

    it('refuses an organisation partnering with itself', async () => {
      const both = await seedOrganisation(t, { kinds: ['funder', 'distributor'] });
      const res = await create({ funderId: both.id, distributorId: both.id });
      expect(res.json()).toMatchObject({ code: 'PARTNERSHIP_INVALID', field: 'distributorId' });
    });
  });

  describe('listing and ending', () => {
    let funderA: SeededOrganisation;
    let funderB: SeededOrganisation;
    let distributor: SeededOrganisation;
    let other: SeededOrganisation;
    let ab: string;
    let bd: string;
    let bo: string;

    beforeAll(async () => {
      funderA = await seedOrganisation(t, { kinds: ['funder'] });
      funderB = await seedOrganisation(t, { kinds: ['funder'] });
      distributor = await seedOrganisation(t, { kinds: ['distributor'] });
      other = await seedOrganisation(t, { kinds: ['distributor'] });
      ab = await seedPartnership(t, funderA, distributor);
      bd = await seedPartnership(t, funderB, distributor);
      bo = await seedPartnership(t, funderB, other);
    });

    it('shows a funder its own partnerships and a distributor its own', async () => {
      const fa = await seedUser(t, funderA, { role: 'viewer' });
      expect((await list(tokenFor(t, fa))).items.map((p) => p.id)).toEqual([ab]);
      const fb = await seedUser(t, funderB, { role: 'finance' });
      expect((await list(tokenFor(t, fb))).items.map((p) => p.id).sort()).toEqual([bd, bo].sort());
      const d = await seedUser(t, distributor, { role: 'agent' });
      expect((await list(tokenFor(t, d))).items.map((p) => p.id).sort()).toEqual([ab, bd].sort());
      // A filter cannot widen the scope.
      expect((await list(tokenFor(t, fa), `?funderId=${funderB.id}`)).items).toEqual([]);
    });

    it('shows the operator every partnership, with filters', async () => {
      expect((await list(opToken, `?distributorId=${distributor.id}`)).items.map((p) => p.id).sort()).toEqual([ab, bd].sort());
      expect((await list(opToken, `?funderId=${funderB.id}&distributorId=${other.id}`)).items.map((p) => p.id)).toEqual([bo]);
    });

    it('answers 404 to a site-only organisation (the route is not theirs)', async () => {
      const site = await seedOrganisation(t, { kinds: ['site'] });
      const u = await seedUser(t, site, { role: 'admin' });
      expect((await t.inject({ method: 'GET', url: '/v1/partnerships', headers: bearer(tokenFor(t, u)) })).statusCode).toBe(404);
    });

    it('ends a partnership once (history kept, one audit event), idempotently, and the partner disappears from the scope', async () => {
      const fb = await seedUser(t, funderB, { role: 'viewer' });
      const fbToken = tokenFor(t, fb);
      const visible = async () =>
        ((await t.inject({ method: 'GET', url: '/v1/organisations', headers: bearer(fbToken) })).json().items as { id: string }[]).map(
          (o) => o.id,
        );
      expect((await visible()).sort()).toEqual([funderB.id, distributor.id, other.id].sort());

      const { result: res, events } = await auditEventsDuring(t, () => end(bo));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: bo, endedAt: expect.any(String) });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'partnership.ended',
        actor: { type: 'user', id: operatorAdmin.id },
        subject: { type: 'partnership', id: bo },
        reason: 'ENDED_BY_OPERATOR',
        facts: { funderId: funderB.id, distributorId: other.id },
      });

      const again = await auditEventsDuring(t, () => end(bo));
      expect(again.result.statusCode).toBe(200);
      expect(again.result.json().endedAt).toBe(res.json().endedAt);
      expect(again.events).toEqual([]);

      expect((await visible()).sort()).toEqual([funderB.id, distributor.id].sort());
      expect((await list(opToken, `?funderId=${funderB.id}&active=false`)).items.map((p) => p.id)).toEqual([bo]);
      expect((await list(opToken, `?funderId=${funderB.id}&active=true`)).items.map((p) => p.id)).toEqual([bd]);

      // The pair may partner again; the ended row stays.
      expect((await create({ funderId: funderB.id, distributorId: other.id })).statusCode).toBe(201);
      expect(
        await sql(t, `SELECT count(*)::int AS n FROM partnership WHERE funder_id = $1 AND distributor_id = $2`, [funderB.id, other.id]),
      ).toEqual([{ n: 2 }]);
    });

    it('answers 404 when ending an unknown partnership', async () => {
      expect((await end(unknownId())).statusCode).toBe(404);
    });
  });
});
