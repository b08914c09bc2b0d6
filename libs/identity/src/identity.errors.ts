import { DomainError } from '@sillage/common';

export type IdentityErrorCode =
  | 'UNAUTHENTICATED'
  | 'TOKEN_EXPIRED'
  | 'INVALID_CREDENTIALS'
  | 'TOTP_REQUIRED'
  | 'TOTP_INVALID'
  | 'TOTP_ENROLMENT_REQUIRED'
  | 'ACCOUNT_DISABLED'
  | 'LOGIN_THROTTLED'
  | 'REFRESH_TOKEN_INVALID'
  | 'REFRESH_TOKEN_REUSED'
  | 'SET_PASSWORD_TOKEN_INVALID'
  | 'PASSWORD_POLICY'
  | 'API_KEY_REVOKED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'SIRET_TAKEN'
  | 'ORGANISATION_KIND_INVALID'
  | 'ROLE_NOT_ALLOWED'
  | 'PARTNERSHIP_INVALID'
  | 'PARTNERSHIP_EXISTS'
  | 'SERVICE_CATEGORY_EXISTS'
  | 'OPERATOR_EXISTS';

export class IdentityError extends DomainError<IdentityErrorCode> {
  readonly module = 'identity';
}
