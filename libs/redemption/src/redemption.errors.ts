import { DomainError } from '@sillage/common';

/** The reason codes a site agent sees (issue 6), plus request errors. */
export type RedemptionErrorCode =
  | 'NOT_FOUND'
  | 'UNKNOWN_CODE'
  | 'ALREADY_REDEEMED'
  | 'NOT_ACTIVE'
  | 'EXPIRED'
  | 'BLOCKED'
  | 'NOT_DISTRIBUTED'
  | 'SITE_NOT_QUALIFIED'
  | 'SITE_NOT_ELIGIBLE'
  | 'CATEGORY_NOT_ALLOWED'
  | 'SELF_REDEMPTION'
  | 'OFFLINE_WINDOW_EXCEEDED'
  | 'MIXED_BOOKLETS'
  | 'DUPLICATE_VOUCHER'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'UNDO_WINDOW_CLOSED'
  | 'ALREADY_SETTLED'
  | 'ALREADY_UNDONE'
  | 'INCIDENT_ALREADY_RESOLVED'
  | 'INCIDENT_VOUCHERS_USABLE';

export class RedemptionError extends DomainError<RedemptionErrorCode> {
  readonly module = 'redemption';
}
