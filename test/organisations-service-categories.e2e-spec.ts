import { auditEventsDuring, bearer, createTestApp, seedOrganisation, SeededUser, seedUser, sql, TestApp, tokenFor } from '@sillage/testing';

/** The operator's list of service categories: seeded by a migration, read by everyone, edited by the operator. */
describe('service categories', () => {
  let t: TestApp;
  let operatorAdmin: SeededUser;
  let opToken: string;
  let siteToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    operatorAdmin = await seedUser(t, operator, { role: 'admin' });
    opToken = tokenFor(t, operatorAdmin);
    const site = await seedOrganisation(t, { kinds: ['site'] });
    siteToken = tokenFor(t, await seedUser(t, site, { role: 'viewer' }));
  });
  afterAll(async () => {
    await t.close();
  });

  const list = async (token: string, query = '') => {
    const res = await t.inject({ method: 'GET', url: `/v1/service-categories${query}`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: { code: string; labelFr: string; labelEn: string; active: boolean }[]; nextCursor: string | null }>();
  };
  const create = (body: object, token = opToken) =>
    t.inject({ method: 'POST', url: '/v1/service-categories', headers: bearer(token), payload: body });
  const patch = (code: string, body: object, token = opToken) =>
    t.inject({ method: 'PATCH', url: `/v1/service-categories/${code}`, headers: bearer(token), payload: body });

  it('ships the default list, readable by any authenticated caller', async () => {
    const { items } = await list(siteToken, '?active=true');
    expect(items.map(({ code, labelFr, labelEn, active }) => ({ code, labelFr, labelEn, active }))).toEqual([
      { code: 'accompagnement-individuel', labelFr: 'Accompagnement individuel', labelEn: 'One-to-one support', active: true },
      { code: 'aide-demarches', labelFr: 'Aide aux démarches en ligne', labelEn: 'Help with online procedures', active: true },
      { code: 'atelier-collectif', labelFr: 'Atelier collectif', labelEn: 'Group workshop', active: true },
      { code: 'initiation-materiel', labelFr: "Prise en main d'un équipement", labelEn: 'Getting started with a device', active: true },
    ]);
  });

  it('answers 401 without credentials', async () => {
    expect((await t.inject({ method: 'GET', url: '/v1/service-categories' })).statusCode).toBe(401);
  });

  it('creates a category (one audit event), and refuses its duplicate with 409', async () => {
    const { result: res, events } = await auditEventsDuring(t, () =>
      create({ code: 'reparation_velo', labelFr: 'Réparation', labelEn: 'Repair', active: false }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'reparation_velo', labelFr: 'Réparation', labelEn: 'Repair', active: false });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'service_category.created',
      actor: { type: 'user', id: operatorAdmin.id },
      subject: { type: 'service_category', id: 'reparation_velo' },
      facts: { active: false },
    });
    const dup = await create({ code: 'reparation_velo', labelFr: 'Autre', labelEn: 'Other' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'SERVICE_CATEGORY_EXISTS', field: 'code' });
    expect(await sql(t, `SELECT label_fr FROM service_category WHERE code = 'reparation_velo'`)).toEqual([{ label_fr: 'Réparation' }]);
    expect((await list(siteToken, '?active=false')).items.map((c) => c.code)).toContain('reparation_velo');
    expect((await list(siteToken, '?active=true')).items.map((c) => c.code)).not.toContain('reparation_velo');
  });

  it('renames and deactivates a category, with one audit event naming what changed', async () => {
    await create({ code: 'cafe-numerique', labelFr: 'Café', labelEn: 'Café' });
    const { result: res, events } = await auditEventsDuring(t, () => patch('cafe-numerique', { labelEn: 'Digital café', active: false }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: 'cafe-numerique', labelFr: 'Café', labelEn: 'Digital café', active: false });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'service_category.updated', facts: { changed: 'active,labelEn', active: false } });
    expect(await sql(t, `SELECT label_en, active FROM service_category WHERE code = 'cafe-numerique'`)).toEqual([
      { label_en: 'Digital café', active: false },
    ]);
  });

  it('answers 404 for an unknown code and for one that cannot be a code', async () => {
    for (const code of ['nope-nope', 'UPPER', 'a', encodeURIComponent('é-accent')]) {
      const res = await patch(code, { active: false });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('keeps writes for the operator admin: 404 to other kinds, 403 to other operator roles', async () => {
    expect((await create({ code: 'x-site', labelFr: 'x', labelEn: 'x' }, siteToken)).statusCode).toBe(404);
    const operatorViewer = await seedUser(t, { id: operatorAdmin.organisationId, kinds: ['operator'] }, { role: 'viewer' });
    expect((await patch('atelier-collectif', { active: false }, tokenFor(t, operatorViewer))).statusCode).toBe(403);
    expect(await sql(t, `SELECT count(*)::int AS n FROM service_category WHERE code = 'x-site'`)).toEqual([{ n: 0 }]);
    expect(await sql(t, `SELECT active FROM service_category WHERE code = 'atelier-collectif'`)).toEqual([{ active: true }]);
  });

  it('pages by code with a cursor', async () => {
    const all = (await list(siteToken, '?limit=100')).items.map((c) => c.code);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(siteToken, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((c) => c.code));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 100);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(4);
  });
});
