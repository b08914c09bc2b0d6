import { Logger } from '@nestjs/common';
import { Clock } from '@sillage/common';
import { AppConfig } from '@sillage/config';
import { IdentityError } from '../identity.errors';
import { LoginThrottle, MemoryThrottleStore, RedisThrottleStore } from './login-throttle';

class FakeClock extends Clock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
}

const config = { auth: { loginMaxFailures: 2, loginWindowSeconds: 60 } } as AppConfig;

describe('MemoryThrottleStore', () => {
  it('counts hits in a fixed window that starts at the first hit', async () => {
    const clock = new FakeClock();
    const store = new MemoryThrottleStore(clock);
    expect(await store.hit('k', 10_000)).toEqual({ count: 1, resetInMs: 10_000 });
    clock.ms += 4_000;
    expect(await store.hit('k', 10_000)).toEqual({ count: 2, resetInMs: 6_000 });
    clock.ms += 6_000;
    expect(await store.hit('k', 10_000)).toEqual({ count: 1, resetInMs: 10_000 });
  });

  it('undoes a hit only inside an open window and never below zero', async () => {
    const clock = new FakeClock();
    const store = new MemoryThrottleStore(clock);
    await store.undo('k');
    expect((await store.hit('k', 1_000)).count).toBe(1);
    await store.undo('k');
    await store.undo('k');
    expect((await store.hit('k', 1_000)).count).toBe(1);
    await store.clear('k');
    expect((await store.hit('k', 1_000)).count).toBe(1);
  });
});

describe('LoginThrottle', () => {
  const throttled = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(IdentityError);
    return e as IdentityError;
  };

  it('refuses the attempt after the limit with the seconds left in the window', async () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle(new MemoryThrottleStore(clock), config);
    await throttle.begin('a@x.fr', '10.0.0.1');
    await throttle.begin('a@x.fr', '10.0.0.2');
    clock.ms += 15_500;
    const e = await throttled(throttle.begin('a@x.fr', '10.0.0.3'));
    expect(e.code).toBe('LOGIN_THROTTLED');
    expect(e.options.retryAfterSeconds).toBe(45);
  });

  it('gives slots back for interrupted attempts and clears the account on success', async () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle(new MemoryThrottleStore(clock), config);
    for (let i = 0; i < 5; i++) await throttle.interrupted(await throttle.begin('b@x.fr', '10.0.0.1'));
    await throttle.begin('b@x.fr', '10.0.0.1');
    await throttle.succeeded(await throttle.begin('b@x.fr', '10.0.0.1'));
    await throttle.begin('b@x.fr', '10.0.0.1');
    await throttle.begin('b@x.fr', '10.0.0.1');
    expect((await throttled(throttle.begin('b@x.fr', '10.0.0.1'))).code).toBe('LOGIN_THROTTLED');
  });

  it('limits an address at four times the account limit across accounts', async () => {
    const throttle = new LoginThrottle(new MemoryThrottleStore(new FakeClock()), config);
    for (let i = 0; i < 8; i++) await throttle.begin(`u${i}@x.fr`, '10.9.9.9');
    expect((await throttled(throttle.begin('fresh@x.fr', '10.9.9.9'))).code).toBe('LOGIN_THROTTLED');
    await expect(throttle.begin('fresh@x.fr', '10.9.9.8')).resolves.toBeDefined();
  });
});

describe('RedisThrottleStore', () => {
  const KEY = 'sillage:throttle:login:account:d1g3st';
  const hanging = { eval: () => new Promise<never>(() => undefined), del: () => new Promise<never>(() => undefined) };

  it('counts in memory when Redis does not answer in time, so logins stay available and limited', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const clock = new FakeClock();
    const fallback = new MemoryThrottleStore(clock);
    const store = new RedisThrottleStore(hanging, fallback, 20);
    expect(await store.hit(KEY, 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    expect(await store.hit(KEY, 60_000)).toEqual({ count: 2, resetInMs: 60_000 });
    await store.undo(KEY);
    expect((await fallback.hit(KEY, 60_000)).count).toBe(2);
    await store.clear(KEY);
    expect((await fallback.hit(KEY, 60_000)).count).toBe(1);
    // Warned once for the outage, without the key (a digest of the email).
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).not.toContain('d1g3st');
    warn.mockRestore();
  });

  it('uses Redis answers when they come', async () => {
    const redis = { eval: jest.fn().mockResolvedValue([3, 1500]), del: jest.fn().mockResolvedValue(1) };
    const fallback = new MemoryThrottleStore(new FakeClock());
    const store = new RedisThrottleStore(redis, fallback, 1000);
    expect(await store.hit('k', 60_000)).toEqual({ count: 3, resetInMs: 1500 });
    expect(redis.eval).toHaveBeenCalledWith(expect.stringContaining('INCR'), 1, 'k', '60000');
    expect((await fallback.hit('k', 60_000)).count).toBe(1);
  });
});
