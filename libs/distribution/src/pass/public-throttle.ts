import { Injectable } from '@nestjs/common';
import { CommonError, sha256 } from '@sillage/common';
import { ThrottleStore } from '@sillage/identity';

const WINDOW_MS = 15 * 60_000;
const MAX_REQUESTS = 60;
const MAX_FAILURES = 10;

/**
 * Public pass-token endpoints: per client address, 60 requests and 10 unknown tokens per 15 minutes
 * (a pass token has 256 bits: failures only ever come from typos or guessing). Counters live where
 * the login throttle's do (Redis when configured); addresses are hashed in keys.
 */
@Injectable()
export class PublicTokenThrottle {
  constructor(private readonly store: ThrottleStore) {}

  async before(scope: string, ip: string | undefined): Promise<void> {
    const who = sha256(ip ?? 'unknown')
      .toString('hex')
      .slice(0, 32);
    const [requests, failures] = await Promise.all([
      this.store.hit(`${scope}:req:${who}`, WINDOW_MS),
      this.store.hit(`${scope}:fail:${who}`, WINDOW_MS).then(async (w) => {
        await this.store.undo(`${scope}:fail:${who}`);
        return { ...w, count: w.count - 1 };
      }),
    ]);
    const over = requests.count > MAX_REQUESTS ? requests : failures.count >= MAX_FAILURES ? failures : undefined;
    if (over) {
      const retryAfterSeconds = Math.max(1, Math.ceil(over.resetInMs / 1000));
      throw new CommonError('RATE_LIMITED', `too many requests from this address; try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
  }

  async failed(scope: string, ip: string | undefined): Promise<void> {
    await this.store.hit(
      `${scope}:fail:${sha256(ip ?? 'unknown')
        .toString('hex')
        .slice(0, 32)}`,
      WINDOW_MS,
    );
  }
}
