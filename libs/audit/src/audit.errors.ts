import { DomainError } from '@sillage/common';

export type AuditErrorCode = 'CHECKPOINT_NOT_FOUND' | 'EVENT_NOT_FOUND' | 'EVENT_NOT_SEALED' | 'TREE_SIZE_INVALID';

export class AuditError extends DomainError<AuditErrorCode> {
  readonly module = 'audit';
}
