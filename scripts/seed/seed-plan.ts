import { addDays, parisDate } from '@sillage/common';
import type { HistoryShares } from './seed-history';

/** The size and shape of a seed dataset, from the number of vouchers asked for. */
export interface SeedPlan {
  vouchers: number;
  vouchersPerBooklet: number;
  orders: number;
  funders: number;
  departments: number;
  sites: number;
  policies: number;
  programmesPerPolicy: number;
  /** Days of history before today (first grants to today). */
  historyDays: number;
  /** Face value of all vouchers, roughly (to size budgets). */
  faceValueCents: number;
  today: string;
  shares: HistoryShares;
}

const clamp = (n: number, min: number, max: number) => Math.max(min, Math.min(max, n));

/**
 * About 50,000 vouchers per order, four orders per funder, one site per 3,300 vouchers (up to 3,000):
 * 10,000,000 vouchers give 200 orders of 50 funders and 3,000 sites in 30 departments. A fifth of the
 * vouchers are redeemed: 85 % of booklets allocated, 70 % of those handed over, a third of those
 * started, with most of their vouchers used.
 */
export function seedPlan(vouchers: number, now = new Date()): SeedPlan {
  const orders = clamp(Math.round(vouchers / 50_000), 3, 400);
  const funders = clamp(Math.ceil(orders / 4), 2, 60);
  return {
    vouchers,
    vouchersPerBooklet: 10,
    orders,
    funders,
    departments: clamp(funders, 2, 30),
    sites: clamp(Math.round(vouchers / 3_300), 8, 3_000),
    policies: vouchers >= 1_000_000 ? 2 : 1,
    programmesPerPolicy: clamp(Math.ceil(funders / 10), 2, 4),
    historyDays: 720,
    faceValueCents: vouchers * 1_100,
    today: parisDate(now),
    shares: { allocated: 0.85, distributed: 0.7, started: 0.45, redeemed: 0.85 },
  };
}

/** Calendar days from `a` to `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export { addDays };
