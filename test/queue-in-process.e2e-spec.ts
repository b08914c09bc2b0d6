import { sha256 } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { Outbox, OutboxRelay } from '@sillage/queue';
import { createTestApp, TestApp, withAdminClient } from '@sillage/testing';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createInvitedUserWithJob,
  decodeHeader,
  emailsTo,
  enqueue,
  eventually,
  insertUser,
  outboxRow,
  People,
  seedPeople,
  tempDataDir,
  uniqueEmail,
} from './queue-support';

/**
 * Without REDIS_URL the API process runs the jobs itself: the relay leases outbox rows and calls
 * the handlers, recording attempts, errors, backoff and a terminal failure on the row.
 */
describe('jobs in-process (no Redis)', () => {
  let t: TestApp;
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let mailDir: string;
  let people: People;
  // The application's JSON log lines, kept off the console and searched for secrets.
  const logs: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
          const text = String(chunk);
          if (text.startsWith('{"level"')) {
            logs.push(text);
            return true;
          }
          return write(chunk, ...rest);
        }),
      );
    }
    data = await tempDataDir();
    mailDir = join(data.dir, 'mail');
    t = await createTestApp({
      REDIS_URL: undefined,
      DATA_DIR: data.dir,
      OUTBOX_POLL_MS: '50',
      JOB_ATTEMPTS: '3',
      JOB_BACKOFF_MS: '100',
      PUBLIC_BASE_URL: 'https://sillage.example.org',
      LOG_LEVEL: 'info',
    });
    people = await seedPeople(t);
  });

  afterAll(async () => {
    await t?.close();
    await data?.remove();
    for (const spy of spies) spy.mockRestore();
  });

  it('runs the relay in the API process, in in-process mode', () => {
    const relay = t.app.get(OutboxRelay);
    expect(relay.mode).toBe('in-process');
    expect(relay.running).toBe(true);
  });

  it('sends the set-password email, French first, with a link that sets the password', async () => {
    const email = uniqueEmail();
    const jobId = `set-password-email:${randomUUID()}`;
    const userId = await createInvitedUserWithJob(t, people.operatorAdmin.organisationId, email, jobId);

    const [mail] = await eventually(async () => {
      const found = await emailsTo(mailDir, email);
      return found.length > 0 && found;
    }, 'the set-password email');
    expect(decodeHeader(mail.headers.subject)).toBe('Sillage : choisissez votre mot de passe / choose your password');
    expect(mail.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(mail.headers['message-id']).toMatch(/^<.+@localhost>$/);
    expect(mail.body.indexOf('Bonjour Zoé Élodie,')).toBe(0);
    expect(mail.body.indexOf('Hello Zoé Élodie,')).toBeGreaterThan(mail.body.indexOf('Un compte Sillage a été créé pour vous.'));
    const links = [...mail.body.matchAll(/https:\/\/sillage\.example\.org\/set-password#token=([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
    expect(links).toHaveLength(2);
    expect(links[0]).toBe(links[1]);
    const token = links[0];

    // The row is done, the payload never carried the token, which is stored hashed only.
    const row = await eventually(async () => {
      const r = await outboxRow(t, jobId);
      return r?.published_at ? r : undefined;
    }, 'the outbox row marked done');
    expect(row).toMatchObject({ attempts: 1, failed_at: null, last_error: null, payload: { userId } });
    const stored = await withAdminClient(t.db, (c) =>
      c.query(`SELECT channel FROM set_password_token WHERE user_id = $1 AND token_hash = $2`, [userId, sha256(token)]),
    );
    expect(stored.rows).toEqual([{ channel: 'email' }]);
    const audit = await withAdminClient(t.db, (c) =>
      c.query(`SELECT actor_type, reason_code FROM audit_event WHERE action = 'auth.set_password_link_issued' AND subject_id = $1`, [
        userId,
      ]),
    );
    expect(audit.rows).toEqual([{ actor_type: 'system', reason_code: 'SET_PASSWORD_EMAIL' }]);

    // The logs say it was sent, without the link, the token or the address.
    const sentLine = logs.find((l) => l.includes(`set-password email sent for user ${userId}`));
    expect(sentLine).toBeDefined();
    expect(logs.filter((l) => l.includes(token) || l.includes(email))).toEqual([]);

    // The person opens the link and chooses a password: the account becomes active.
    const res = await t.inject({ method: 'POST', url: '/v1/auth/set-password', payload: { token, password: 'Velvet-Harbour-Lantern-42' } });
    expect(res.statusCode).toBeLessThan(300);
    const status = await withAdminClient(t.db, (c) => c.query(`SELECT status FROM app_user WHERE id = $1`, [userId]));
    expect(status.rows[0].status).toBe('active');
  });

  it('retries a failing job with backoff, minting a new link each time, and ends visibly failed', async () => {
    // The mail directory becomes a plain file: every send fails.
    await rm(mailDir, { recursive: true, force: true });
    await writeFile(mailDir, 'not a directory');
    const email = uniqueEmail();
    const jobId = `set-password-email:${randomUUID()}`;
    let userId: string;
    try {
      userId = await createInvitedUserWithJob(t, people.operatorAdmin.organisationId, email, jobId);
      const row = await eventually(async () => {
        const r = await outboxRow(t, jobId);
        return r?.failed_at ? r : undefined;
      }, 'the job to fail for good');
      expect(row.attempts).toBe(3);
      expect(row.published_at).toBeNull();
      expect(row.last_error).toMatch(/EEXIST|ENOTDIR/);
      // Two waits between three attempts: 100 ms, then 200 ms.
      expect(row.failed_at!.getTime() - row.created_at.getTime()).toBeGreaterThanOrEqual(300);
    } finally {
      await rm(mailDir, { force: true });
      await mkdir(mailDir);
    }
    const tokens = await withAdminClient(t.db, (c) =>
      c.query(`SELECT count(*)::int AS n FROM set_password_token WHERE user_id = $1`, [userId]),
    );
    expect(tokens.rows[0].n).toBe(3);

    const res = await t.inject({
      method: 'GET',
      url: '/v1/admin/jobs/failed?limit=100',
      headers: { authorization: `Bearer ${people.operatorAdmin.token}` },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.queues).toEqual({ status: 'not-configured' });
    expect(body.items).toContainEqual(
      expect.objectContaining({
        source: 'outbox',
        queue: null,
        name: 'identity.send-set-password-email',
        jobId,
        attempts: 3,
        failedReason: expect.stringMatching(/EEXIST|ENOTDIR/),
        failedAt: expect.any(String),
      }),
    );
  });

  it('fails a job with an invalid payload at once, with a clear error', async () => {
    const jobId = `bad-payload:${randomUUID()}`;
    await enqueue(t, 'identity.send-set-password-email', { userId: 'not-a-uuid' }, jobId);
    const row = await eventually(async () => {
      const r = await outboxRow(t, jobId);
      return r?.failed_at ? r : undefined;
    }, 'the invalid job to fail');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('invalid payload for job "identity.send-set-password-email": userId must be a UUID');

    const unknownField = `extra-field:${randomUUID()}`;
    await enqueue(t, 'identity.send-set-password-email', { userId: randomUUID(), admin: true } as never, unknownField);
    const other = await eventually(async () => {
      const r = await outboxRow(t, unknownField);
      return r?.failed_at ? r : undefined;
    }, 'the job with an unknown field to fail');
    expect(other.last_error).toContain('unknown field admin');
  });

  it('fails permanently for a user that does not exist, and sends nothing to an account already active', async () => {
    const missing = `missing-user:${randomUUID()}`;
    await enqueue(t, 'identity.send-set-password-email', { userId: randomUUID() }, missing);
    const row = await eventually(async () => {
      const r = await outboxRow(t, missing);
      return r?.failed_at ? r : undefined;
    }, 'the job for a missing user to fail');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/^PermanentJobError: user [0-9a-f-]+ does not exist$/);

    const email = uniqueEmail();
    const activeUser = await insertUser(t, people.operatorAdmin.organisationId, 'agent', 'active', email);
    const jobId = `active-user:${randomUUID()}`;
    await enqueue(t, 'identity.send-set-password-email', { userId: activeUser }, jobId);
    const done = await eventually(async () => {
      const r = await outboxRow(t, jobId);
      return r?.published_at ? r : undefined;
    }, 'the job for an active user to complete');
    expect(done.failed_at).toBeNull();
    expect(await emailsTo(mailDir, email)).toHaveLength(0);
  });

  it('lists failed jobs for operator admins only, and validates limit', async () => {
    const url = '/v1/admin/jobs/failed';
    expect((await t.inject({ method: 'GET', url })).statusCode).toBe(401);
    const funder = await t.inject({ method: 'GET', url, headers: { authorization: `Bearer ${people.funderAdmin.token}` } });
    expect(funder.statusCode).toBe(404);
    const agent = await t.inject({ method: 'GET', url, headers: { authorization: `Bearer ${people.operatorAgent.token}` } });
    expect(agent.statusCode).toBe(403);
    for (const bad of ['limit=0', 'limit=101', 'limit=ten', 'cursor=abc']) {
      const res = await t.inject({
        method: 'GET',
        url: `${url}?${bad}`,
        headers: { authorization: `Bearer ${people.operatorAdmin.token}` },
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().field).toBe(bad.split('=')[0]);
    }
    const one = await t.inject({
      method: 'GET',
      url: `${url}?limit=1`,
      headers: { authorization: `Bearer ${people.operatorAdmin.token}` },
    });
    expect(one.json().items).toHaveLength(1);
    expect(one.json().hasMore).toBe(true);
  });

  it('explains at /admin/queues that jobs run in-process, and opens no board session', async () => {
    const res = await t.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: `Bearer ${people.operatorAdmin.token}` } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toContain('jobs run in-process');
    const session = await t.inject({
      method: 'POST',
      url: '/v1/admin/queues-session',
      headers: { authorization: `Bearer ${people.operatorAdmin.token}` },
    });
    expect(session.statusCode).toBe(404);
    expect(session.headers['set-cookie']).toBeUndefined();
  });

  it('keeps a job rolled back with its transaction out of the outbox', async () => {
    const jobId = `rolled-back:${randomUUID()}`;
    await expect(
      t.app.get(TransactionRunner).run(async (tx) => {
        await t.app.get(Outbox).enqueue(tx, 'identity.send-set-password-email', { userId: randomUUID() }, jobId);
        throw new Error('business rule refused');
      }),
    ).rejects.toThrow('business rule refused');
    expect(await outboxRow(t, jobId)).toBeUndefined();
  });
});
