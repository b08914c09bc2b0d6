import { DomainError } from '@sillage/common';

export type SitesErrorCode =
  | 'NOT_FOUND'
  | 'NOT_A_SITE'
  | 'PROFILE_INCOMPLETE'
  | 'CATEGORY_UNKNOWN'
  | 'QUALIFICATION_TRANSITION_INVALID'
  | 'LABEL_RANGE_INVALID'
  | 'IBAN_INVALID'
  | 'BIC_INVALID'
  | 'BANK_ACCOUNT_PENDING'
  | 'BANK_ACCOUNT_NOT_PENDING'
  | 'FOUR_EYES_REQUIRED';

export class SitesError extends DomainError<SitesErrorCode> {
  readonly module = 'sites';
}
