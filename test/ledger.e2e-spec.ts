import { TransactionRunner } from '@sillage/db';
import { JobRunner } from '@sillage/queue';
import { Ledger, LedgerAccount } from '@sillage/ledger';
import {
  bearer,
  createTestApp,
  seedApiKey,
  SeededOrganisation,
  seedOrganisation,
  seedUser,
  sql,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';
import { randomUUID } from 'node:crypto';

/** The read-only ledger API: scoped accounts, balances (now and at a date), transfers, the operator check. */
describe('ledger API', () => {
  let t: TestApp;
  let funder: SeededOrganisation;
  let otherFunder: SeededOrganisation;
  let opAdmin: string;
  let opAgent: string;
  let funderFinance: string;
  let funderAgent: string;
  let otherFinance: string;
  let received: LedgerAccount;
  let available: LedgerAccount;
  let outstanding: LedgerAccount;
  let otherAvailable: LedgerAccount;
  const orderId = randomUUID();
  const transferIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    funder = await seedOrganisation(t, { kinds: ['funder'] });
    otherFunder = await seedOrganisation(t, { kinds: ['funder'] });
    opAdmin = tokenFor(t, await seedUser(t, operator, { role: 'admin' }));
    opAgent = tokenFor(t, await seedUser(t, operator, { role: 'agent' }));
    funderFinance = tokenFor(t, await seedUser(t, funder, { role: 'finance' }));
    funderAgent = tokenFor(t, await seedUser(t, funder, { role: 'agent' }));
    otherFinance = tokenFor(t, await seedUser(t, otherFunder, { role: 'finance' }));
    const ledger = t.app.get(Ledger);
    await t.app.get(TransactionRunner).run(async (tx) => {
      received = await ledger.openAccount(tx, { kind: 'funder_received', ownerOrganisationId: funder.id });
      available = await ledger.openAccount(tx, { kind: 'funder_available', ownerOrganisationId: funder.id });
      outstanding = await ledger.openAccount(tx, { kind: 'order_outstanding', ownerOrganisationId: funder.id, orderId });
      otherAvailable = await ledger.openAccount(tx, { kind: 'funder_available', ownerOrganisationId: otherFunder.id });
      for (const [amount, day] of [
        [10_000, '2026-01-05'],
        [2_500, '2026-02-05'],
        [400, '2026-03-05'],
      ] as const) {
        const id = randomUUID();
        transferIds.push(id);
        await ledger.transfer(tx, {
          id,
          debitAccountId: received.id,
          creditAccountId: available.id,
          amount,
          eventAt: new Date(`${day}T09:00:00Z`),
          reference: { type: 'order', id: orderId },
        });
      }
      await ledger.createPending(tx, { id: randomUUID(), debitAccountId: available.id, creditAccountId: outstanding.id, amount: 3_000 });
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, token: string) => t.inject({ method: 'GET', url, headers: bearer(token) });

  it('lists every account to the operator and only its own to a funder', async () => {
    const op = await get('/v1/ledger/accounts?limit=100', opAdmin);
    expect(op.statusCode).toBe(200);
    expect(op.json<{ items: { id: string }[] }>().items.map((a) => a.id)).toEqual(
      expect.arrayContaining([received.id, available.id, outstanding.id, otherAvailable.id]),
    );
    const mine = await get('/v1/ledger/accounts', funderFinance);
    expect(
      mine
        .json<{ items: { id: string }[] }>()
        .items.map((a) => a.id)
        .sort(),
    ).toEqual([received.id, available.id, outstanding.id].sort());
    const byKind = await get('/v1/ledger/accounts?kind=order_outstanding', funderFinance);
    expect(byKind.json()).toEqual({
      items: [
        {
          id: outstanding.id,
          code: 301,
          kind: 'order_outstanding',
          ownerOrganisationId: funder.id,
          orderId,
          currency: 'EUR',
          debitsMustNotExceedCredits: true,
          creditsMustNotExceedDebits: false,
          createdAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    const byOrder = await get(`/v1/ledger/accounts?orderId=${orderId}`, opAdmin);
    expect(byOrder.json<{ items: { id: string }[] }>().items.map((a) => a.id)).toEqual([outstanding.id]);
  });

  it('pages accounts with a keyset cursor', async () => {
    const first = await get('/v1/ledger/accounts?limit=2', funderFinance);
    const body = first.json<{ items: { id: string }[]; nextCursor: string }>();
    expect(body.items).toHaveLength(2);
    const second = await get(`/v1/ledger/accounts?limit=2&cursor=${body.nextCursor}`, funderFinance);
    const rest = second.json<{ items: { id: string }[]; nextCursor: string | null }>();
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...body.items, ...rest.items].map((a) => a.id)).size).toBe(3);
  });

  it('gives the balance now (pending included) and at a past business time', async () => {
    const now = await get(`/v1/ledger/accounts/${available.id}/balance`, funderFinance);
    expect(now.statusCode).toBe(200);
    expect(now.json()).toEqual({
      accountId: available.id,
      currency: 'EUR',
      at: null,
      debitsPosted: 0,
      creditsPosted: 12_900,
      debitsPending: 3_000,
      creditsPending: 0,
    });
    const feb = await get(`/v1/ledger/accounts/${available.id}/balance?at=2026-02-28T23:00:00%2B01:00`, funderFinance);
    expect(feb.json()).toMatchObject({ at: '2026-02-28T22:00:00.000Z', creditsPosted: 12_500, debitsPending: 0 });
  });

  it('lists an account’s transfers newest first, in pages', async () => {
    const page1 = await get(`/v1/ledger/accounts/${received.id}/transfers?limit=2`, funderFinance);
    const b1 = page1.json<{ items: { id: string; amount: number; referenceType: string }[]; nextCursor: string }>();
    expect(b1.items.map((x) => x.id)).toEqual([transferIds[2], transferIds[1]]);
    expect(b1.items[0]).toMatchObject({
      amount: 400,
      referenceType: 'order',
      referenceId: orderId,
      kind: 'single',
      debitAccountId: received.id,
    });
    const page2 = await get(`/v1/ledger/accounts/${received.id}/transfers?limit=2&cursor=${b1.nextCursor}`, funderFinance);
    expect(page2.json()).toMatchObject({ items: [{ id: transferIds[0], amount: 10_000 }], nextCursor: null });
  });

  it('answers 404 for accounts outside the caller’s organisation, unknown or malformed ids', async () => {
    for (const url of [
      `/v1/ledger/accounts/${available.id}/balance`,
      `/v1/ledger/accounts/${available.id}/transfers`,
      `/v1/ledger/accounts/${unknownId()}/balance`,
      `/v1/ledger/accounts/not-a-uuid/balance`,
    ]) {
      const res = await get(url, otherFinance);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it.each([
    ['a date without time', `balance?at=2026-02-01`, 'at'],
    ['a date-time without offset', `balance?at=2026-02-01T10:00:00`, 'at'],
    ['an impossible date', `balance?at=2026-02-31T10:00:00Z`, 'at'],
    ['an unknown query field', `balance?foo=1`, 'foo'],
    ['a limit of 0', `transfers?limit=0`, 'limit'],
    ['a limit of 101', `transfers?limit=101`, 'limit'],
    ['a non-numeric limit', `transfers?limit=abc`, 'limit'],
    ['a forged cursor', `transfers?cursor=${Buffer.from(JSON.stringify(['1; DROP', 'x'])).toString('base64url')}`, 'cursor'],
    ['a garbage cursor', `transfers?cursor=%%%`, 'cursor'],
  ])('refuses %s with a 400 problem naming the field', async (_, suffix, field) => {
    const res = await get(`/v1/ledger/accounts/${available.id}/${suffix}`, funderFinance);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.json())).toContain(field);
  });

  it('refuses bad list filters', async () => {
    expect((await get('/v1/ledger/accounts?kind=piggy_bank', opAdmin)).statusCode).toBe(400);
    expect((await get('/v1/ledger/accounts?orderId=42', opAdmin)).statusCode).toBe(400);
    expect((await get('/v1/ledger/accounts?cursor=bad', opAdmin)).statusCode).toBe(400);
  });

  it('keeps ledger data from agents (403) and anonymous callers (401)', async () => {
    expect((await get('/v1/ledger/accounts', funderAgent)).statusCode).toBe(403);
    expect((await t.inject({ method: 'GET', url: '/v1/ledger/accounts' })).statusCode).toBe(401);
  });

  it('lets a funder API key read its own accounts', async () => {
    const key = await seedApiKey(t, funder, { role: 'finance' });
    const res = await t.inject({ method: 'GET', url: '/v1/ledger/accounts', headers: bearer(key.secret) });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: unknown[] }>().items).toHaveLength(3);
  });

  it('runs the ledger.daily-check job: snapshots that the balances then use, unchanged', async () => {
    const before = (await get(`/v1/ledger/accounts/${available.id}/balance`, funderFinance)).json<Record<string, unknown>>();
    await t.app.get(JobRunner).run('ledger.daily-check', { day: '2026-11-28' }, { jobId: 'ledger.daily-check:2026-11-28', attempt: 1 });
    const snaps = await sql<{ account_id: string; credits_posted: string; debits_pending: string }>(
      t,
      `SELECT account_id, credits_posted::text, debits_pending::text FROM ledger_balance_snapshot WHERE account_id = $1 `,
      [available.id],
    );
    expect(snaps).toEqual([{ account_id: available.id, credits_posted: '12900', debits_pending: '3000' }]);
    expect((await get(`/v1/ledger/accounts/${available.id}/balance`, funderFinance)).json()).toEqual(before);
    await expect(t.app.get(JobRunner).run('ledger.daily-check', { day: 42 }, { jobId: 'x', attempt: 1 })).rejects.toThrow(/day/);
  });

  it('runs the invariant check for operator admin or finance only, and reports a planted fault', async () => {
    expect((await get('/v1/ledger/check', funderFinance)).statusCode).toBe(404);
    expect((await get('/v1/ledger/check', opAgent)).statusCode).toBe(403);
    const ok = await get('/v1/ledger/check', opAdmin);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      ok: true,
      transfers: 4,
      checks: expect.arrayContaining([{ name: 'balanced', ok: true, problems: [] }]),
    });
    await sql(
      t,
      `INSERT INTO ledger_balance_snapshot (id, account_id, as_of_seq, debits_posted, credits_posted, debits_pending, credits_pending) VALUES (gen_random_uuid(), $1, 1, 0, 1, 0, 0)`,
      [available.id],
    );
    const bad = await get('/v1/ledger/check', opAdmin);
    expect(bad.json()).toMatchObject({
      ok: false,
      checks: expect.arrayContaining([expect.objectContaining({ name: 'snapshots', ok: false })]),
    });
  });

  it('offers no write route', async () => {
    const res = await t.inject({ method: 'POST', url: '/v1/ledger/accounts', headers: bearer(opAdmin), payload: {} });
    expect([404, 405]).toContain(res.statusCode);
    expect(await sql(t, `SELECT count(*)::int AS n FROM ledger_account`)).toEqual([{ n: 4 }]);
  });
});
