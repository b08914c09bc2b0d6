import {
  auditEventsContaining,
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
  validSiren,
  validSiret,
} from '@sillage/testing';

/** Organisations: creation by the operator, scoped reads, and who may change what. */
describe('organisations', () => {
  let t: TestApp;
  let operator: SeededOrganisation;
  let operatorAdmin: SeededUser;
  let opToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await seedOrganisation(t, { kinds: ['operator'] });
    operatorAdmin = await seedUser(t, operator, { role: 'admin' });
    opToken = tokenFor(t, operatorAdmin);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (body: unknown, token = opToken) =>
    t.inject({ method: 'POST', url: '/v1/organisations', headers: bearer(token), payload: body as object });

  function funderBody(overrides: Record<string, unknown> = {}) {
    const siren = validSiren();
    return {
      kinds: ['funder'],
      funderType: 'collectivity',
      legalName: 'Métropole de Test',
      siren,
      siret: validSiret(siren),
      address: { line: '20 rue du Lac', postcode: '69003', communeCode: '69383' },
      ...overrides,
    };
  }

  describe('POST /v1/organisations', () => {
    it('creates a funder, returns it, and writes one audit event without its legal name', async () => {
      const body = funderBody({ legalName: 'Zz Sentinelle Légale 4417' });
      const { result: res, events } = await auditEventsDuring(t, () => create(body));
      expect(res.statusCode).toBe(201);
      const org = res.json();
      expect(org).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        kinds: ['funder'],
        funderType: 'collectivity',
        legalName: 'Zz Sentinelle Légale 4417',
        siren: body.siren,
        siret: body.siret,
        address: { line: '20 rue du Lac', postcode: '69003', communeCode: '69383' },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const [row] = await sql(t, `SELECT kinds, funder_type, legal_name, siren, siret, commune_code FROM organisation WHERE id = $1`, [
        org.id,
      ]);
      expect(row).toEqual({
        kinds: ['funder'],
        funder_type: 'collectivity',
        legal_name: 'Zz Sentinelle Légale 4417',
        siren: body.siren,
        siret: body.siret,
        commune_code: '69383',
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'organisation.created',
        actor: { type: 'user', id: operatorAdmin.id, organisationId: operator.id },
        subject: { type: 'organisation', id: org.id },
        facts: { kinds: 'funder', funderType: 'collectivity', communeCode: '69383' },
        requestId: res.headers['x-request-id'],
      });
      expect(await auditEventsContaining(t, 'Sentinelle Légale 4417')).toBe(0);
      expect(await auditEventsContaining(t, body.siren)).toBe(0);
    });

    it('creates an organisation that is both distributor and site, without funder type or SIRET', async () => {
      const res = await create(funderBody({ kinds: ['distributor', 'site'], funderType: undefined, siret: undefined }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ kinds: ['distributor', 'site'], funderType: null, siret: null });
    });

    it('refuses a SIRET that does not belong to the SIREN, naming siret, and writes nothing', async () => {
      const before = await sql(t, `SELECT count(*)::int AS n FROM organisation`);
      const res = await create(funderBody({ siret: validSiret(validSiren()) }));
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'siret' });
      expect(await sql(t, `SELECT count(*)::int AS n FROM organisation`)).toEqual(before);
    });

    it('answers 409 SIRET_TAKEN for a SIRET already registered (not a 500), and keeps the first', async () => {
      const first = funderBody();
      expect((await create(first)).statusCode).toBe(201);
      const res = await create({ ...funderBody(), siren: first.siren, siret: first.siret, legalName: 'Doublon' });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'SIRET_TAKEN', field: 'siret' });
      expect(await sql(t, `SELECT legal_name FROM organisation WHERE siret = $1`, [first.siret])).toEqual([
        { legal_name: 'Métropole de Test' },
      ]);
    });

    it.each([
      ['a funder without funderType', { funderType: undefined }, 'funderType'],
      ['a distributor with a funderType', { kinds: ['distributor'], funderType: 'company' }, 'funderType'],
      ['the operator kind', { kinds: ['operator'], funderType: undefined }, 'kinds'],
      ['the operator kind among others', { kinds: ['operator', 'funder'] }, 'kinds'],
    ])('refuses %s with ORGANISATION_KIND_INVALID naming the field', async (_label, overrides, field) => {
      const res = await create(funderBody(overrides));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'ORGANISATION_KIND_INVALID', field });
    });
  });

  describe('reads', () => {
    let funderA: SeededOrganisation;
    let funderB: SeededOrganisation;
    let distributor: SeededOrganisation;
    let site: SeededOrganisation;

    beforeAll(async () => {
      funderA = await seedOrganisation(t, { kinds: ['funder'], legalName: 'Département du Rhône-Lecture', communeCode: '69123' });
      funderB = await seedOrganisation(t, { kinds: ['funder'], legalName: 'Ville de Brest-Lecture', communeCode: '29019' });
      distributor = await seedOrganisation(t, { kinds: ['distributor'], legalName: 'CCAS Lecture', communeCode: '69123' });
      site = await seedOrganisation(t, { kinds: ['site'], legalName: 'Tiers-lieu Lecture', communeCode: '29019' });
      await seedPartnership(t, funderA, distributor);
    });

    const list = async (token: string, query = '') => {
      const res = await t.inject({ method: 'GET', url: `/v1/organisations${query}`, headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      return res.json<{ items: { id: string; legalName: string }[]; nextCursor: string | null }>();
    };

    it('filters by kind, legal name (case-insensitive) and commune for the operator', async () => {
      const byName = await list(opToken, `?q=${encodeURIComponent('LECTURE')}`);
      expect(byName.items.map((o) => o.id).sort()).toEqual([funderA.id, funderB.id, distributor.id, site.id].sort());
      const funders = await list(opToken, '?q=lecture&kind=funder');
      expect(funders.items.map((o) => o.id).sort()).toEqual([funderA.id, funderB.id].sort());
      const brest = await list(opToken, '?q=lecture&communeCode=29019');
      expect(brest.items.map((o) => o.id).sort()).toEqual([funderB.id, site.id].sort());
    });

    it('treats q as text, not as a pattern', async () => {
      expect((await list(opToken, `?q=${encodeURIComponent('%')}`)).items).toEqual([]);
      expect((await list(opToken, `?q=${encodeURIComponent('_')}`)).items).toEqual([]);
    });

    it('pages with a keyset cursor: every organisation once, in creation order', async () => {
      const all = await sql<{ id: string }>(t, `SELECT id FROM organisation ORDER BY created_at, id`);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(opToken, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((o) => o.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(seen).toEqual(all.map((r) => r.id));
    });

    it('shows a funder itself and its partner distributor only; a site only itself', async () => {
      const funderUser = await seedUser(t, funderA, { role: 'viewer' });
      const mine = await list(tokenFor(t, funderUser));
      expect(mine.items.map((o) => o.id).sort()).toEqual([funderA.id, distributor.id].sort());
      const siteUser = await seedUser(t, site, { role: 'agent' });
      expect((await list(tokenFor(t, siteUser))).items.map((o) => o.id)).toEqual([site.id]);
    });

    it('answers GET by id inside the scope, and 404 outside it, for an unknown id and for a malformed one', async () => {
      const funderUser = await seedUser(t, funderA, { role: 'viewer' });
      const token = tokenFor(t, funderUser);
      const get = (id: string) => t.inject({ method: 'GET', url: `/v1/organisations/${id}`, headers: bearer(token) });
      const partner = await get(distributor.id);
      expect(partner.statusCode).toBe(200);
      expect(partner.json()).toMatchObject({ id: distributor.id, legalName: 'CCAS Lecture' });
      for (const id of [funderB.id, site.id, unknownId(), 'not-a-uuid', `${funderB.id}x`]) {
        const res = await get(id);
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
      }
    });
  });

  describe('PATCH /v1/organisations/{id}', () => {
    let org: SeededOrganisation;
    let orgAdmin: SeededUser;

    beforeEach(async () => {
      org = await seedOrganisation(t, { kinds: ['funder'], legalName: 'Avant' });
      orgAdmin = await seedUser(t, org, { role: 'admin' });
    });

    const patch = (id: string, body: object, token: string) =>
      t.inject({ method: 'PATCH', url: `/v1/organisations/${id}`, headers: bearer(token), payload: body });

    it("lets the organisation's own admin change its legal name and address, with one audit event", async () => {
      const { result: res, events } = await auditEventsDuring(t, () =>
        patch(
          org.id,
          { legalName: 'Après', address: { line: '3 quai Saint-Antoine', postcode: '69002', communeCode: '69382' } },
          tokenFor(t, orgAdmin),
        ),
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        legalName: 'Après',
        address: { line: '3 quai Saint-Antoine', postcode: '69002', communeCode: '69382' },
      });
      expect(await sql(t, `SELECT legal_name, commune_code FROM organisation WHERE id = $1`, [org.id])).toEqual([
        { legal_name: 'Après', commune_code: '69382' },
      ]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'organisation.updated',
        actor: { type: 'user', id: orgAdmin.id, organisationId: org.id },
        subject: { type: 'organisation', id: org.id },
        facts: { changed: 'address,legalName', communeCode: '69382' },
      });
      expect(events[0].canonical).not.toContain('Après');
    });

    it.each([
      ['kinds', { kinds: ['funder', 'distributor'] }],
      ['siren', { siren: validSiren() }],
      ['siret', { siret: null }],
      ['funderType', { funderType: 'state' }],
    ])("refuses %s from the organisation's own admin with 403 naming the field, changing nothing", async (field, body) => {
      const res = await patch(org.id, { legalName: 'Interdit', ...body }, tokenFor(t, orgAdmin));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN', field });
      expect(await sql(t, `SELECT legal_name FROM organisation WHERE id = $1`, [org.id])).toEqual([{ legal_name: 'Avant' }]);
    });

    it('refuses a non-admin of the organisation with 403', async () => {
      const viewer = await seedUser(t, org, { role: 'viewer' });
      expect((await patch(org.id, { legalName: 'X' }, tokenFor(t, viewer))).statusCode).toBe(403);
    });

    it('answers 403 to a partner that can see the organisation, 404 to anyone else', async () => {
      const partner = await seedOrganisation(t, { kinds: ['distributor'] });
      await seedPartnership(t, org, partner);
      const partnerAdmin = await seedUser(t, partner, { role: 'admin' });
      const stranger = await seedOrganisation(t, { kinds: ['funder'] });
      const strangerAdmin = await seedUser(t, stranger, { role: 'admin' });
      expect((await patch(org.id, { legalName: 'X' }, tokenFor(t, partnerAdmin))).statusCode).toBe(403);
      const res = await patch(org.id, { legalName: 'X' }, tokenFor(t, strangerAdmin));
      expect(res.statusCode).toBe(404);
      expect(await sql(t, `SELECT legal_name FROM organisation WHERE id = $1`, [org.id])).toEqual([{ legal_name: 'Avant' }]);
    });

    it('lets the operator admin change kinds, funder type, SIREN and SIRET together', async () => {
      const siren = validSiren();
      const siret = validSiret(siren);
      const res = await patch(org.id, { kinds: ['distributor', 'site'], siren, siret }, opToken);
      expect(res.statusCode).toBe(200);
      // Dropping the funder kind drops its funder type.
      expect(res.json()).toMatchObject({ kinds: ['distributor', 'site'], funderType: null, siren, siret });
      const back = await patch(org.id, { kinds: ['funder'], funderType: 'state' }, opToken);
      expect(back.statusCode).toBe(200);
      expect(back.json()).toMatchObject({ kinds: ['funder'], funderType: 'state' });
    });

    it('refuses to make a funder without a funder type, a SIREN that no longer matches the SIRET, and the operator kind', async () => {
      const plain = await seedOrganisation(t, { kinds: ['site'] });
      expect((await patch(plain.id, { kinds: ['site', 'funder'] }, opToken)).json()).toMatchObject({
        code: 'ORGANISATION_KIND_INVALID',
        field: 'funderType',
      });
      const siren = validSiren();
      const withSiret = await seedOrganisation(t, { kinds: ['site'], siren, siret: validSiret(siren) });
      expect((await patch(withSiret.id, { siren: validSiren() }, opToken)).json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'siren',
      });
      expect((await patch(plain.id, { kinds: ['operator', 'site'] }, opToken)).json()).toMatchObject({
        code: 'ORGANISATION_KIND_INVALID',
        field: 'kinds',
      });
      expect((await patch(operator.id, { kinds: ['funder'], funderType: 'state' }, opToken)).json()).toMatchObject({
        code: 'ORGANISATION_KIND_INVALID',
        field: 'kinds',
      });
    });

    it('refuses to remove the funder kind while a partnership is active', async () => {
      const distributor = await seedOrganisation(t, { kinds: ['distributor'] });
      await seedPartnership(t, org, distributor);
      const res = await patch(org.id, { kinds: ['site'] }, opToken);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'ORGANISATION_KIND_INVALID', field: 'kinds' });
    });

    it('answers 409 SIRET_TAKEN when the new SIRET belongs to another organisation', async () => {
      const siren = validSiren();
      const siret = validSiret(siren);
      await seedOrganisation(t, { kinds: ['site'], siren, siret });
      const res = await patch(org.id, { siren, siret }, opToken);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'SIRET_TAKEN', field: 'siret' });
    });

    it('writes no audit event when nothing changes', async () => {
      const { result: res, events } = await auditEventsDuring(t, () => patch(org.id, { legalName: 'Avant' }, tokenFor(t, orgAdmin)));
      expect(res.statusCode).toBe(200);
      expect(events).toEqual([]);
    });
  });
});
