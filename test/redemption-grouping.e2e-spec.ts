import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BARRIER_LOCK_CLASS } from '@sillage/ledger';
import { RedemptionWriter, RedemptionWriterStats } from '@sillage/redemption';
import { sql } from '@sillage/testing';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

jest.setTimeout(120_000);

type Answer = { status: number; body: Record<string, unknown> };

/**
 * Redemptions that arrive while the writer's statements are all running go together in the next
 * statement (ADR 20). With one redemption connection, and the ledger's snapshot barrier held so that
 * the first statement waits, the test knows which redemptions share a statement: every one sent after
 * the first.
 */
describe('redemptions written together while the database is busy', () => {
  let w: RedemptionWorld;
  let writer: RedemptionWriter;
  let bookletSerial: string;

  beforeAll(async () => {
    w = await createRedemptionWorld({ DATABASE_REDEMPTION_CONNECTIONS: '1' });
    writer = w.t.app.get(RedemptionWriter);
    const { serials } = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 20 });
    bookletSerial = serials[0];
    await handOver(w, bookletSerial);
  });
  afterAll(async () => {
    await w?.close();
  });

  const token = async (idx: number) => (await voucherCodes(w.t, bookletSerial, idx)).qrToken;
  const since = (before: RedemptionWriterStats) => ({
    statements: writer.stats.statements - before.statements,
    grouped: writer.stats.grouped - before.grouped,
    groupsRetried: writer.stats.groupsRetried - before.groupsRetried,
  });

  /**
   * Sends `first` and, once it waits on the held barrier, all of `rest` at once; releases the barrier
   * when they all wait in the writer's queue. Answers in the order given.
   */
  async function sendTogether(first: () => Promise<Answer>, rest: (() => Promise<Answer>)[]): Promise<Answer[]> {
    const barrier = new Client({ connectionString: w.t.db.appUrl });
    await barrier.connect();
    try {
      await barrier.query('BEGIN');
      await barrier.query('SELECT pg_advisory_xact_lock($1, 0)', [BARRIER_LOCK_CLASS]);
      const answers = [first()];
      await until(async () => (await waitingOnBarrier(barrier)) === 1);
      answers.push(...rest.map((send) => send()));
      await until(async () => writer.queued === rest.length);
      await barrier.query('COMMIT');
      return await Promise.all(answers);
    } finally {
      await barrier.end();
    }
  }

  it('writes them in one statement, each redemption with its own row, line, transfer, audit event and outbox row', async () => {
    const before = { ...writer.stats };
    const tokens = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9].map(token));
    const send = (t: string) => () => redeem(w.t, w.site.agent, { vouchers: [{ qrToken: t }] });
    const answers = await sendTogether(send(tokens[0]), tokens.slice(1).map(send));

    expect(answers.map((a) => a.status)).toEqual(Array(9).fill(201));
    expect(since(before)).toEqual({ statements: 2, grouped: 8, groupsRetried: 0 });
    const serials = answers.map((a) => (a.body.vouchers as { serial: string }[])[0].serial);
    expect(serials).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `${bookletSerial}-${String(i).padStart(2, '0')}`));
    const ids = answers.map((a) => a.body.id as string);
    const rows = await sql<{ id: string; serial: string; count: number; amount: string; transfer: string; events: string; outbox: string }>(
      w.t,
      `SELECT r.id, l.voucher_serial AS serial, r.voucher_count AS count, r.amount_cents AS amount,
              (SELECT t.amount FROM ledger_transfer t WHERE t.reference_type = 'redemption' AND t.reference_id = r.id::text) AS transfer,
              (SELECT count(*) FROM audit_event e WHERE e.subject_type = 'redemption' AND e.subject_id = r.id::text AND e.action = 'redemption.recorded') AS events,
              (SELECT count(*) FROM outbox_message m WHERE m.job_id = 'voucher-redeemed:' || r.id) AS outbox
       FROM redemption r JOIN redemption_line l ON l.redemption_id = r.id WHERE r.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      expect(byId.get(id)).toEqual({ id, serial: serials[i], count: 1, amount: '1000', transfer: '1000', events: '1', outbox: '1' });
    });
  });

  it('writes the others when one of the group is refused, and answers each as if it had been alone', async () => {
    const before = { ...writer.stats };
    const [t10, t11, t12, t13, t14, t15, t01] = await Promise.all([10, 11, 12, 13, 14, 15, 1].map(token));
    // A retry is the same scan: same key, same body (occurredAt included, not each send's own clock).
    const scannedAt = new Date().toISOString();
    const send =
      (t: string, key: string = randomUUID()) =>
      () =>
        redeem(w.t, w.site.agent, { vouchers: [{ qrToken: t }], occurredAt: scannedAt }, key);
    const twinKey = randomUUID();
    const answers = await sendTogether(send(t10), [
      send(t11),
      send(t01), // redeemed by the first test
      send(t12),
      send(t12), // the same voucher again, another key
      send(t13, twinKey),
      send(t13, twinKey), // a retry of the same scan, sent twice at once
      send(t14),
      () => redeem(w.t, w.site.agent, { vouchers: [{ qrToken: t15 }, { qrToken: t01 }] }), // one of two already redeemed
    ]);

    const [first, eleven, alreadyRedeemed, twelveA, twelveB, twinA, twinB, fourteen, halfRedeemed] = answers;
    expect([first.status, eleven.status, fourteen.status]).toEqual([201, 201, 201]);
    expect(alreadyRedeemed.status).toBe(409);
    expect(alreadyRedeemed.body.code).toBe('ALREADY_REDEEMED');
    expect([halfRedeemed.status, halfRedeemed.body.code]).toEqual([409, 'ALREADY_REDEEMED']);
    expect([twelveA.status, twelveB.status].sort()).toEqual([201, 409]);
    expect([twelveA, twelveB].find((a) => a.status === 409)?.body.code).toBe('ALREADY_REDEEMED');
    expect(twinA.status).toBe(201);
    expect({ status: twinB.status, body: twinB.body }).toEqual({ status: 201, body: twinA.body });
    // The group's statement failed once; then each of its eight redemptions went alone.
    expect(since(before)).toEqual({ statements: 1 + 1 + 8, grouped: 0, groupsRetried: 1 });

    const lines = await sql<{ serial: string; n: string }>(
      w.t,
      `SELECT l.voucher_serial AS serial, count(*) AS n FROM redemption_line l JOIN redemption r ON r.id = l.redemption_id
       WHERE l.voucher_serial LIKE $1 || '-%' AND r.undone_at IS NULL GROUP BY 1 ORDER BY 1`,
      [bookletSerial],
    );
    expect(lines).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((i) => ({ serial: `${bookletSerial}-${String(i).padStart(2, '0')}`, n: '1' })),
    );
    const [counts] = await sql<{ redemptions: string; transfers: string; events: string; active: string }>(
      w.t,
      `SELECT (SELECT count(*) FROM redemption) AS redemptions,
              (SELECT count(*) FROM ledger_transfer WHERE reference_type = 'redemption') AS transfers,
              (SELECT count(*) FROM audit_event WHERE action = 'redemption.recorded') AS events,
              (SELECT count(*) FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE b.serial = $1 AND v.status = 'ACTIVE') AS active`,
      [bookletSerial],
    );
    // Voucher 15 stays ACTIVE: its redemption, with voucher 1, was refused as a whole.
    expect(counts).toEqual({ redemptions: '14', transfers: '14', events: '14', active: '6' });
  });

  it('writes on connections of its own, named apart from the API’s and the worker’s', async () => {
    const sessions = await sql<{ name: string; n: string }>(
      w.t,
      `SELECT application_name AS name, count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
       GROUP BY 1 ORDER BY 1`,
    );
    const names = sessions.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['sillage-api', 'sillage-redemptions', 'sillage-worker']));
    // One redemption connection (DATABASE_REDEMPTION_CONNECTIONS=1 here), still open after the refusals
    // of the test before: a refused statement does not cost the connection.
    expect(sessions.find((s) => s.name === 'sillage-redemptions')?.n).toBe('1');
  });

  it('survives the server ending its idle connection, and writes the next redemption on a new one', async () => {
    const ended = await sql<{ ended: boolean }>(
      w.t,
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sillage-redemptions'`,
    );
    expect(ended).toEqual([{ ended: true }]);
    // The pool hears of it as an 'error' on the idle connection; without a listener the process would end here.
    await until(async () => (await sql(w.t, `SELECT 1 FROM pg_stat_activity WHERE application_name = 'sillage-redemptions'`)).length === 0);
    await new Promise((r) => setTimeout(r, 100));
    const answer = await redeem(w.t, w.site.agent, { vouchers: [{ qrToken: await token(20) }] });
    expect(answer.status).toBe(201);
  });

  it('counts its statements on /metrics', async () => {
    const res = await w.t.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`sillage_redemption_statements_total ${writer.stats.statements}`);
    expect(res.body).toContain(`sillage_redemptions_grouped_total ${writer.stats.grouped}`);
    expect(res.body).toContain(`sillage_redemption_groups_retried_total ${writer.stats.groupsRetried}`);
    expect(writer.stats.grouped).toBe(8);
  });
});

/** How many sessions wait for the snapshot barrier that `holder` holds. */
async function waitingOnBarrier(holder: Client): Promise<number> {
  const r = await holder.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND NOT granted`,
    [BARRIER_LOCK_CLASS],
  );
  return Number(r.rows[0].n);
}

async function until(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
