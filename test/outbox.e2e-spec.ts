import { BullQueues, OutboxRelay } from '@sillage/queue';
import { createTestApp, TestApp, testConfig, withAdminClient } from '@sillage/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createWorker, WorkerApp } from '../apps/worker/src/create-worker';
import {
  createInvitedUserWithJob,
  emailsTo,
  enqueue,
  eventually,
  EXPECTED_QUEUES,
  freePort,
  operatorOrganisation,
  outboxRow,
  PrivateRedis,
  seedPeople,
  tempDataDir,
  uniqueEmail,
} from './queue-support';

/**
 * The API and a worker against a Redis of this test's own, which the test stops and starts: work
 * enqueued while Redis is down waits in the outbox and runs exactly once when it comes back.
 */
describe('transactional outbox with Redis and a worker', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let worker: WorkerApp;
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let mailDir: string;
  let healthUrl: string;
  let organisationId: string;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    data = await tempDataDir();
    mailDir = join(data.dir, 'mail');
    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
      DATA_DIR: data.dir,
      OUTBOX_POLL_MS: '50',
      OUTBOX_PUBLISH_RETRY_MAX_MS: '300',
      JOB_BACKOFF_MS: '50',
      WORKER_HEALTH_PORT: String(await freePort()),
      HOST: '127.0.0.1',
    };
    t = await createTestApp(env);
    worker = await createWorker(testConfig(t.db.appUrl, env));
    healthUrl = `http://127.0.0.1:${worker.health.port}/health`;
    organisationId = await operatorOrganisation(t);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.stop();
    await data?.remove();
  });

  const completedJobs = async () =>
    // the set-password email jobs these tests enqueue live in the 'email' queue
    await worker.context
      .get(BullQueues)
      .all()
      .find((q) => q.name === 'email')!
      .getJobCounts('completed', 'waiting', 'active', 'delayed', 'failed');

  it('relays in the worker only; the worker is live and ready', async () => {
    expect(t.app.get(OutboxRelay).running).toBe(false);
    expect(worker.relay).toMatchObject({ mode: 'publish', running: true });
    expect(worker.workers.queueNames).toEqual(EXPECTED_QUEUES);
    const live = await fetch(`${healthUrl}/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${healthUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' }, redis: { status: 'ok' } } });
  });

  it('keeps work in the outbox while Redis is down, then runs it exactly once', async () => {
    await redis.stop();
    const notReady = await eventually(async () => {
      const res = await fetch(`${healthUrl}/ready`);
      return res.status === 503 && ((await res.json()) as { checks: { redis: { status: string } } });
    }, 'the worker to report not ready');
    expect(notReady.checks.redis.status).toBe('failed');

    // The business transaction commits at once, Redis or not.
    const email = uniqueEmail();
    const jobId = `set-password-email:${randomUUID()}`;
    const started = Date.now();
    const userId = await createInvitedUserWithJob(t, organisationId, email, jobId);
    expect(Date.now() - started).toBeLessThan(1000);

    const waiting = await eventually(async () => {
      const r = await outboxRow(t, jobId);
      return r && r.attempts >= 2 && r.last_error ? r : undefined;
    }, 'the relay to fail to publish');
    expect(waiting.published_at).toBeNull();
    expect(waiting.failed_at).toBeNull();
    expect(await emailsTo(mailDir, email)).toHaveLength(0);

    await redis.start();
    const [mail] = await eventually(async () => {
      const found = await emailsTo(mailDir, email);
      return found.length > 0 && found;
    }, 'the email once Redis is back');
    expect(mail.body).toContain('/set-password#token=');
    const published = await eventually(async () => {
      const r = await outboxRow(t, jobId);
      return r?.published_at ? r : undefined;
    }, 'the row to be marked published');
    expect(published.failed_at).toBeNull();
    await eventually(async () => (await completedJobs()).completed === 1, 'BullMQ to record the job completed');
    expect(await emailsTo(mailDir, email)).toHaveLength(1);
    const tokens = await withAdminClient(t.db, (c) =>
      c.query(`SELECT count(*)::int AS n FROM set_password_token WHERE user_id = $1`, [userId]),
    );
    expect(tokens.rows[0].n).toBe(1);

    const ready = await eventually(async () => (await fetch(`${healthUrl}/ready`)).status === 200, 'the worker to be ready again');
    expect(ready).toBe(true);
  });

  it('makes the same job id one job, even when the row is published twice', async () => {
    const email = uniqueEmail();
    const jobId = `set-password-email:${randomUUID()}`;
    const userId = await createInvitedUserWithJob(t, organisationId, email, jobId);
    await eventually(async () => (await emailsTo(mailDir, email)).length === 1, 'the first email');
    await eventually(async () => (await outboxRow(t, jobId))?.published_at, 'the row to be published');
    const before = await completedJobs();

    // Enqueueing the same fact again writes nothing.
    await enqueue(t, 'identity.send-set-password-email', { userId }, jobId);
    const rows = await withAdminClient(t.db, (c) => c.query(`SELECT count(*)::int AS n FROM outbox_message WHERE job_id = $1`, [jobId]));
    expect(rows.rows[0].n).toBe(1);

    // A relay that crashed after adding the job but before recording it publishes the row again.
    await withAdminClient(t.db, (c) => c.query(`UPDATE outbox_message SET published_at = NULL WHERE job_id = $1`, [jobId]));
    await eventually(async () => (await outboxRow(t, jobId))?.published_at, 'the row to be published again');
    expect(await completedJobs()).toEqual(before);
    expect(await emailsTo(mailDir, email)).toHaveLength(1);
  });

  it('keeps jobs that fail in the worker, visible to operator admins', async () => {
    const people = await seedPeople(t);
    const jobId = `bad-payload:${randomUUID()}`;
    await enqueue(t, 'identity.send-set-password-email', { userId: 'not-a-uuid' }, jobId);
    const listed = await eventually(async () => {
      const res = await t.inject({
        method: 'GET',
        url: '/v1/admin/jobs/failed',
        headers: { authorization: `Bearer ${people.operatorAdmin.token}` },
      });
      const body = res.json<{ items: { jobId: string }[]; queues: unknown }>();
      return body.items.find((i) => i.jobId === jobId) && body;
    }, 'the failed job in the listing');
    expect(listed.queues).toEqual({ status: 'ok' });
    expect(listed.items.find((i) => i.jobId === jobId)).toEqual({
      source: 'bullmq',
      queue: 'email',
      name: 'identity.send-set-password-email',
      jobId,
      attempts: 1,
      failedReason: 'invalid payload for job "identity.send-set-password-email": userId must be a UUID',
      createdAt: expect.any(String),
      failedAt: expect.any(String),
    });
    // Published fine: the failure belongs to the job, not to the outbox.
    expect(await outboxRow(t, jobId)).toMatchObject({ failed_at: null, published_at: expect.any(Date) });
  });
});
