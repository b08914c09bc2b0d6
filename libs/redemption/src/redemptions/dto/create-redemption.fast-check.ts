import { isISO8601 } from 'class-validator';
import { DATE_TIME_ISO_OPTIONS, DATE_TIME_WITH_OFFSET, hasOnlyKeys, registerFastBodyCheck } from '@sillage/common';
import {
  CATEGORY_CODE,
  CODE_MAX_LENGTH,
  CreateRedemptionDto,
  MAX_VOUCHERS_PER_REDEMPTION,
  QR_TOKEN_MAX_LENGTH,
  VoucherCodeDto,
} from './redemption.dto';

const BODY_KEYS = new Set(['vouchers', 'serviceCategoryCode', 'occurredAt']);
const BODY_REQUIRED = [...BODY_KEYS];
const VOUCHER_KEYS = new Set(['code', 'qrToken']);

/** A string within `max` UTF-16 units (so within `max` characters as class-validator's MaxLength counts them), or absent. */
const optionalShortString = (v: unknown, max: number): v is string | undefined =>
  v === undefined || (typeof v === 'string' && v.length <= max);

/**
 * The scanner's request (`POST /v1/redemptions`), checked by hand: the DTO when class-validator would
 * accept the body unchanged, else undefined (class-validator then explains). Conservative on purpose:
 * a `null` optional field, for instance, is left to class-validator.
 */
export function checkCreateRedemptionBody(body: Record<string, unknown>): CreateRedemptionDto | undefined {
  if (!hasOnlyKeys(body, BODY_KEYS, BODY_REQUIRED)) return undefined;
  const { vouchers, serviceCategoryCode, occurredAt } = body;
  if (!Array.isArray(vouchers) || vouchers.length < 1 || vouchers.length > MAX_VOUCHERS_PER_REDEMPTION) return undefined;
  if (typeof serviceCategoryCode !== 'string' || !CATEGORY_CODE.test(serviceCategoryCode)) return undefined;
  if (typeof occurredAt !== 'string' || !DATE_TIME_WITH_OFFSET.test(occurredAt) || !isISO8601(occurredAt, DATE_TIME_ISO_OPTIONS))
    return undefined;
  const codes: VoucherCodeDto[] = [];
  for (const v of vouchers as unknown[]) {
    if (!hasOnlyKeys(v, VOUCHER_KEYS)) return undefined;
    if (!optionalShortString(v.code, CODE_MAX_LENGTH) || !optionalShortString(v.qrToken, QR_TOKEN_MAX_LENGTH)) return undefined;
    codes.push(Object.assign(new VoucherCodeDto(), v));
  }
  return Object.assign(new CreateRedemptionDto(), { vouchers: codes, serviceCategoryCode, occurredAt });
}

registerFastBodyCheck(CreateRedemptionDto, checkCreateRedemptionBody);
