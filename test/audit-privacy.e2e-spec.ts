import { AuditSealer } from '@sillage/audit';
import { bearer, createTestApp, seedOrganisation, seedUser, sql, TestApp, tokenFor, validSiren } from '@sillage/testing';

/**
 * Privacy of the sealed trail: a sentinel name, email and phone sent through every route that
 * accepts free text never reach audit events, leaves or checkpoints — in any encoding we store.
 */
const NAME = 'Zébulon Quartzfeld';
const EMAIL = 'zebulon.quartzfeld-7731@sentinel.example';
const PHONE = '+33 6 71 93 28 46';
const SENTINELS = [NAME, EMAIL, PHONE, 'Quartzfeld', 'quartzfeld', '71 93 28 46', '0671932846'];

describe('no personal data in the audit trail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps sentinels sent through every free-text route out of events, leaves and checkpoints', async () => {
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    const opAdmin = await seedUser(t, operator, { role: 'admin' });
    const op = bearer(tokenFor(t, opAdmin));
    const free = `${NAME} ${PHONE} ${EMAIL}`;
    const send = async (method: 'POST' | 'PATCH', url: string, payload: object, headers: Record<string, string> = op) => {
      const res = await t.inject({ method, url, payload, headers });
      return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
    };

    const org = await send('POST', '/v1/organisations', {
      kinds: ['funder'],
      funderType: 'company',
      legalName: `SARL ${free}`,
      siren: validSiren(),
      address: { line: `12 rue ${NAME}, tél. ${PHONE}`, postcode: '75011', communeCode: '75111' },
    });
    expect(org.status).toBe(201);
    const orgId = org.body.id as string;
    expect((await send('PATCH', `/v1/organisations/${orgId}`, { legalName: `SAS ${free}` })).status).toBe(200);

    const user = await send('POST', '/v1/users', { email: EMAIL, displayName: `${NAME} ${PHONE}`, role: 'agent', organisationId: orgId });
    expect(user.status).toBe(201);
    expect((await send('PATCH', `/v1/users/${user.body.id as string}`, { displayName: `${NAME} (${PHONE})` })).status).toBe(200);

    const category = await send('POST', '/v1/service-categories', {
      code: 'atelier-sentinelle',
      labelFr: `Atelier ${free}`,
      labelEn: `Workshop ${free}`,
    });
    expect(category.status).toBe(201);
    expect((await send('PATCH', '/v1/service-categories/atelier-sentinelle', { labelFr: `Atelier ${NAME}` })).status).toBe(200);

    const funderAdmin = await seedUser(t, { id: orgId, kinds: ['funder'] }, { role: 'admin' });
    const key = await send(
      'POST',
      '/v1/api-keys',
      { name: `Tablette de ${NAME} ${PHONE}`, role: 'agent' },
      bearer(tokenFor(t, funderAdmin)),
    );
    expect(key.status).toBe(201);

    // Funding: every free-text field of policies, announcements, programmes, funding sources, contracts.
    const policy = await send('POST', '/v1/policies', { name: `Pass ${NAME}`, description: free });
    expect(policy.status).toBe(201);
    const policyId = policy.body.id as string;
    expect((await send('PATCH', `/v1/policies/${policyId}`, { description: `${free} (bis)` })).status).toBe(200);
    const announcement = await send('POST', `/v1/policies/${policyId}/announcements`, {
      label: `Annonce ${free}`,
      amountCents: 1_000_000,
      announcedOn: '2026-01-15',
      sourceReference: `Communiqué ${NAME} ${PHONE}`,
    });
    expect(announcement.status).toBe(201);
    const programme = await send('POST', '/v1/programmes', { policyId, name: `AAP ${free}`, maxCofinancingRateBp: 5000 });
    expect(programme.status).toBe(201);
    const source = await send('POST', `/v1/programmes/${programme.body.id as string}/funding-sources`, {
      label: `Source ${free}`,
      amountCents: 500_000,
      obtainedOn: '2026-02-01',
      reference: `Réf ${NAME} ${PHONE}`,
    });
    expect(source.status).toBe(201);
    const contract = await send('POST', '/v1/contracts', {
      funderId: orgId,
      reference: `Marché ${NAME} ${PHONE}`,
      publishedOn: '2026-01-01',
      notifiedOn: '2026-01-10',
      endDate: '2027-12-31',
      upstreamFeeRateBp: 400,
    });
    expect(contract.status).toBe(201);

    // A failed login names the account only by a pseudonymous id, never by the email typed.
    const login = await t.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: EMAIL, password: `${NAME}-${PHONE}` } });
    expect(login.statusCode).toBe(401);

    const sealed = await t.app.get(AuditSealer).sealPending();
    expect(sealed.sealed).toBeGreaterThanOrEqual(14);

    const [{ events }] = await sql<{ events: number }>(t, `SELECT count(*)::int AS events FROM audit_event`);
    const [{ leaves }] = await sql<{ leaves: number }>(t, `SELECT count(*)::int AS leaves FROM audit_leaf`);
    expect(leaves).toBe(events); // everything above is in the tree, so the search covers it

    // Whole rows as text (bytea columns decoded as UTF-8 where they hold JSON), case-insensitive.
    const dumps = await sql<{ source: string; text: string }>(
      t,
      `SELECT 'event' AS source, convert_from(canonical, 'UTF8') || ' ' || row_to_json(e)::text AS text FROM audit_event e
       UNION ALL SELECT 'leaf', row_to_json(l)::text FROM audit_leaf l
       UNION ALL SELECT 'checkpoint', row_to_json(c)::text FROM audit_checkpoint c`,
    );
    expect(dumps.filter((d) => d.source === 'checkpoint').length).toBeGreaterThan(0);
    const leaks = dumps.flatMap((d) =>
      SENTINELS.filter((s) => d.text.toLowerCase().includes(s.toLowerCase())).map((s) => `${d.source}: ${s}`),
    );
    expect(leaks).toEqual([]);

    // The same search finds the sentinels where they belong (the business tables), so it can fail.
    const control = await sql<{ text: string }>(t, `SELECT row_to_json(u)::text AS text FROM app_user u WHERE email = $1`, [EMAIL]);
    expect(SENTINELS.filter((s) => control[0].text.toLowerCase().includes(s.toLowerCase()))).toEqual(
      expect.arrayContaining([EMAIL, 'Quartzfeld', PHONE]),
    );
  });
});
