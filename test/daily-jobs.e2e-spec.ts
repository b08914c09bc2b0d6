import { DailyJobScheduler, OutboxRelay, parisDay } from '@sillage/queue';
import { createTestApp, TestApp } from '@sillage/testing';
import { Client } from 'pg';
import { eventually } from './queue-support';

async function outboxRows(
  t: TestApp,
): Promise<{ job_id: string; published_at: Date | null; failed_at: Date | null; last_error: string | null }[]> {
  const c = new Client({ connectionString: t.db.adminUrl });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT job_id, published_at, failed_at, last_error FROM outbox_message WHERE job_name IN ('ledger.daily-check', 'privacy.retention', 'distribution.notices', 'settlement.schedule', 'settlement.expire', 'queue.outbox-retention') ORDER BY id`,
    );
    return rows;
  } finally {
    await c.end();
  }
}

describe('daily jobs (in-process mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: undefined });
    t.app.get(OutboxRelay).start();
  });
  afterAll(async () => {
    await t.close();
  });

  it('uses the Europe/Paris calendar day, not UTC', () => {
    expect(parisDay(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-29'); // 00:30 in Paris (UTC+1)
    expect(parisDay(new Date('2026-07-14T21:59:00Z'))).toBe('2026-07-14'); // 23:59 in Paris (UTC+2)
    expect(parisDay(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
  });

  it('queues the daily jobs (ledger check, personal-data retention, outbox retention, …) once per Paris day however often it ticks, and runs them', async () => {
    const scheduler = t.app.get(DailyJobScheduler);
    const morning = new Date('2026-11-27T07:00:00Z');
    const ids = await scheduler.tick(morning);
    await scheduler.tick(new Date('2026-11-27T20:00:00Z'));
    await scheduler.tick(morning);
    expect(ids).toEqual([
      'ledger.daily-check:2026-11-27',
      'privacy.retention:2026-11-27',
      'distribution.notices:2026-11-27',
      'settlement.schedule:2026-11-27',
      'settlement.expire:2026-11-27',
      'queue.outbox-retention:2026-11-27',
    ]);

    const rows = await eventually(async () => {
      const r = await outboxRows(t);
      return r.every((x) => x.published_at !== null) && r;
    }, 'the daily jobs to run');
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toMatchObject({ failed_at: null, last_error: null });

    await scheduler.tick(new Date('2026-11-28T07:00:00Z'));
    expect((await outboxRows(t)).map((r) => r.job_id).sort()).toEqual([
      'distribution.notices:2026-11-27',
      'distribution.notices:2026-11-28',
      'ledger.daily-check:2026-11-27',
      'ledger.daily-check:2026-11-28',
      'privacy.retention:2026-11-27',
      'privacy.retention:2026-11-28',
      'queue.outbox-retention:2026-11-27',
      'queue.outbox-retention:2026-11-28',
      'settlement.expire:2026-11-27',
      'settlement.expire:2026-11-28',
      'settlement.schedule:2026-11-27',
      'settlement.schedule:2026-11-28',
    ]);
  });
});
