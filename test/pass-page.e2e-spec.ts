import { randomBytes } from 'node:crypto';
import { addDays, parisDate } from '@sillage/common';
import { revealPassToken } from '@sillage/issuance';
import { randomTestIp, seedOrganisation, seedPartnership, seedUser, sql, tokenFor } from '@sillage/testing';
import { api, createOrderWorld, OrderWorld, paidOrder } from './order-support';
import { applySite, decideSite, qualifySite, seedSite } from './sites-support';
import { redeem, voucherCodes } from './redemption-support';

jest.setTimeout(120_000);

const SENTINEL = { name: 'Zéphyrine Quartzbaum', email: 'zephyrine.quartzbaum@sentinel.example', phone: '+33 6 98 76 54 32' };

/** The beneficiary's pass page and GDPR requests: public, rate-limited, never personal data. */
describe('pass page', () => {
  let w: OrderWorld;
  let token: string;
  let agent: string;
  let nearSite: string;
  let farSite: string;
  /** Sites inside the order's territory that may not take vouchers today. */
  let notEligible: { draft: string; applied: string; suspended: string; laterLabel: string; endedLabel: string };
  let bookletSerial: string;
  let nearSiteId: string;

  const lookup = (body: object, ip = randomTestIp()) =>
    w.t.inject({
      method: 'POST',
      url: '/v1/pass/lookup',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  beforeAll(async () => {
    w = await createOrderWorld();
    const distributor = await seedOrganisation(w.t, { kinds: ['distributor'] });
    await seedPartnership(w.t, { id: w.funderId }, distributor);
    agent = tokenFor(w.t, await seedUser(w.t, distributor, { role: 'agent' }));
    // Only sites qualified now with a label valid today are listed: the near and far sites are.
    const near = await seedOrganisation(w.t, { kinds: ['site'], communeCode: '35238', legalName: 'Espace numérique de Rennes' });
    const far = await seedOrganisation(w.t, { kinds: ['site'], communeCode: '69123', legalName: 'Médiathèque de Lyon' });
    for (const site of [near, far]) await qualifySite(w, site.id, { operatorToken: w.tokens.op });
    nearSite = near.legalName;
    nearSiteId = near.id;
    farSite = far.legalName;
    const today = parisDate(new Date());
    const inRennes = (legalName: string) => seedSite(w.t, { communeCode: '35238', postcode: '35000', legalName });
    const draft = await inRennes('Tiers-lieu brouillon de Rennes');
    const applied = await inRennes('Fablab candidat de Rennes');
    expect((await applySite(w, applied.id)).status).toBe('applied');
    const suspended = await inRennes('Point numérique suspendu de Rennes');
    await qualifySite(w, suspended.id, { operatorToken: w.tokens.op });
    await decideSite(w, suspended.id, 'suspended', 'complaint_under_review', w.tokens.op);
    const laterLabel = await inRennes('Espace au label futur de Rennes');
    await qualifySite(w, laterLabel.id, { operatorToken: w.tokens.op, validFrom: addDays(today, 1), validUntil: addDays(today, 90) });
    // A label that ended yesterday cannot be granted through the API: written as the past would have left it.
    const endedLabel = await inRennes('Espace au label échu de Rennes');
    await sql(
      w.t,
      `INSERT INTO site_profile (organisation_id, service_category_codes, status) VALUES ($1, '{atelier-collectif}', 'qualified')`,
      [endedLabel.id],
    );
    await sql(
      w.t,
      `INSERT INTO site_qualification (site_id, decision, reason_code, label_name, label_valid_from, label_valid_until)
       VALUES ($1, 'qualified', 'application_accepted', 'Label 2025', $2::date, $3::date)`,
      [endedLabel.id, addDays(today, -365), addDays(today, -1)],
    );
    notEligible = {
      draft: draft.legalName,
      applied: applied.legalName,
      suspended: suspended.legalName,
      laterLabel: laterLabel.legalName,
      endedLabel: endedLabel.legalName,
    };
    const order = await paidOrder(w, { bookletCount: 1, vouchersPerBooklet: 3, departmentCodes: ['35'] });
    const alloc = await api<{ ranges: { fromSerial: string }[] }>(w.t, 'POST', '/v1/allocations', w.tokens.funder, {
      toDistributorId: distributor.id,
      count: 1,
    });
    expect(alloc.status).toBe(201);
    bookletSerial = alloc.body.ranges[0].fromSerial;
    const handed = await api(w.t, 'POST', '/v1/handovers', agent, {
      bookletSerial,
      profile: { ageBand: '60_74', communeCode: '35238' },
      contact: SENTINEL,
      consent: { purpose: 'reminders', givenOn: parisDate(new Date()), textVersion: 'v1' },
    });
    expect(handed.status).toBe(201);
    const [b] = await sql<{ pass_token_encrypted: Buffer }>(w.t, `SELECT pass_token_encrypted FROM booklet WHERE serial = $1`, [
      bookletSerial,
    ]);
    token = revealPassToken(w.t.config.issuance.printKeys, b.pass_token_encrypted, bookletSerial);
    expect(order.status).toBe('paid');
  });
  afterAll(async () => {
    await w.close();
  });

  it('shows what is left, until when and where to go — and no personal data', async () => {
    const res = await lookup({ token });
    expect(res.statusCode).toBe(200);
    const view = res.json<{
      status: string;
      vouchersLeft: number;
      valueLeftCents: number;
      sites: { name: string }[];
      bookletSerial: string;
    }>();
    expect(view).toMatchObject({ status: 'usable', vouchersLeft: 3, valueLeftCents: 3000, bookletSerial });
    expect(view.sites.map((s) => s.name)).toContain(nearSite);
    expect(view.sites.map((s) => s.name)).not.toContain(farSite);
    for (const value of Object.values(SENTINEL)) expect(res.body).not.toContain(value);
    expect(res.body).not.toContain('60_74');
  });

  it('shows where the vouchers were used (day, site, category), without undone redemptions', async () => {
    const siteAgent = tokenFor(w.t, await seedUser(w.t, { id: nearSiteId, kinds: ['site'] }, { role: 'agent' }));
    const codes = await Promise.all([1, 2].map((i) => voucherCodes(w.t, bookletSerial, i)));
    const used = await redeem<{ id: string }>(w.t, siteAgent, { vouchers: codes.map((c) => ({ qrToken: c.qrToken })) });
    expect(used.status).toBe(201);
    const view = (await lookup({ token })).json<{ vouchersLeft: number; history: object[] }>();
    expect(view.vouchersLeft).toBe(1);
    expect(view.history).toEqual([{ date: parisDate(new Date()), siteName: nearSite, category: 'Atelier collectif', vouchers: 2 }]);
    expect((await api(w.t, 'POST', `/v1/redemptions/${used.body.id}/undo`, siteAgent, { reasonCode: 'scan_error' })).status).toBe(200);
    const after = (await lookup({ token })).json<{ vouchersLeft: number; history: object[] }>();
    expect(after).toMatchObject({ vouchersLeft: 3, history: [] });
  });

  it('lists only sites qualified now with a label valid today (Europe/Paris)', async () => {
    const res = await lookup({ token });
    expect(res.statusCode).toBe(200);
    const names = res.json<{ sites: { name: string }[] }>().sites.map((s) => s.name);
    expect(names).toEqual([nearSite]);
    for (const name of Object.values(notEligible)) expect(names).not.toContain(name);
  });

  it('refuses malformed and unknown tokens, and rate-limits guessing per address', async () => {
    expect((await lookup({ token: 'short' })).statusCode).toBe(400);
    expect((await lookup({})).statusCode).toBe(400);
    const ip = randomTestIp();
    for (let i = 0; i < 10; i++) {
      const unknown = await lookup({ token: randomBytes(32).toString('base64url') }, ip);
      expect(unknown.statusCode).toBe(404);
    }
    const limited = await lookup({ token }, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // another address is not affected
    expect((await lookup({ token })).statusCode).toBe(200);
  });

  it('opens a GDPR request from the pass token, which only the DPO lists', async () => {
    const res = await w.t.inject({
      method: 'POST',
      url: '/v1/privacy-requests',
      remoteAddress: randomTestIp(),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ token, kind: 'erasure', message: 'Merci d’effacer mes coordonnées' }),
    });
    expect(res.statusCode).toBe(201);
    const receipt = res.json<{ reference: string }>();
    expect(receipt.reference).toMatch(/^DPO-[0-9A-Z]{8}$/);
    const operator = await sql<{ id: string }>(w.t, `SELECT id FROM organisation WHERE 'operator' = ANY(kinds) LIMIT 1`);
    const dpo = tokenFor(w.t, await seedUser(w.t, { id: operator[0].id, kinds: ['operator'] }, { role: 'dpo' }));
    const list = await api<{ items: { reference: string; kind: string }[] }>(w.t, 'GET', '/v1/privacy-requests', dpo);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ reference: receipt.reference, kind: 'erasure' })]));
    expect((await api(w.t, 'GET', '/v1/privacy-requests', w.tokens.op)).status).toBe(403);
    const unknown = await w.t.inject({
      method: 'POST',
      url: '/v1/privacy-requests',
      remoteAddress: randomTestIp(),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ token: randomBytes(32).toString('base64url'), kind: 'access' }),
    });
    expect(unknown.statusCode).toBe(404);
  });
});
