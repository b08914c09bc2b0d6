/** Why a payout batch cannot be written as a SEPA file. */
export type SepaFileErrorCode =
  | 'NO_PAYMENTS'
  | 'INVALID_AMOUNT'
  | 'INVALID_IDENTIFIER'
  | 'DUPLICATE_END_TO_END_ID'
  | 'INVALID_IBAN'
  | 'INVALID_BIC'
  | 'INVALID_COUNTRY'
  | 'INVALID_DATE'
  | 'EMPTY_TEXT';

/** A payout batch refused before any byte of the file is written; `message` says which field and why. */
export class SepaFileError extends Error {
  constructor(
    readonly code: SepaFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SepaFileError';
  }
}
