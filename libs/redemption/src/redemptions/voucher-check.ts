import { Injectable } from '@nestjs/common';
import { parisDate } from '@sillage/common';
import { Principal } from '@sillage/identity';
import { RedemptionError } from '../redemption.errors';
import { RedemptionFailures } from './redemption-failures';
import { reasonOf, RedemptionRefusals } from './redemption-refusals';
import { RedemptionsService } from './redemptions.service';
import { CheckResultDto, CheckVoucherDto } from './dto/redemption.dto';

/** "Can this voucher be redeemed here now?" — the same rules as a redemption, redeeming nothing. */
@Injectable()
export class VoucherCheck {
  constructor(
    private readonly redemptions: RedemptionsService,
    private readonly refusals: RedemptionRefusals,
    private readonly failures: RedemptionFailures,
  ) {}

  async check(principal: Principal, input: CheckVoucherDto): Promise<CheckResultDto> {
    this.failures.assertNotBlocked(principal);
    let vouchers;
    try {
      vouchers = await this.redemptions.resolve(principal, { vouchers: [input] });
    } catch (e) {
      if (e instanceof RedemptionError) return { redeemable: false, reasonCode: e.code, detail: e.message };
      throw e;
    }
    const now = new Date();
    const day = parisDate(now);
    const facts = await this.refusals.facts(principal.organisationId, vouchers, now, day, input.serviceCategoryCode ?? null);
    const reason = reasonOf(facts, vouchers, day);
    const v = vouchers[0];
    return {
      redeemable: reason === undefined,
      reasonCode: reason?.code ?? 'OK',
      detail: reason?.message ?? 'this voucher can be redeemed here now',
      serial: v.serial,
      amountCents: v.faceValueCents,
      ...(facts[0] ? { redeemableUntil: facts[0].lastDay } : {}),
    };
  }
}
