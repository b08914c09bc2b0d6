import { BullQueues, toBullJobId } from '@sillage/queue';
import { randomBytes } from 'node:crypto';
import { formatFrenchDate, parisDate } from '@sillage/common';
import { seedUser, sql, tokenFor } from '@sillage/testing';
import { VoucherRedeemedJob } from '../libs/redemption/src/jobs/voucher-redeemed.job';
import { api } from './order-support';
import { decodeHeader, emailsTo, eventually } from './queue-support';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

jest.setTimeout(180_000);

/**
 * The 'redemption.voucher-redeemed' job (outbox row written by the redemption itself): a satisfaction
 * survey email to a beneficiary who consented to one, nothing otherwise; opening their contact record
 * is recorded in the personal-data access log as a system read, which the operator's DPO sees.
 */
describe('after a redemption: the satisfaction-survey email, only with consent', () => {
  let w: RedemptionWorld;
  let serials: string[];
  let next = 0;
  let dpo: string;
  /** The beneficiary id of each hand-over made here, by booklet serial. */
  const beneficiaryOf = new Map<string, string>();
  const SITE_NAME = 'Espace numérique des Pentes';
  const today = parisDate(new Date());
  const address = () => `b-${randomBytes(5).toString('hex')}@example.org`;
  const mailDir = () => `${w.dataDir}/mail`;

  /** Hands a fresh booklet over with contact details given under `purpose`; returns its serial. */
  const handOverWithContact = async (email: string, purpose: string): Promise<string> => {
    const bookletSerial = serials[next++];
    const r = await api<{ beneficiaryId: string }>(w.t, 'POST', '/v1/handovers', w.distributorAgent, {
      bookletSerial,
      profile: { ageBand: '26_44', communeCode: '69123' },
      contact: { email },
      consent: { purpose, givenOn: today, textVersion: 'consent-2026-01' },
    });
    if (r.status !== 201) throw new Error(`hand-over failed: ${r.status} ${JSON.stringify(r.body)}`);
    beneficiaryOf.set(bookletSerial, r.body.beneficiaryId);
    return bookletSerial;
  };
  /** The access-log rows (read as superuser) for the person a booklet was handed over to. */
  const accessesOf = (bookletSerial: string) =>
    sql<{ actor_type: string; actor_id: string | null; organisation_id: string | null; what: string; purpose: string }>(
      w.t,
      `SELECT a.actor_type, a.actor_id, a.organisation_id, a.what, a.purpose FROM personal_data_access a
       JOIN beneficiary_profile p ON p.person_pseudonym = a.person_pseudonym
       JOIN handover h ON h.profile_id = p.id JOIN booklet b ON b.id = h.booklet_id
       WHERE b.serial = $1 ORDER BY a.id`,
      [bookletSerial],
    );
  const SYSTEM_READ = { actor_type: 'system', actor_id: null, organisation_id: null, what: 'contact', purpose: 'satisfaction_survey' };
  /** Waits until the worker completed the redemption's job (BullMQ state), whatever it decided to send. */
  /** The worker's relay ran the job inline (INLINE_JOBS): its outbox row is marked done. */
  const jobCompleted = (redemptionId: string) =>
    eventually(
      async () => {
        const rows = await sql<{ done: boolean }>(w.t, `SELECT published_at IS NOT NULL AS done FROM outbox_message WHERE job_id = $1`, [
          `voucher-redeemed:${redemptionId}`,
        ]);
        return rows[0]?.done ? true : undefined;
      },
      `the worker's job for redemption ${redemptionId}`,
      30_000,
    );
  const redeemFirst = async (booklet: string): Promise<string> => {
    const r = await redeem<{ id: string }>(w.t, w.site.agent, { vouchers: [{ code: (await voucherCodes(w.t, booklet, 1)).code }] });
    if (r.status !== 201) throw new Error(`redeem failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id;
  };

  beforeAll(async () => {
    w = await createRedemptionWorld();
    await sql(w.t, `UPDATE organisation SET legal_name = $2 WHERE id = $1`, [w.site.id, SITE_NAME]);
    serials = (await stockedOrder(w, { bookletCount: 8, vouchersPerBooklet: 2 })).serials;
    dpo = tokenFor(w.t, await seedUser(w.t, { id: w.operatorId, kinds: ['operator'] }, { role: 'dpo' }));
  });
  afterAll(async () => {
    await w?.close();
  });

  it('emails a beneficiary who consented to satisfaction surveys: French then English, the site and the day, no voucher code', async () => {
    // first, redemptions that must send nothing, so the worker has seen them by the time the consented one arrives
    const reminders = address();
    const remindersBooklet = await handOverWithContact(reminders, 'reminders');
    const withoutSurveyConsent = await redeemFirst(remindersBooklet);
    const plain = serials[next++];
    await handOver(w, plain);
    const withoutContact = await redeemFirst(plain);
    const [{ last: lastAccessBefore }] = await sql<{ last: string }>(
      w.t,
      `SELECT coalesce(max(id), 0)::text AS last FROM personal_data_access`,
    );

    const email = address();
    const booklet = await handOverWithContact(email, 'satisfaction_survey');
    const v = await voucherCodes(w.t, booklet, 1);
    const redemptionId = await redeemFirst(booklet);
    const mails = await eventually(
      async () => {
        const m = await emailsTo(mailDir(), email);
        return m.length > 0 ? m : undefined;
      },
      'the satisfaction survey email',
      30_000,
    );
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(decodeHeader(mail.headers.subject)).toBe(
      `[Sillage] Votre avis sur votre venue chez ${SITE_NAME} / Your feedback on your visit to ${SITE_NAME}`,
    );
    expect(mail.headers['content-language']).toBe('fr, en');
    const french = mail.body.indexOf(`le ${formatFrenchDate(today)} chez ${SITE_NAME}`);
    const english = mail.body.indexOf(`on ${today} at ${SITE_NAME}`);
    expect(french).toBeGreaterThanOrEqual(0);
    expect(english).toBeGreaterThan(french);
    for (const secret of [v.code, v.serial, booklet, v.qrToken]) expect(mail.body).not.toContain(secret);

    // the worker ran the other two jobs and sent nothing; running them again (a retry) sends nothing either
    await jobCompleted(withoutSurveyConsent);
    await jobCompleted(withoutContact);
    await jobCompleted(redemptionId);
    const job = w.t.app.get(VoucherRedeemedJob);
    for (const id of [withoutSurveyConsent, withoutContact]) await job.handle({ redemptionId: id });
    expect(await emailsTo(mailDir(), reminders)).toEqual([]);
    expect(await emailsTo(mailDir(), email)).toHaveLength(1);
    // the access log: exactly one new row, the system's read of the surveyed person's contact record;
    // nothing for the two redemptions that sent nothing (their vault was never opened), even run twice
    expect(
      await sql(w.t, `SELECT person_pseudonym IS NOT NULL AS "hasPerson" FROM personal_data_access WHERE id > $1`, [lastAccessBefore]),
    ).toEqual([{ hasPerson: true }]);
    expect(await accessesOf(booklet)).toEqual([SYSTEM_READ]);
    expect(await accessesOf(remindersBooklet)).toEqual([]);

    // the operator's DPO sees the system read in the person's access log; the one who sent nothing has none
    const log = await api<{ items: Record<string, unknown>[] }>(
      w.t,
      'GET',
      `/v1/beneficiaries/${beneficiaryOf.get(booklet)}/access-log`,
      dpo,
    );
    expect(log.status).toBe(200);
    expect(log.body.items).toEqual([
      {
        actorType: 'system',
        actorId: null,
        organisationId: null,
        what: 'contact',
        purpose: 'satisfaction_survey',
        accessedAt: expect.any(String),
      },
    ]);
    expect(Date.now() - Date.parse(log.body.items[0].accessedAt as string)).toBeLessThan(120_000);
    const none = await api<{ items: unknown[] }>(w.t, 'GET', `/v1/beneficiaries/${beneficiaryOf.get(remindersBooklet)}/access-log`, dpo);
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
    // the access log stays the DPO's: the distributor's agent who made the hand-over does not see it
    expect((await api(w.t, 'GET', `/v1/beneficiaries/${beneficiaryOf.get(booklet)}/access-log`, w.distributorAgent)).status).toBe(404);
  });

  it('sends nothing for an undone redemption, nor once the person is erased, and refuses an unknown redemption', async () => {
    const email = address();
    const booklet = await handOverWithContact(email, 'satisfaction_survey');
    const redemptionId = await redeemFirst(booklet);
    // wait for the worker's email, then undo: the job run again sends nothing more
    await eventually(async () => (await emailsTo(mailDir(), email)).length === 1, 'the first email', 30_000);
    expect((await api(w.t, 'POST', `/v1/redemptions/${redemptionId}/undo`, w.site.agent, { reasonCode: 'scan_error' })).status).toBe(200);
    const job = w.t.app.get(VoucherRedeemedJob);
    await job.handle({ redemptionId });
    expect(await emailsTo(mailDir(), email)).toHaveLength(1);
    // one read for the email sent; the undone redemption's run opened nothing
    expect(await accessesOf(booklet)).toEqual([SYSTEM_READ]);

    // a consented beneficiary whose data was erased (crypto-shredding) gets nothing
    const erasedEmail = address();
    const erasedBooklet = await handOverWithContact(erasedEmail, 'satisfaction_survey');
    await sql(
      w.t,
      `UPDATE vault_person SET wrapped_key = NULL, erased_at = now(), erasure_reason = 'data_subject_request'
       WHERE pseudonym = (SELECT p.person_pseudonym FROM handover h JOIN beneficiary_profile p ON p.id = h.profile_id
                          JOIN booklet b ON b.id = h.booklet_id WHERE b.serial = $1)`,
      [erasedBooklet],
    );
    await sql(
      w.t,
      `DELETE FROM vault_record WHERE vault_id = (SELECT v.vault_id FROM vault_person v JOIN beneficiary_profile p ON p.person_pseudonym = v.pseudonym
        JOIN handover h ON h.profile_id = p.id JOIN booklet b ON b.id = h.booklet_id WHERE b.serial = $1)`,
      [erasedBooklet],
    );
    const erasedRedemption = await redeemFirst(erasedBooklet);
    await job.handle({ redemptionId: erasedRedemption });
    expect(await emailsTo(mailDir(), erasedEmail)).toEqual([]);
    expect(await accessesOf(erasedBooklet)).toEqual([]);

    await expect(job.handle({ redemptionId: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(/does not exist/);
  });

  it('runs in the worker’s relay without Redis round trips: a bad row fails for good, the rest of its batch is done', async () => {
    const plain = serials[next++];
    await handOver(w, plain);
    const good = await redeemFirst(plain);
    const ghost = '00000000-0000-4000-8000-00000000beef';
    await sql(w.t, `INSERT INTO outbox_message (job_name, job_id, payload) VALUES ('redemption.voucher-redeemed', $1, $2)`, [
      `voucher-redeemed:${ghost}`,
      JSON.stringify({ redemptionId: ghost }),
    ]);
    await jobCompleted(good);
    const failed = await eventually(
      async () => {
        const rows = await sql<{ failed: boolean; error: string }>(
          w.t,
          `SELECT failed_at IS NOT NULL AS failed, last_error AS error FROM outbox_message WHERE job_id = $1`,
          [`voucher-redeemed:${ghost}`],
        );
        return rows[0]?.failed ? rows[0] : undefined;
      },
      'the bad row failing',
      30_000,
    );
    expect(failed.error).toMatch(/does not exist/);
    // nothing went through BullMQ for these jobs
    const email = w.t.app
      .get(BullQueues)
      .all()
      .find((q) => q.name === 'email')!;
    expect(await email.getJob(toBullJobId(`voucher-redeemed:${good}`))).toBeUndefined();
  });

  it('the access log refuses a system read that names a reader, and a user read that names none', async () => {
    const before = await sql(w.t, `SELECT count(*)::int AS n FROM personal_data_access`);
    const insert = (actorType: string, actorId: string | null, organisationId: string | null) =>
      sql(
        w.t,
        `INSERT INTO personal_data_access (person_pseudonym, actor_type, actor_id, organisation_id, what, purpose)
         VALUES ('p', $1, $2, $3, 'contact', 'satisfaction_survey')`,
        [actorType, actorId, organisationId],
      );
    await expect(insert('system', w.site.id, null)).rejects.toThrow(/personal_data_access_actor_check/);
    await expect(insert('system', null, w.site.id)).rejects.toThrow(/personal_data_access_actor_check/);
    await expect(insert('user', null, null)).rejects.toThrow(/personal_data_access_actor_check/);
    await expect(insert('user', w.site.id, null)).rejects.toThrow(/personal_data_access_actor_check/);
    await expect(insert('job', w.site.id, w.site.id)).rejects.toThrow(/personal_data_access_actor_type_check/);
    expect(await sql(w.t, `SELECT count(*)::int AS n FROM personal_data_access`)).toEqual(before);
  });
});
