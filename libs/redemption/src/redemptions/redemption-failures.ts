import { Injectable } from '@nestjs/common';
import { CommonError } from '@sillage/common';
import { Principal, ThrottleStore } from '@sillage/identity';

const WINDOW_MS = 10 * 60_000;
/** Unknown codes and bad QR tokens per device (user or API key) and per site, per 10 minutes. */
export const MAX_DEVICE_FAILURES = 10;
export const MAX_SITE_FAILURES = 30;

/**
 * Brute-force guard on voucher lookups. Failures (unknown code, forged or unknown-key QR token) are
 * counted per device and per site in the shared throttle store (Redis when configured), so every
 * process sees them; an attempt that fails past a limit answers 429 with Retry-After instead of
 * UNKNOWN_CODE. The block is also remembered in this process so that the next attempts are refused
 * before any lookup — and a redemption that fails nothing costs no round trip to the store (the hot
 * path). Malformed human codes (wrong check character) are refused before any lookup and reveal
 * nothing, so they do not count.
 */
@Injectable()
export class RedemptionFailures {
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly store: ThrottleStore) {}

  assertNotBlocked(principal: Principal): void {
    const now = Date.now();
    for (const key of keysOf(principal)) {
      const until = this.blockedUntil.get(key);
      if (until === undefined) continue;
      if (until > now) throw rateLimited(until - now);
      this.blockedUntil.delete(key);
    }
  }

  /** Counts a failed lookup; throws the 429 when it went past a limit. */
  async record(principal: Principal): Promise<void> {
    const [device, site] = keysOf(principal);
    const [d, s] = await Promise.all([this.store.hit(device, WINDOW_MS), this.store.hit(site, WINDOW_MS)]);
    const over = d.count > MAX_DEVICE_FAILURES ? { key: device, w: d } : s.count > MAX_SITE_FAILURES ? { key: site, w: s } : undefined;
    if (!over) return;
    if (this.blockedUntil.size > 10_000) this.blockedUntil.clear();
    this.blockedUntil.set(over.key, Date.now() + over.w.resetInMs);
    throw rateLimited(over.w.resetInMs);
  }
}

function keysOf(p: Principal): [string, string] {
  return [`redeem-fail:device:${p.id}`, `redeem-fail:site:${p.organisationId}`];
}

function rateLimited(ms: number): CommonError {
  const retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
  return new CommonError('RATE_LIMITED', `too many unknown voucher codes from this device or site; try again in ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });
}
