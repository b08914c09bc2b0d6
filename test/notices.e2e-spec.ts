import { parisDate } from '@sillage/common';
import { seedOrganisation, seedPartnership, seedUser, sql, tokenFor } from '@sillage/testing';
import { DistributionNoticesJob } from '../libs/distribution/src/notices/notices.job';
import { api, createOrderWorld, futureDate, OrderWorld, paidOrder } from './order-support';
import { emailsTo, eventually } from './queue-support';

jest.setTimeout(120_000);

interface NoticeJson {
  id: string;
  kind: string;
  orderReference: string;
  remainingBooklets: number;
  titleFr: string;
  bodyEn: string;
  readAt: string | null;
}

/** Validity and stop-distribution notices: once per organisation, order and kind; dashboard and email. */
describe('distribution notices', () => {
  let w: OrderWorld;
  let distributorAdmin: string;
  let distributorEmail: string;

  beforeAll(async () => {
    w = await createOrderWorld();
    const distributor = await seedOrganisation(w.t, { kinds: ['distributor'] });
    await seedPartnership(w.t, { id: w.funderId }, distributor);
    const admin = await seedUser(w.t, distributor, { role: 'admin' });
    distributorAdmin = tokenFor(w.t, admin);
    distributorEmail = admin.email;
    await paidOrder(w, { bookletCount: 4, vouchersPerBooklet: 1, validityEndDate: futureDate(30), stopDistributionDays: 10 });
    const moved = await api(w.t, 'POST', '/v1/allocations', w.tokens.funder, { toDistributorId: distributor.id, count: 3 });
    expect(moved.status).toBe(201);
  });
  afterAll(async () => {
    await w.close();
  });

  it('tells the funder and the distributor holding stock, 30 days before validity ends, once', async () => {
    const job = w.t.app.get(DistributionNoticesJob);
    const today = parisDate(new Date());
    await job.handle({ day: today });
    await job.handle({ day: today });
    const funderNotices = await api<{ items: NoticeJson[] }>(w.t, 'GET', '/v1/notices', w.tokens.funder);
    expect(funderNotices.body.items).toEqual([expect.objectContaining({ kind: 'validity_30', remainingBooklets: 4 })]);
    const mine = await api<{ items: NoticeJson[] }>(w.t, 'GET', '/v1/notices', distributorAdmin);
    expect(mine.body.items).toEqual([expect.objectContaining({ kind: 'validity_30', remainingBooklets: 3 })]);
    expect(mine.body.items[0].titleFr).toContain('30 jours');
    expect(mine.body.items[0].bodyEn).toContain('3 booklet(s)');
    // another organisation cannot read or mark it
    expect((await api(w.t, 'POST', `/v1/notices/${mine.body.items[0].id}/read`, w.tokens.otherFunder)).status).toBe(404);
    const read = await api<NoticeJson>(w.t, 'POST', `/v1/notices/${mine.body.items[0].id}/read`, distributorAdmin);
    expect(read.body.readAt).not.toBeNull();
    // the distributor's admins get an email through the outbox
    const mails = await eventually(async () => {
      const m = await emailsTo(`${w.dataDir}/mail`, distributorEmail);
      return m.length > 0 ? m : undefined;
    }, 'the notice email');
    expect(mails).toHaveLength(1);
    expect(await sql(w.t, `SELECT count(*)::int AS n FROM notice`)).toEqual([{ n: 2 }]);
  });

  it('tells them again on the day distribution stops', async () => {
    await w.t.app.get(DistributionNoticesJob).handle({ day: futureDate(20) });
    const kinds = (await api<{ items: NoticeJson[] }>(w.t, 'GET', '/v1/notices', w.tokens.funder)).body.items.map((n) => n.kind);
    expect(kinds).toEqual(['validity_30', 'distribution_stop']);
  });
});
