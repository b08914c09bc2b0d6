/**
 * Base for every module's domain errors. Services throw these (never HTTP exceptions); the API's
 * one exhaustive mapper turns each code into an RFC 9457 problem response.
 */
export interface FieldProblem {
  /** Dotted path of the offending input field, e.g. `address.communeCode`. */
  field: string;
  code: string;
  message: string;
}

export abstract class DomainError<C extends string = string> extends Error {
  abstract readonly module: string;
  constructor(
    readonly code: C,
    message: string,
    readonly options: { field?: string; errors?: FieldProblem[]; retryAfterSeconds?: number; meta?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Errors any module may raise: bad input caught after DTO validation, missing things, conflicts. */
export type CommonErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'INVALID_CURSOR'
  | 'INTERNAL';

export class CommonError extends DomainError<CommonErrorCode> {
  readonly module = 'common';
}

/** The not-found every authorisation miss turns into, so nothing leaks about other organisations. */
export function notFound(subject: string): CommonError {
  return new CommonError('NOT_FOUND', `${subject} not found`);
}
