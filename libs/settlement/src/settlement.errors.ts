import { DomainError } from '@sillage/common';

export type SettlementErrorCode = 'NOT_FOUND' | 'CUTOFF_IN_FUTURE' | 'RUN_IN_PROGRESS' | 'PRICING_RULE_INVALID' | 'CONTRACT_NOT_FOUND';

export class SettlementError extends DomainError<SettlementErrorCode> {
  readonly module = 'settlement';
}
