import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Clock, sha256 } from '@sillage/common';
import type { Redis } from 'ioredis';
import { IdentityError } from '../identity.errors';

/** A fixed-window counter: the window starts at a key's first hit and lasts `windowMs`. */
export interface WindowCount {
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetInMs: number;
}

/** Where login counters live: Redis when configured (shared by every API process), else memory. */
export abstract class ThrottleStore {
  /** Adds one to the key's count, starting a window if none is open. */
  abstract hit(key: string, windowMs: number): Promise<WindowCount>;
  /** Takes one back, if the window is still open (never below zero, never opens a window). */
  abstract undo(key: string): Promise<void>;
  abstract clear(key: string): Promise<void>;
}

/** Embedded mode is one process: counters in memory, timed by the injectable clock. */
export class MemoryThrottleStore extends ThrottleStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly clock: Clock) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    if (this.windows.size > 10_000) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { count: w.count, resetInMs: w.endsAt - now };
  }

  async undo(key: string): Promise<void> {
    const w = this.windows.get(key);
    if (w && w.endsAt > this.clock.now().getTime() && w.count > 0) w.count -= 1;
  }

  async clear(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
  }
}

// One round trip, atomic: INCR, and PEXPIRE when the window opens (or if a crash left the key
// without expiry), then the time left.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const UNDO_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** How long a login waits for Redis before counting in this process's memory instead. */
export const REDIS_THROTTLE_TIMEOUT_MS = 500;

/**
 * Several API processes share the counters; Redis's own clock times the windows. When Redis does
 * not answer in time (it is down, and ioredis queues commands until it is back), the attempt is
 * counted in this process's memory instead: logins stay available and still limited, per process.
 */
export class RedisThrottleStore extends ThrottleStore {
  private readonly logger = new Logger('LoginThrottle');
  private degradedSince: number | undefined;

  constructor(
    private readonly redis: Pick<Redis, 'eval' | 'del'>,
    private readonly fallback: ThrottleStore,
    private readonly timeoutMs = REDIS_THROTTLE_TIMEOUT_MS,
  ) {
    super();
  }

  hit(key: string, windowMs: number): Promise<WindowCount> {
    return this.orFallback(
      async () => {
        const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, key, String(windowMs))) as [number, number];
        return { count, resetInMs: ttl };
      },
      () => this.fallback.hit(key, windowMs),
    );
  }

  undo(key: string): Promise<void> {
    return this.orFallback(
      async () => {
        await this.redis.eval(UNDO_SCRIPT, 1, key);
      },
      () => this.fallback.undo(key),
    );
  }

  clear(key: string): Promise<void> {
    return this.orFallback(
      async () => {
        await this.redis.del(key);
      },
      () => this.fallback.clear(key),
    );
  }

  private async orFallback<T>(primary: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        primary(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
          timer.unref();
        }),
      ]);
      if (this.degradedSince !== undefined) {
        this.logger.log('Redis answers again: login counters are shared again');
        this.degradedSince = undefined;
      }
      return result;
    } catch (e) {
      if (this.degradedSince === undefined) {
        this.degradedSince = Date.now();
        this.logger.warn(`Redis unavailable for login counters (${(e as Error).message}): counting in this process meanwhile`);
      }
      return fallback();
    } finally {
      clearTimeout(timer);
    }
  }
}

export const THROTTLE_KEY_PREFIX = 'sillage:throttle:';
/** The per-IP limit is this many times the per-account one: offices share one address behind NAT. */
export const IP_LIMIT_FACTOR = 4;

/** The counters one login attempt took; given back or cleared depending on how the attempt ends. */
export interface LoginAttempt {
  readonly accountKey: string;
  readonly ipKey: string;
}

/**
 * Login brute-force protection, per account (lower-cased email) and per client IP, in fixed
 * windows. Every attempt takes a slot *before* the password is checked, so concurrent guesses
 * cannot slip past the limit; once an account or IP is over its limit every attempt — even with
 * the right password — answers 429 LOGIN_THROTTLED with Retry-After until the window ends.
 *
 * - a wrong password or TOTP code keeps its slot (a failure);
 * - a success clears the account's counter and gives the IP its slot back;
 * - an attempt that only stopped to ask for a TOTP code or enrolment gives both slots back.
 *
 * Keys hold SHA-256 digests, never an email or address in clear.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly store: ThrottleStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async begin(email: string, ip: string): Promise<LoginAttempt> {
    const attempt: LoginAttempt = { accountKey: this.key('account', email), ipKey: this.key('ip', ip) };
    const { loginMaxFailures, loginWindowSeconds } = this.config.auth;
    const windowMs = loginWindowSeconds * 1000;
    const [account, byIp] = await Promise.all([this.store.hit(attempt.accountKey, windowMs), this.store.hit(attempt.ipKey, windowMs)]);
    const waits: number[] = [];
    if (account.count > loginMaxFailures) waits.push(account.resetInMs);
    if (byIp.count > loginMaxFailures * IP_LIMIT_FACTOR) waits.push(byIp.resetInMs);
    if (waits.length > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
      throw new IdentityError('LOGIN_THROTTLED', `too many failed logins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
    return attempt;
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    await Promise.all([this.store.clear(attempt.accountKey), this.store.undo(attempt.ipKey)]);
  }

  /** Neither a success nor a failure: the user is asked for a second factor or to enrol one. */
  async interrupted(attempt: LoginAttempt): Promise<void> {
    await Promise.all([this.store.undo(attempt.accountKey), this.store.undo(attempt.ipKey)]);
  }

  private key(kind: 'account' | 'ip', value: string): string {
    return `${THROTTLE_KEY_PREFIX}login:${kind}:${sha256(`${kind}:${value}`).toString('hex').slice(0, 40)}`;
  }
}

/** Redis when the process has a connection (REDIS_URL), memory otherwise (embedded mode: one process). */
export function createThrottleStore(clock: Clock, redis?: { client: Redis }): ThrottleStore {
  const memory = new MemoryThrottleStore(clock);
  return redis ? new RedisThrottleStore(redis.client, memory) : memory;
}
