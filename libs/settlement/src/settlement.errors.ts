import { DomainError } from '@sillage/common';

export type SettlementErrorCode =
  | 'NOT_FOUND'
  | 'CUTOFF_IN_FUTURE'
  | 'RUN_IN_PROGRESS'
  | 'PRICING_RULE_INVALID'
  | 'CONTRACT_NOT_FOUND'
  | 'BATCH_NOT_READY'
  | 'BATCH_NOT_RELEASED'
  | 'FOUR_EYES'
  | 'NOTHING_TO_PAY'
  | 'NOT_SETTLED'
  | 'CORRECTION_EXISTS'
  | 'BANK_STATEMENT_EMPTY'
  | 'BANK_STATEMENT_MALFORMED'
  | 'BANK_STATEMENT_INVALID'
  | 'UNSUPPORTED_STATEMENT_TYPE';

export class SettlementError extends DomainError<SettlementErrorCode> {
  readonly module = 'settlement';
}
