import { dataSourceOptions, TransactionRunner } from '@sillage/db';
import { createTestDatabase, TestDatabase, withAdminClient } from '@sillage/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runLedgerCheck } from '../../../scripts/ledger-check';
import { LedgerChecker } from './ledger-checker';
import { LedgerError } from './ledger.errors';
import { LedgerRepository } from './ledger.repository';
import { LedgerSnapshotRepository } from './ledger-snapshot.repository';
import { LedgerSnapshotter } from './ledger-snapshotter';
import { Ledger } from './ledger';
import { LedgerAccount } from './ledger.types';

/** The write path, balances, snapshots and the invariant check against real PostgreSQL, as the app role. */
describe('Ledger (PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tx: TransactionRunner;
  let ledger: Ledger;
  let snapshotter: LedgerSnapshotter;
  let funderReceived: LedgerAccount;
  let funderAvailable: LedgerAccount;
  let order: LedgerAccount;
  let site: LedgerAccount;

  const run = <T>(work: (t: Parameters<Parameters<TransactionRunner['run']>[0]>[0]) => Promise<T>) => tx.run(work);
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'OK';
    } catch (e) {
      if (e instanceof LedgerError) return e.code;
      throw e;
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.appUrl, { poolSize: 12 }));
    await ds.initialize();
    tx = new TransactionRunner(ds);
    ledger = new Ledger(new LedgerRepository());
    snapshotter = new LedgerSnapshotter(tx, new LedgerSnapshotRepository());
    const funder = randomUUID();
    [funderReceived, funderAvailable, order, site] = await run(async (t) => [
      await ledger.openAccount(t, { kind: 'funder_received', ownerOrganisationId: funder }),
      await ledger.openAccount(t, { kind: 'funder_available', ownerOrganisationId: funder }),
      await ledger.openAccount(t, { kind: 'order_outstanding', ownerOrganisationId: funder, orderId: randomUUID() }),
      await ledger.openAccount(t, { kind: 'site_payable', ownerOrganisationId: randomUUID() }),
    ]);
    // The funder pays 100 €: received → available → the order's outstanding vouchers.
    await run(async (t) => {
      await ledger.transfer(t, {
        id: randomUUID(),
        debitAccountId: funderReceived.id,
        creditAccountId: funderAvailable.id,
        amount: 10_000,
      });
      await ledger.transfer(t, { id: randomUUID(), debitAccountId: funderAvailable.id, creditAccountId: order.id, amount: 10_000 });
    });
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('opens an account once per identity and keeps the chart flags', async () => {
    const again = await run((t) =>
      ledger.openAccount(t, { kind: 'order_outstanding', ownerOrganisationId: order.ownerOrganisationId, orderId: order.orderId }),
    );
    expect(again.id).toBe(order.id);
    expect(order.flags).toEqual({ debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false });
    expect(order.code).toBe(301);
    await expect(run((t) => ledger.openAccount(t, { kind: 'site_payable' }))).rejects.toMatchObject({
      code: 'INVALID_TRANSFER',
      options: { field: 'kind' },
    });
    const fees1 = await run((t) => ledger.openAccount(t, { kind: 'fees' }));
    const fees2 = await run((t) => ledger.openAccount(t, { kind: 'fees' }));
    expect(fees1.id).toBe(fees2.id);
  });

  it('derives balances from transfers: posted, pending, partial post, void', async () => {
    expect(await run((t) => ledger.balance(t, order.id))).toEqual({
      debitsPosted: 0,
      creditsPosted: 10_000,
      debitsPending: 0,
      creditsPending: 0,
    });
    const p1 = randomUUID();
    const p2 = randomUUID();
    await run(async (t) => {
      await ledger.createPending(t, {
        id: p1,
        debitAccountId: order.id,
        creditAccountId: site.id,
        amount: 1_500,
        reference: { type: 'redemption', id: 'r-1' },
      });
      await ledger.createPending(t, { id: p2, debitAccountId: order.id, creditAccountId: site.id, amount: 700 });
    });
    expect(await run((t) => ledger.balance(t, site.id))).toEqual({
      debitsPosted: 0,
      creditsPosted: 0,
      debitsPending: 0,
      creditsPending: 2_200,
    });
    await run((t) => ledger.post(t, p1, { id: randomUUID(), amount: 1_000 }));
    await run((t) => ledger.void(t, p2, { id: randomUUID() }));
    expect(await run((t) => ledger.balance(t, site.id))).toEqual({
      debitsPosted: 0,
      creditsPosted: 1_000,
      debitsPending: 0,
      creditsPending: 0,
    });
    expect(await run((t) => ledger.balance(t, order.id))).toEqual({
      debitsPosted: 1_000,
      creditsPosted: 10_000,
      debitsPending: 0,
      creditsPending: 0,
    });
  });

  it('answers a replay with the original transfer and refuses the same id with other content', async () => {
    const id = randomUUID();
    const input = { id, debitAccountId: order.id, creditAccountId: site.id, amount: 100, userData: { a: 1, b: 'x' } };
    const first = await run((t) => ledger.transfer(t, input));
    const replay = await run((t) => ledger.transfer(t, { ...input, userData: { b: 'x', a: 1 } }));
    expect(replay).toEqual(first);
    expect(await code(run((t) => ledger.transfer(t, { ...input, amount: 101 })))).toBe('TRANSFER_ID_CONFLICT');
    expect(await code(run((t) => ledger.createPending(t, input)))).toBe('TRANSFER_ID_CONFLICT');
    const { rows } = await withAdminClient(db, (c) => c.query(`SELECT count(*)::int AS n FROM ledger_transfer WHERE id = $1`, [id]));
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('resolves a pending transfer at most once; a post replay returns the original', async () => {
    const pending = randomUUID();
    await run((t) => ledger.createPending(t, { id: pending, debitAccountId: order.id, creditAccountId: site.id, amount: 300 }));
    expect(await code(run((t) => ledger.post(t, pending, { id: randomUUID(), amount: 301 })))).toBe('AMOUNT_EXCEEDS_PENDING');
    const postId = randomUUID();
    const post = await run((t) => ledger.post(t, pending, { id: postId }));
    expect(post).toMatchObject({ kind: 'post_pending', amount: 300, pendingAmount: 300, pendingId: pending });
    expect(await run((t) => ledger.post(t, pending, { id: postId }))).toEqual(post);
    expect(await code(run((t) => ledger.post(t, pending, { id: randomUUID() })))).toBe('PENDING_ALREADY_RESOLVED');
    expect(await code(run((t) => ledger.void(t, pending, { id: randomUUID() })))).toBe('PENDING_ALREADY_RESOLVED');
    expect(await code(run((t) => ledger.post(t, post.id, { id: randomUUID() })))).toBe('PENDING_NOT_FOUND');
  });

  it('reverses a posted transfer by the amount posted, once per id; refuses what was never posted', async () => {
    const before = await run((t) => ledger.balance(t, site.id));
    const single = randomUUID();
    await run((t) => ledger.transfer(t, { id: single, debitAccountId: order.id, creditAccountId: site.id, amount: 250 }));
    const reversalId = randomUUID();
    const reversal = await run((t) => ledger.reverse(t, single, { id: reversalId, reference: { type: 'redemption', id: single } }));
    expect(reversal).toMatchObject({ kind: 'single', debitAccountId: site.id, creditAccountId: order.id, amount: 250 });
    expect(await run((t) => ledger.reverse(t, single, { id: reversalId, reference: { type: 'redemption', id: single } }))).toEqual(
      reversal,
    );
    // A pending transfer counts by its post (a partial post is reversed by what it posted).
    const pending = randomUUID();
    await run((t) => ledger.createPending(t, { id: pending, debitAccountId: order.id, creditAccountId: site.id, amount: 400 }));
    expect(await code(run((t) => ledger.reverse(t, pending, { id: randomUUID() })))).toBe('INVALID_TRANSFER');
    await run((t) => ledger.post(t, pending, { id: randomUUID(), amount: 300 }));
    expect(await run((t) => ledger.reverse(t, pending, { id: randomUUID() }))).toMatchObject({ amount: 300, debitAccountId: site.id });
    const voided = randomUUID();
    await run((t) => ledger.createPending(t, { id: voided, debitAccountId: order.id, creditAccountId: site.id, amount: 50 }));
    await run((t) => ledger.void(t, voided, { id: randomUUID() }));
    expect(await code(run((t) => ledger.reverse(t, voided, { id: randomUUID() })))).toBe('INVALID_TRANSFER');
    expect(await code(run((t) => ledger.reverse(t, randomUUID(), { id: randomUUID() })))).toBe('INVALID_TRANSFER');
    // The site is back where it was: 250 and 300 in, then out again.
    expect(await run((t) => ledger.balance(t, site.id))).toEqual({
      ...before,
      debitsPosted: before.debitsPosted + 550,
      creditsPosted: before.creditsPosted + 550,
    });
  });

  it('keeps the caller’s transaction usable after PENDING_ALREADY_RESOLVED', async () => {
    const pending = randomUUID();
    await run((t) => ledger.createPending(t, { id: pending, debitAccountId: order.id, creditAccountId: site.id, amount: 50 }));
    await run((t) => ledger.void(t, pending, { id: randomUUID() }));
    const after = randomUUID();
    await run(async (t) => {
      expect(await code(ledger.post(t, pending, { id: randomUUID() }))).toBe('PENDING_ALREADY_RESOLVED');
      await ledger.transfer(t, { id: after, debitAccountId: order.id, creditAccountId: site.id, amount: 1 });
    });
    const { rows } = await withAdminClient(db, (c) => c.query(`SELECT amount::int FROM ledger_transfer WHERE id = $1`, [after]));
    expect(rows).toEqual([{ amount: 1 }]);
  });

  it('refuses bad input before touching the database', async () => {
    const base = { id: randomUUID(), debitAccountId: order.id, creditAccountId: site.id, amount: 1 };
    expect(await code(run((t) => ledger.transfer(t, { ...base, amount: 0 })))).toBe('INVALID_AMOUNT');
    expect(await code(run((t) => ledger.transfer(t, { ...base, amount: 1.5 })))).toBe('INVALID_AMOUNT');
    expect(await code(run((t) => ledger.transfer(t, { ...base, amount: 2 ** 53 })))).toBe('INVALID_AMOUNT');
    expect(await code(run((t) => ledger.transfer(t, { ...base, id: 'nope' })))).toBe('INVALID_TRANSFER');
    expect(await code(run((t) => ledger.transfer(t, { ...base, creditAccountId: order.id })))).toBe('INVALID_TRANSFER');
    expect(await code(run((t) => ledger.transfer(t, { ...base, creditAccountId: randomUUID() })))).toBe('ACCOUNT_NOT_FOUND');
    expect(await code(run((t) => ledger.transfer(t, { ...base, currency: 'USD' })))).toBe('CURRENCY_MISMATCH');
    expect(await code(run((t) => ledger.transfer(t, { ...base, eventAt: new Date(Date.now() + 3600_000) })))).toBe('INVALID_EVENT_AT');
    expect(await code(run((t) => ledger.transfer(t, { ...base, reference: { type: 'Bad Type', id: 'x' } })))).toBe('INVALID_TRANSFER');
    const { rows } = await withAdminClient(db, (c) => c.query(`SELECT count(*)::int AS n FROM ledger_transfer WHERE id = $1`, [base.id]));
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('enforces debits_must_not_exceed_credits, counting pending debits', async () => {
    const funder = randomUUID();
    const [recv, avail, ord] = await run(async (t) => [
      await ledger.openAccount(t, { kind: 'funder_received', ownerOrganisationId: funder }),
      await ledger.openAccount(t, { kind: 'funder_available', ownerOrganisationId: funder }),
      await ledger.openAccount(t, { kind: 'order_outstanding', ownerOrganisationId: funder, orderId: randomUUID() }),
    ]);
    await run((t) => ledger.transfer(t, { id: randomUUID(), debitAccountId: recv.id, creditAccountId: avail.id, amount: 500 }));
    await run((t) => ledger.createPending(t, { id: randomUUID(), debitAccountId: avail.id, creditAccountId: ord.id, amount: 400 }));
    expect(
      await code(run((t) => ledger.transfer(t, { id: randomUUID(), debitAccountId: avail.id, creditAccountId: ord.id, amount: 101 }))),
    ).toBe('EXCEEDS_CREDITS');
    expect(
      await code(run((t) => ledger.transfer(t, { id: randomUUID(), debitAccountId: avail.id, creditAccountId: ord.id, amount: 100 }))),
    ).toBe('OK');
    // funder_received is debit-normal: crediting it beyond its debits is refused.
    expect(
      await code(run((t) => ledger.transfer(t, { id: randomUUID(), debitAccountId: avail.id, creditAccountId: recv.id, amount: 501 }))),
    ).toBe('EXCEEDS_CREDITS');
  });

  it('lets exactly one of 8 concurrent posts or voids of one pending transfer win', async () => {
    for (let round = 0; round < 3; round++) {
      const pending = randomUUID();
      await run((t) => ledger.createPending(t, { id: pending, debitAccountId: order.id, creditAccountId: site.id, amount: 80 }));
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          code(
            run((t) =>
              i % 2 === 0 ? ledger.post(t, pending, { id: randomUUID(), amount: 10 + i }) : ledger.void(t, pending, { id: randomUUID() }),
            ),
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'PENDING_ALREADY_RESOLVED')).toHaveLength(7);
      const { rows } = await withAdminClient(db, (c) =>
        c.query(`SELECT count(*)::int AS n FROM ledger_transfer WHERE pending_id = $1`, [pending]),
      );
      expect(rows).toEqual([{ n: 1 }]);
    }
  });

  it('turns 8 concurrent submissions of one transfer id into one row: same content → the original, other content → conflict', async () => {
    const id = randomUUID();
    const same = await Promise.all(
      Array.from({ length: 8 }, () =>
        run((t) => ledger.transfer(t, { id, debitAccountId: order.id, creditAccountId: site.id, amount: 9 })),
      ),
    );
    expect(new Set(same.map((x) => JSON.stringify(x))).size).toBe(1);
    const other = randomUUID();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        code(run((t) => ledger.transfer(t, { id: other, debitAccountId: order.id, creditAccountId: site.id, amount: 10 + i }))),
      ),
    );
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'TRANSFER_ID_CONFLICT')).toHaveLength(7);
    const { rows } = await withAdminClient(db, (c) =>
      c.query(`SELECT count(*)::int AS n FROM ledger_transfer WHERE id = ANY($1::uuid[])`, [[id, other]]),
    );
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('never lets concurrent debits overdraw a flagged account', async () => {
    const funder = randomUUID();
    const [recv, avail] = await run(async (t) => [
      await ledger.openAccount(t, { kind: 'funder_received', ownerOrganisationId: funder }),
      await ledger.openAccount(t, { kind: 'funder_available', ownerOrganisationId: funder }),
    ]);
    const ord = await run((t) => ledger.openAccount(t, { kind: 'order_outstanding', ownerOrganisationId: funder, orderId: randomUUID() }));
    await run((t) => ledger.transfer(t, { id: randomUUID(), debitAccountId: recv.id, creditAccountId: avail.id, amount: 1_000 }));
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        code(run((t) => ledger.transfer(t, { id: randomUUID(), debitAccountId: avail.id, creditAccountId: ord.id, amount: 300 }))),
      ),
    );
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'EXCEEDS_CREDITS')).toHaveLength(5);
    expect(await run((t) => ledger.balance(t, avail.id))).toMatchObject({ debitsPosted: 900, creditsPosted: 1_000 });
  });

  it('computes the balance at a business time from event_at', async () => {
    const funder = randomUUID();
    const [recv, avail] = await run(async (t) => [
      await ledger.openAccount(t, { kind: 'funder_received', ownerOrganisationId: funder }),
      await ledger.openAccount(t, { kind: 'funder_available', ownerOrganisationId: funder }),
    ]);
    await run(async (t) => {
      await ledger.transfer(t, {
        id: randomUUID(),
        debitAccountId: recv.id,
        creditAccountId: avail.id,
        amount: 100,
        eventAt: new Date('2026-01-10T10:00:00Z'),
      });
      await ledger.transfer(t, {
        id: randomUUID(),
        debitAccountId: recv.id,
        creditAccountId: avail.id,
        amount: 250,
        eventAt: new Date('2026-02-10T10:00:00Z'),
      });
    });
    expect((await run((t) => ledger.balance(t, avail.id, new Date('2026-01-01T00:00:00Z')))).creditsPosted).toBe(0);
    expect((await run((t) => ledger.balance(t, avail.id, new Date('2026-01-10T10:00:00Z')))).creditsPosted).toBe(100);
    expect((await run((t) => ledger.balance(t, avail.id, new Date('2026-03-01T00:00:00Z')))).creditsPosted).toBe(350);
  });

  it('snapshots balances only up to a watermark no in-flight writer can still fill, and balances use them', async () => {
    const before = await run((t) => ledger.balance(t, site.id));
    // A writer holds an uncommitted transfer (and the barrier) while the snapshot starts.
    const held = ds.createQueryRunner();
    await held.connect();
    await held.startTransaction();
    const heldId = randomUUID();
    await ledger.transfer(held.manager, { id: heldId, debitAccountId: order.id, creditAccountId: site.id, amount: 7 });
    let snapDone = false;
    const snap = snapshotter.snapshot({ pollMs: 20 }).then((r) => {
      snapDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(snapDone).toBe(false);
    await held.commitTransaction();
    await held.release();
    const result = await snap;
    expect(result.skipped).toBe(false);
    expect(result.written).toBeGreaterThan(0);
    const { rows } = await withAdminClient(db, (c) =>
      c.query(`SELECT credits_posted::int AS c FROM ledger_balance_snapshot WHERE account_id = $1 ORDER BY as_of_seq DESC LIMIT 1`, [
        site.id,
      ]),
    );
    expect(rows).toEqual([{ c: before.creditsPosted + 7 }]);
    await run((t) => ledger.transfer(t, { id: randomUUID(), debitAccountId: order.id, creditAccountId: site.id, amount: 5 }));
    expect((await run((t) => ledger.balance(t, site.id))).creditsPosted).toBe(before.creditsPosted + 12);
    expect((await new LedgerChecker(ds.manager).run()).ok).toBe(true);
    const again = await snapshotter.snapshot();
    expect(again.written).toBeGreaterThan(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of ledger rows by the application role (and by the owner)', async () => {
    const app = new Client({ connectionString: db.appUrl });
    const owner = new Client({ connectionString: db.ownerUrl });
    await Promise.all([app.connect(), owner.connect()]);
    try {
      for (const sql of [
        `UPDATE ledger_transfer SET amount = amount + 1`,
        `DELETE FROM ledger_transfer`,
        `TRUNCATE ledger_transfer`,
        `UPDATE ledger_account SET debits_must_not_exceed_credits = false`,
        `DELETE FROM ledger_balance_snapshot`,
        `ALTER TABLE ledger_transfer DISABLE TRIGGER ledger_transfer_append_only`,
      ]) {
        await expect(app.query(sql)).rejects.toThrow(/permission denied|must be owner|append-only/);
      }
      await expect(owner.query(`UPDATE ledger_transfer SET amount = amount + 1`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM ledger_account`)).rejects.toThrow(/append-only/);
    } finally {
      await Promise.all([app.end(), owner.end()]);
    }
    expect((await new LedgerChecker(ds.manager).run()).ok).toBe(true);
  });

  describe('the invariant check finds planted faults', () => {
    let faulty: TestDatabase;
    beforeEach(async () => {
      faulty = await createTestDatabase();
    });
    afterEach(async () => {
      await faulty.drop();
    });

    async function seed(c: Client): Promise<{ a: string; b: string; usd: string }> {
      const a = randomUUID();
      const b = randomUUID();
      const usd = randomUUID();
      await c.query(
        `INSERT INTO ledger_account (id, code, kind, owner_organisation_id, currency, debits_must_not_exceed_credits) VALUES
         ($1, 101, 'funder_received', gen_random_uuid(), 'EUR', false), ($2, 201, 'funder_available', gen_random_uuid(), 'EUR', true),
         ($3, 201, 'funder_available', gen_random_uuid(), 'USD', true)`,
        [a, b, usd],
      );
      await c.query(
        `INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount, currency, kind, event_at) VALUES (gen_random_uuid(), $1, $2, 500, 'EUR', 'single', now())`,
        [a, b],
      );
      return { a, b, usd };
    }

    it('reports OK (exit 0) on a sound ledger', async () => {
      await withAdminClient(faulty, (c) => seed(c));
      const out: string[] = [];
      expect(await runLedgerCheck(faulty.appUrl, (s) => out.push(s))).toBe(0);
      expect(out.join('')).toMatch(/ledger check OK/);
    });

    it('names an unbalanced currency and a transfer whose accounts are in another currency', async () => {
      await withAdminClient(faulty, async (c) => {
        const { a, usd } = await seed(c);
        await c.query(
          `INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount, currency, kind, event_at) VALUES (gen_random_uuid(), $1, $2, 42, 'EUR', 'single', now())`,
          [a, usd],
        );
      });
      const out: string[] = [];
      expect(await runLedgerCheck(faulty.appUrl, (s) => out.push(s))).toBe(1);
      const text = out.join('');
      expect(text).toMatch(/FAIL balanced/);
      expect(text).toMatch(/EUR: posted debits 542 ≠ posted credits 500/);
      expect(text).toMatch(/USD: posted debits 0 ≠ posted credits 42/);
      expect(text).toMatch(/FAIL transfers\n.*currency EUR differs from its accounts \(EUR → USD\)/);
    });

    it('names a rewritten transfer (triggers disabled by a superuser) that overdraws a flagged account', async () => {
      await withAdminClient(faulty, async (c) => {
        await seed(c);
        await c.query(`ALTER TABLE ledger_transfer DISABLE TRIGGER ledger_transfer_append_only`);
        await c.query(`UPDATE ledger_transfer SET debit_account_id = credit_account_id, credit_account_id = debit_account_id`);
        await c.query(`ALTER TABLE ledger_transfer ENABLE TRIGGER ledger_transfer_append_only`);
      });
      const out: string[] = [];
      expect(await runLedgerCheck(faulty.appUrl, (s) => out.push(s))).toBe(1);
      expect(out.join('')).toMatch(/FAIL flags\n.*\(funder_available\): debits 500 posted \+ 0 pending exceed credits 0/);
    });

    it('names a double resolution, an over-post and a bad snapshot', async () => {
      await withAdminClient(faulty, async (c) => {
        const { a, b } = await seed(c);
        const p = randomUUID();
        await c.query(
          `INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount, currency, kind, event_at) VALUES ($1, $2, $3, 100, 'EUR', 'pending', now())`,
          [p, a, b],
        );
        await c.query(`DROP INDEX ledger_transfer_pending_key`);
        await c.query(
          `INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount, currency, kind, pending_id, pending_amount, event_at) VALUES
           (gen_random_uuid(), $1, $2, 100, 'EUR', 'post_pending', $3, 100, now()), (gen_random_uuid(), $1, $2, 100, 'EUR', 'void_pending', $3, 100, now()),
           (gen_random_uuid(), $1, $2, 150, 'EUR', 'post_pending', $4, 150, now())`,
          [a, b, p, p],
        );
        await c.query(
          `INSERT INTO ledger_balance_snapshot (id, account_id, as_of_seq, debits_posted, credits_posted, debits_pending, credits_pending) VALUES (gen_random_uuid(), $1, 1, 0, 499, 0, 0)`,
          [b],
        );
      });
      const out: string[] = [];
      expect(await runLedgerCheck(faulty.appUrl, (s) => out.push(s))).toBe(1);
      const text = out.join('');
      expect(text).toMatch(/FAIL pending\n/);
      expect(text).toMatch(/resolved 3 times/);
      expect(text).toMatch(/records pending amount 150 but the pending transfer is 100/);
      expect(text).toMatch(/FAIL snapshots\n.*stored 0\/499\/0\/0 ≠ recomputed 0\/500\/0\/0/);
    });
  });
});
