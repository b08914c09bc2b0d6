import { DomainError } from '@sillage/common';

export type DistributionErrorCode =
  | 'NOT_FOUND'
  | 'NOT_PARTNERED'
  | 'NOT_ENOUGH_STOCK'
  | 'BOOKLETS_UNAVAILABLE'
  | 'RANGE_INVALID'
  | 'ALLOCATION_EMPTY'
  | 'BOOKLET_NOT_IN_STOCK'
  | 'ALREADY_HANDED_OVER'
  | 'DISTRIBUTION_STOPPED'
  | 'CATEGORY_UNKNOWN'
  | 'CATEGORY_FORBIDDEN'
  | 'CATEGORY_TAKEN'
  | 'CONSENT_REQUIRED'
  | 'HANDOVER_NOT_RETURNABLE'
  | 'HANDOVER_DATE_INVALID';

export class DistributionError extends DomainError<DistributionErrorCode> {
  readonly module = 'distribution';
}
