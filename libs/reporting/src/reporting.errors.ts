import { DomainError } from '@sillage/common';

export type ReportingErrorCode = 'NOT_FOUND' | 'REPORT_EXPORT_NOT_READY';

export class ReportingError extends DomainError<ReportingErrorCode> {
  readonly module = 'reporting';
}
