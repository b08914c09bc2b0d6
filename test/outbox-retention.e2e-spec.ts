import { TransactionRunner } from '@sillage/db';
import { JobRunner, Outbox } from '@sillage/queue';
import { createTestApp, TestApp, withAdminClient } from '@sillage/testing';

/**
 * The daily `queue.outbox-retention` job: published rows older than OUTBOX_RETENTION_DAYS (30 by
 * default) go, in pages; failed rows (the failed-jobs listing) and pending rows (still to run) stay,
 * and so do rows published within the period, whatever their age.
 */
describe('outbox retention', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No Redis and the relay not started: the rows stay as the test writes them.
    t = await createTestApp({ REDIS_URL: undefined });
  });
  afterAll(async () => {
    await t?.close();
  });

  const jobIds = async (): Promise<string[]> =>
    withAdminClient(t.db, async (c) =>
      (await c.query<{ job_id: string }>(`SELECT job_id FROM outbox_message ORDER BY id`)).rows.map((r) => r.job_id),
    );

  const runRetention = () =>
    t.app.get(JobRunner).run('queue.outbox-retention', { day: '2026-11-29' }, { jobId: 'queue.outbox-retention:2026-11-29', attempt: 1 });

  it('deletes the rows published more than 30 days ago, over several pages, and keeps failed, pending and recent ones', async () => {
    await withAdminClient(t.db, async (c) => {
      // 12,000 redemption jobs published 39 days ago: more than two pages of 5,000.
      await c.query(
        `INSERT INTO outbox_message (job_name, job_id, payload, created_at, next_attempt_at, published_at)
         SELECT 'redemption.voucher-redeemed', 'voucher-redeemed:old-' || n, '{}', now() - interval '40 days', now() - interval '40 days',
                now() - interval '39 days'
         FROM generate_series(1, 12000) n`,
      );
      const row = (jobId: string, created: string, published: string | null, failed: string | null, next = created) =>
        c.query(
          `INSERT INTO outbox_message (job_name, job_id, payload, created_at, next_attempt_at, published_at, failed_at, last_error)
           VALUES ('ledger.daily-check', $1, '{}', now() - $2::interval, now() - $5::interval, now() - $3::interval, now() - $4::interval,
                   CASE WHEN $4::interval IS NULL THEN NULL ELSE 'boom' END)`,
          [jobId, created, published, failed, next],
        );
      await row('old-failed', '40 days', null, '39 days');
      await row('old-pending', '40 days', null, null, '-1 day'); // its next attempt is tomorrow
      await row('published-31-days-ago', '31 days', '31 days', null);
      await row('published-29-days-ago', '31 days', '29 days', null);
      await row('published-yesterday', '1 day', '1 day', null);
    });
    expect(await jobIds()).toHaveLength(12_005);

    await runRetention();
    expect(await jobIds()).toEqual(['old-failed', 'old-pending', 'published-29-days-ago', 'published-yesterday']);

    // Again: nothing more to delete.
    await runRetention();
    expect(await jobIds()).toEqual(['old-failed', 'old-pending', 'published-29-days-ago', 'published-yesterday']);

    // A kept row still refuses a second enqueue of its job.
    await t.app
      .get(TransactionRunner)
      .run((tx) => t.app.get(Outbox).enqueue(tx, 'ledger.daily-check', { day: '2026-11-28' }, 'published-yesterday'));
    expect(await jobIds()).toEqual(['old-failed', 'old-pending', 'published-29-days-ago', 'published-yesterday']);
  });
});
