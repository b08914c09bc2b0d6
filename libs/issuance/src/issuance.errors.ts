import { DomainError } from '@sillage/common';

export type IssuanceErrorCode =
  | 'NOT_FOUND'
  | 'BOOKLET_STATE_CONFLICT'
  | 'VOUCHER_STATE_CONFLICT'
  | 'ISSUANCE_IN_PROGRESS'
  | 'NOTHING_TO_REPLACE'
  | 'PRINT_FILE_NOT_READY';

export class IssuanceError extends DomainError<IssuanceErrorCode> {
  readonly module = 'issuance';
}
