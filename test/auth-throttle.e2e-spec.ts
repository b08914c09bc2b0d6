import { SystemClock } from '@sillage/common';
import { MemoryThrottleStore, RedisThrottleStore, ThrottleStore } from '@sillage/identity';
import { RedisConnection } from '@sillage/queue';
import { createOrganisation, createTestApp, createUser, FixtureOrganisation, FixtureUser, randomTestIp, TestApp } from '@sillage/testing';

type Inject = TestApp['inject'];
const attempt = (inject: Inject, email: string, password: string, ip: string) =>
  inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password }, remoteAddress: ip });

describe('login brute-force protection with Redis (shared by API processes)', () => {
  let t: TestApp;
  let org: FixtureOrganisation;

  beforeAll(async () => {
    // A short window so the test can wait for it to pass.
    t = await createTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_SECONDS: '2' });
    org = await createOrganisation(t, { kinds: ['funder'] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('uses the Redis store', () => {
    expect(t.app.get(ThrottleStore)).toBeInstanceOf(RedisThrottleStore);
  });

  it('throttles an account after 3 failures, even with the right password, until the window passes', async () => {
    const user = await createUser(t, { organisationId: org.id, role: 'agent', password: true });
    for (let i = 0; i < 3; i++) {
      const res = await attempt(t.inject, user.email, 'Wrong-password-42', randomTestIp());
      expect(res.json()).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    }
    const throttled = await attempt(t.inject, user.email, user.password!, randomTestIp());
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['content-type']).toContain('application/problem+json');
    expect(throttled.json()).toMatchObject({ code: 'LOGIN_THROTTLED' });
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);

    // The account's emails never appear in Redis keys (digests only).
    const keys = await t.app.get(RedisConnection).client.keys('sillage:throttle:*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((k) => k.includes(user.email) || k.includes(user.email.split('@')[0]))).toBe(false);

    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    const after = await attempt(t.inject, user.email, user.password!, randomTestIp());
    expect(after.statusCode).toBe(200);
  });

  it('cannot be outrun by concurrent guesses: of 8 parallel wrong attempts only 3 reach the password check', async () => {
    const user = await createUser(t, { organisationId: org.id, role: 'agent', password: true });
    const results = await Promise.all(Array.from({ length: 8 }, () => attempt(t.inject, user.email, 'Wrong-password-42', randomTestIp())));
    const codes = results.map((r) => r.json().code as string);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(3);
    expect(codes.filter((c) => c === 'LOGIN_THROTTLED')).toHaveLength(5);
  });

  it('clears the account counter on success', async () => {
    const user = await createUser(t, { organisationId: org.id, role: 'agent', password: true });
    for (let i = 0; i < 2; i++) expect((await attempt(t.inject, user.email, 'Wrong-password-42', randomTestIp())).statusCode).toBe(401);
    expect((await attempt(t.inject, user.email, user.password!, randomTestIp())).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await attempt(t.inject, user.email, 'Wrong-password-42', randomTestIp())).statusCode).toBe(401);
    expect((await attempt(t.inject, user.email, 'Wrong-password-42', randomTestIp())).statusCode).toBe(429);
  });
});

describe('login brute-force protection in memory (embedded mode, no Redis)', () => {
  let t: TestApp;
  let org: FixtureOrganisation;
  let offsetMs = 0;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: undefined, LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_SECONDS: '900' });
    org = await createOrganisation(t, { kinds: ['funder'] });
    // Every SystemClock instance (the throttle's included) runs offsetMs ahead of real time.
    jest.spyOn(SystemClock.prototype, 'now').mockImplementation(() => new Date(Date.now() + offsetMs));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('uses the memory store', () => {
    expect(t.app.get(ThrottleStore)).toBeInstanceOf(MemoryThrottleStore);
  });

  it('throttles an account for the rest of its window, measured on the clock', async () => {
    const user = await createUser(t, { organisationId: org.id, role: 'agent', password: true });
    for (let i = 0; i < 3; i++) expect((await attempt(t.inject, user.email, 'Wrong-password-42', randomTestIp())).statusCode).toBe(401);
    const throttled = await attempt(t.inject, user.email, user.password!, randomTestIp());
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(890);

    offsetMs += 880_000;
    const still = await attempt(t.inject, user.email, user.password!, randomTestIp());
    expect(still.statusCode).toBe(429);
    expect(Number(still.headers['retry-after'])).toBeLessThanOrEqual(20);

    offsetMs += 21_000;
    expect((await attempt(t.inject, user.email, user.password!, randomTestIp())).statusCode).toBe(200);
  });

  it('throttles a client address after 4× the account limit, whatever the accounts, and not other addresses', async () => {
    const ip = randomTestIp();
    for (let i = 0; i < 12; i++) {
      const res = await attempt(t.inject, `spray-${i}-${Date.now()}@example.test`, 'Wrong-password-42', ip);
      expect(res.statusCode).toBe(401);
    }
    const victim: FixtureUser = await createUser(t, { organisationId: org.id, role: 'agent', password: true });
    const blocked = await attempt(t.inject, victim.email, victim.password!, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'LOGIN_THROTTLED' });
    expect((await attempt(t.inject, victim.email, victim.password!, randomTestIp())).statusCode).toBe(200);

    offsetMs += 901_000;
    expect((await attempt(t.inject, victim.email, victim.password!, ip)).statusCode).toBe(200);
  });

  it('does not count successful logins from a shared address against it', async () => {
    const ip = randomTestIp();
    const user = await createUser(t, { organisationId: org.id, role: 'agent', password: true });
    for (let i = 0; i < 14; i++) expect((await attempt(t.inject, user.email, user.password!, ip)).statusCode).toBe(200);
  });
});
