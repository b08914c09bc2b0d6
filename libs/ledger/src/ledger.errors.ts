import { DomainError } from '@sillage/common';

export type LedgerErrorCode =
  | 'INVALID_AMOUNT'
  | 'INVALID_TRANSFER'
  | 'INVALID_EVENT_AT'
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_FLAGS_INVALID'
  | 'CURRENCY_MISMATCH'
  | 'TRANSFER_ID_CONFLICT'
  | 'PENDING_NOT_FOUND'
  | 'PENDING_ALREADY_RESOLVED'
  | 'AMOUNT_EXCEEDS_PENDING'
  | 'EXCEEDS_CREDITS'
  | 'EXCEEDS_DEBITS'
  | 'NOT_FOUND';

export class LedgerError extends DomainError<LedgerErrorCode> {
  readonly module = 'ledger';
}
