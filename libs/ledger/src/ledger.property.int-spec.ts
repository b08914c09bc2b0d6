import { dataSourceOptions, TransactionRunner, Tx } from '@sillage/db';
import { createTestDatabase, TestDatabase } from '@sillage/testing';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerError } from './ledger.errors';
import { LedgerRepository } from './ledger.repository';
import { Ledger } from './ledger';
import { AccountFlags, Balance, effectOf, LedgerTransfer, respectsFlags, ZERO_BALANCE } from './ledger.types';

/**
 * Property: any sequence of ledger operations leaves PostgreSQL exactly where a pure in-memory model
 * of TigerBeetle semantics says it should be — same outcome (or error code) per operation, same four
 * sums per account after every step, Σ debits = Σ credits, and at most one resolution per pending.
 */

type Op =
  | { t: 'account'; flags: 0 | 1 | 2 }
  | { t: 'single' | 'pending'; d: number; c: number; amount: number }
  | { t: 'post'; p: number; amount: number | null }
  | { t: 'void'; p: number }
  | { t: 'replay'; i: number; same: boolean }
  | { t: 'race'; p: number; n: number };

const FLAGS: AccountFlags[] = [
  { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: false },
  { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false },
  { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: true },
];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('account' as const), flags: fc.constantFrom(0 as const, 1 as const, 2 as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constantFrom('single' as const, 'pending' as const),
      d: fc.nat(7),
      c: fc.nat(7),
      amount: fc.integer({ min: 1, max: 1000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('post' as const),
      p: fc.nat(30),
      amount: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('void' as const), p: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replay' as const), i: fc.nat(30), same: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('race' as const), p: fc.nat(30), n: fc.integer({ min: 2, max: 5 }) }) },
);

interface Model {
  accounts: { id: string; flags: AccountFlags }[];
  balances: Map<string, Balance>;
  transfers: LedgerTransfer[];
  resolved: Set<string>;
}

function apply(m: Model, t: Pick<LedgerTransfer, 'kind' | 'amount' | 'pendingAmount' | 'debitAccountId' | 'creditAccountId'>): void {
  const e = effectOf(t);
  const d = m.balances.get(t.debitAccountId) ?? ZERO_BALANCE;
  const c = m.balances.get(t.creditAccountId) ?? ZERO_BALANCE;
  m.balances.set(t.debitAccountId, { ...d, debitsPosted: d.debitsPosted + e.posted, debitsPending: d.debitsPending + e.pending });
  m.balances.set(t.creditAccountId, { ...c, creditsPosted: c.creditsPosted + e.posted, creditsPending: c.creditsPending + e.pending });
}

async function outcome<T>(p: Promise<T>): Promise<{ code: string; value?: T }> {
  try {
    return { code: 'OK', value: await p };
  } catch (e) {
    if (e instanceof LedgerError) return { code: e.code };
    throw e;
  }
}

describe('Ledger against an in-memory model (fast-check)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let runner: TransactionRunner;
  const ledger = new Ledger(new LedgerRepository());
  const run = <T>(work: (tx: Tx) => Promise<T>) => runner.run(work);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.appUrl, { poolSize: 8 }));
    await ds.initialize();
    runner = new TransactionRunner(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  async function step(m: Model, op: Op): Promise<void> {
    const acc = (i: number) => m.accounts[i % m.accounts.length];
    const target = (i: number) => (m.transfers.length === 0 ? undefined : m.transfers[i % m.transfers.length]);
    switch (op.t) {
      case 'account': {
        // A fresh organisation per account: each is its own identity.
        const a = await run((tx) =>
          ledger.openAccount(tx, { kind: 'funder_available', ownerOrganisationId: randomUUID(), flags: FLAGS[op.flags] }),
        );
        m.accounts.push({ id: a.id, flags: a.flags });
        return;
      }
      case 'single':
      case 'pending': {
        const d = acc(op.d);
        const c = acc(op.c);
        const id = randomUUID();
        let expected = 'OK';
        if (d.id === c.id) expected = 'INVALID_TRANSFER';
        else {
          const db_ = m.balances.get(d.id) ?? ZERO_BALANCE;
          const cb = m.balances.get(c.id) ?? ZERO_BALANCE;
          if (!respectsFlags({ ...db_, debitsPending: db_.debitsPending + op.amount }, d.flags)) expected = 'EXCEEDS_CREDITS';
          else if (!respectsFlags({ ...cb, creditsPending: cb.creditsPending + op.amount }, c.flags)) expected = 'EXCEEDS_DEBITS';
        }
        const input = { id, debitAccountId: d.id, creditAccountId: c.id, amount: op.amount };
        const r = await outcome(run((tx) => (op.t === 'single' ? ledger.transfer(tx, input) : ledger.createPending(tx, input))));
        expect(r.code).toBe(expected);
        if (r.value) {
          expect(r.value).toMatchObject({ ...input, kind: op.t });
          m.transfers.push(r.value);
          apply(m, r.value);
        }
        return;
      }
      case 'post':
      case 'void': {
        const p = target(op.p);
        if (!p) return;
        const amount = op.t === 'post' ? op.amount : null;
        const expected =
          p.kind !== 'pending'
            ? 'PENDING_NOT_FOUND'
            : amount !== null && amount > p.amount
              ? 'AMOUNT_EXCEEDS_PENDING'
              : m.resolved.has(p.id)
                ? 'PENDING_ALREADY_RESOLVED'
                : 'OK';
        const id = randomUUID();
        const r = await outcome(
          run((tx) =>
            op.t === 'post' ? ledger.post(tx, p.id, { id, ...(amount !== null ? { amount } : {}) }) : ledger.void(tx, p.id, { id }),
          ),
        );
        expect(r.code).toBe(expected);
        if (r.value) {
          expect(r.value).toMatchObject({
            kind: `${op.t}_pending`,
            pendingId: p.id,
            pendingAmount: p.amount,
            amount: op.t === 'post' ? (amount ?? p.amount) : p.amount,
          });
          m.resolved.add(p.id);
          m.transfers.push(r.value);
          apply(m, r.value);
        }
        return;
      }
      case 'replay': {
        const t = target(op.i);
        if (!t) return;
        const r = await outcome(
          run((tx) => {
            if (t.kind === 'single' || t.kind === 'pending') {
              const input = {
                id: t.id,
                debitAccountId: t.debitAccountId,
                creditAccountId: t.creditAccountId,
                amount: op.same ? t.amount : t.amount + 1,
              };
              return t.kind === 'single' ? ledger.transfer(tx, input) : ledger.createPending(tx, input);
            }
            if (t.kind === 'void_pending')
              return op.same ? ledger.void(tx, t.pendingId ?? '', { id: t.id }) : ledger.post(tx, t.pendingId ?? '', { id: t.id });
            return ledger.post(tx, t.pendingId ?? '', { id: t.id, amount: op.same ? t.amount : t.amount === 1 ? 2 : t.amount - 1 });
          }),
        );
        if (op.same) {
          expect(r.code).toBe('OK');
          expect(r.value).toEqual(t);
        } else {
          // A different amount for a post may first exceed its pending amount; otherwise: id conflict.
          expect(['TRANSFER_ID_CONFLICT', 'AMOUNT_EXCEEDS_PENDING']).toContain(r.code);
          if (r.code === 'AMOUNT_EXCEEDS_PENDING') expect(t.kind).toBe('post_pending');
        }
        return;
      }
      case 'race': {
        const p = target(op.p);
        if (!p || p.kind !== 'pending') return;
        const results = await Promise.all(
          Array.from({ length: op.n }, (_, i) =>
            outcome(run((tx) => (i % 2 === 0 ? ledger.post(tx, p.id, { id: randomUUID() }) : ledger.void(tx, p.id, { id: randomUUID() })))),
          ),
        );
        const winners = results.filter((r) => r.code === 'OK');
        expect(winners).toHaveLength(m.resolved.has(p.id) ? 0 : 1);
        expect(results.filter((r) => r.code === 'PENDING_ALREADY_RESOLVED')).toHaveLength(op.n - winners.length);
        const w = winners[0]?.value;
        if (w) {
          m.resolved.add(p.id);
          m.transfers.push(w);
          apply(m, w);
        }
        return;
      }
    }
  }

  async function assertMatches(m: Model): Promise<void> {
    const total = { ...ZERO_BALANCE };
    for (const a of m.accounts) {
      const b = await run((tx) => ledger.balance(tx, a.id));
      expect(b).toEqual(m.balances.get(a.id) ?? ZERO_BALANCE);
      expect(respectsFlags(b, a.flags)).toBe(true);
      total.debitsPosted += b.debitsPosted;
      total.creditsPosted += b.creditsPosted;
      total.debitsPending += b.debitsPending;
      total.creditsPending += b.creditsPending;
    }
    expect(total.debitsPosted).toBe(total.creditsPosted);
    expect(total.debitsPending).toBe(total.creditsPending);
  }

  it('matches the model after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), async (ops) => {
        const m: Model = { accounts: [], balances: new Map(), transfers: [], resolved: new Set() };
        for (const flags of [0, 1, 2] as const) await step(m, { t: 'account', flags });
        // Seed some credit so flagged accounts can be debited at all.
        await step(m, { t: 'single', d: 0, c: 1, amount: 5000 });
        await step(m, { t: 'single', d: 2, c: 0, amount: 1 });
        for (const op of ops) {
          await step(m, op);
          await assertMatches(m);
        }
        const pendings = m.transfers.filter((t) => t.kind === 'pending').map((t) => t.id);
        const rows: { n: number }[] = await ds.query(
          `SELECT count(*)::int AS n FROM ledger_transfer WHERE pending_id = ANY($1::uuid[]) GROUP BY pending_id HAVING count(*) > 1`,
          [pendings],
        );
        expect(rows).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
