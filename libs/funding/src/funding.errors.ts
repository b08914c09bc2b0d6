import { DomainError } from '@sillage/common';

export type FundingErrorCode =
  | 'NOT_FOUND'
  | 'FUNDER_INVALID'
  | 'AMOUNT_RANGE_INVALID'
  | 'COFINANCING_ABOVE_PROGRAMME_MAX'
  | 'PROGRAMME_MAX_BELOW_GRANTS'
  | 'DATES_OUT_OF_ORDER'
  | 'AMENDMENT_EMPTY'
  | 'CONTRACT_REFERENCE_TAKEN';

export class FundingError extends DomainError<FundingErrorCode> {
  readonly module = 'funding';
}
