import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sillage/db';
import { RedemptionError } from '../redemption.errors';
import { ResolvedVoucher } from '../codes/voucher-codes';
import { REFUSAL_FACTS_SQL } from './redemption-sql';

export interface RefusalFacts {
  idx: number;
  status: string;
  bookletState: string;
  bearer: boolean;
  beforeDeadline: boolean;
  lastDay: string;
  siteEligible: boolean;
  categoryAllowed: boolean;
  selfRedemption: boolean;
  siteQualified: boolean;
  faceValueCents: string;
}

/**
 * Why vouchers cannot be redeemed at a site at a given time, from fresh facts, in the order a site
 * agent needs to hear it: the site itself, then the voucher's state, then the order's rules.
 * `undefined` when nothing stands in the way (the caller may then try again: a concurrent change).
 */
@Injectable()
export class RedemptionRefusals {
  constructor(private readonly tx: TransactionRunner) {}

  async facts(
    siteId: string,
    vouchers: ResolvedVoucher[],
    occurredAt: Date,
    occurredDay: string,
    category: string | null,
  ): Promise<RefusalFacts[]> {
    const rows = await this.tx.pool.query<RefusalFacts>({
      name: 'redemption-refusal-facts-v1',
      text: REFUSAL_FACTS_SQL,
      values: [vouchers[0].bookletId, siteId, occurredAt, occurredDay, category, vouchers.map((v) => v.idx)],
    });
    return rows.rows;
  }

  async explain(
    siteId: string,
    vouchers: ResolvedVoucher[],
    occurredAt: Date,
    occurredDay: string,
    category: string,
  ): Promise<RedemptionError> {
    const facts = await this.facts(siteId, vouchers, occurredAt, occurredDay, category);
    return (
      reasonOf(facts, vouchers, occurredDay) ??
      new RedemptionError('NOT_ACTIVE', 'this voucher changed while it was being redeemed: scan it again', { field: 'vouchers' })
    );
  }
}

/**
 * The first reason, or undefined when every voucher could be redeemed. The site's and the order's
 * rules come first (qualification, eligibility, category, self-redemption): a voucher's own state
 * (already redeemed, blocked, expired) is only reported to a site that could have redeemed it, which
 * is also what makes a lost race or a late sync an incident rather than a plain refusal.
 */
export function reasonOf(facts: RefusalFacts[], vouchers: ResolvedVoucher[], occurredDay: string): RedemptionError | undefined {
  const serialOf = (idx: number) => vouchers.find((v) => v.idx === idx)?.serial ?? `#${idx}`;
  const f0 = facts[0];
  if (!f0) return new RedemptionError('UNKNOWN_CODE', 'no voucher has this code', { field: 'vouchers' });
  if (!f0.siteQualified) {
    return new RedemptionError(
      'SITE_NOT_QUALIFIED',
      `this site cannot redeem vouchers: it is not qualified now, or its label did not cover ${occurredDay}`,
    );
  }
  if (!f0.siteEligible) return new RedemptionError('SITE_NOT_ELIGIBLE', 'the funder of these vouchers does not accept them at this site');
  if (!f0.categoryAllowed) {
    return new RedemptionError('CATEGORY_NOT_ALLOWED', 'the funder of these vouchers does not pay for this service category', {
      field: 'serviceCategoryCode',
    });
  }
  if (f0.selfRedemption) {
    return new RedemptionError('SELF_REDEMPTION', 'your organisation handed this booklet over: another site must redeem it');
  }
  for (const f of facts) {
    const serial = serialOf(f.idx);
    switch (f.status) {
      case 'ACTIVE':
        break;
      case 'REDEEMED':
      case 'SETTLED':
      case 'PAID':
        return new RedemptionError('ALREADY_REDEEMED', `voucher ${serial} was already redeemed`, { field: 'vouchers', meta: { serial } });
      case 'BLOCKED':
      case 'REPLACED':
        return new RedemptionError('BLOCKED', `voucher ${serial} is blocked (reported lost or stolen)`, {
          field: 'vouchers',
          meta: { serial },
        });
      case 'EXPIRED':
      case 'RESTITUTED':
        return new RedemptionError('EXPIRED', `voucher ${serial} has expired`, { field: 'vouchers', meta: { serial } });
      default:
        return new RedemptionError('NOT_ACTIVE', `voucher ${serial} is not active yet: its order is not paid`, {
          field: 'vouchers',
          meta: { serial },
        });
    }
  }
  if (!f0.beforeDeadline) {
    return new RedemptionError('EXPIRED', `these vouchers could be used until ${f0.lastDay} (Paris time)`, {
      field: 'occurredAt',
      meta: { lastDay: f0.lastDay },
    });
  }
  if (f0.bookletState !== 'DISTRIBUTED' && !f0.bearer) {
    return new RedemptionError('NOT_DISTRIBUTED', 'this booklet was not handed to a beneficiary yet: it cannot be used', {
      field: 'vouchers',
    });
  }
  return undefined;
}
