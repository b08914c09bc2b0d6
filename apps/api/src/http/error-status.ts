import { AuditError, AuditErrorCode } from '@sillage/audit';
import { CommonError, CommonErrorCode, DomainError } from '@sillage/common';
import { IdentityError, IdentityErrorCode } from '@sillage/identity';
import { LedgerError, LedgerErrorCode } from '@sillage/ledger';
import { FundingError, FundingErrorCode } from '@sillage/funding';
import { IssuanceError, IssuanceErrorCode } from '@sillage/issuance';
import { DistributionError, DistributionErrorCode } from '@sillage/distribution';
import { SitesError, SitesErrorCode } from '@sillage/sites';
import { RedemptionError, RedemptionErrorCode } from '@sillage/redemption';
import { SettlementError, SettlementErrorCode } from '@sillage/settlement';
import { ReportingError, ReportingErrorCode } from '@sillage/reporting';

/**
 * The one exhaustive mapping from domain error codes to HTTP statuses. Each table is a Record over
 * its module's code union, so adding a code without a status fails to compile.
 */
const common: Record<CommonErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  INVALID_CURSOR: 400,
  INTERNAL: 500,
};

const identity: Record<IdentityErrorCode, number> = {
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  TOTP_ENROLMENT_REQUIRED: 403,
  TOTP_ALREADY_ENABLED: 409,
  TOTP_ENROLMENT_NOT_STARTED: 409,
  ACCOUNT_DISABLED: 401,
  LOGIN_THROTTLED: 429,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  SET_PASSWORD_TOKEN_INVALID: 400,
  PASSWORD_POLICY: 400,
  API_KEY_REVOKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  SIRET_TAKEN: 409,
  ORGANISATION_KIND_INVALID: 400,
  ROLE_NOT_ALLOWED: 400,
  PARTNERSHIP_INVALID: 400,
  PARTNERSHIP_EXISTS: 409,
  SERVICE_CATEGORY_EXISTS: 409,
  OPERATOR_EXISTS: 409,
};

const audit: Record<AuditErrorCode, number> = {
  CHECKPOINT_NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  EVENT_NOT_SEALED: 409,
  TREE_SIZE_INVALID: 400,
};

const ledger: Record<LedgerErrorCode, number> = {
  INVALID_AMOUNT: 400,
  INVALID_TRANSFER: 400,
  INVALID_EVENT_AT: 400,
  ACCOUNT_NOT_FOUND: 404,
  ACCOUNT_FLAGS_INVALID: 409,
  CURRENCY_MISMATCH: 400,
  TRANSFER_ID_CONFLICT: 409,
  PENDING_NOT_FOUND: 404,
  PENDING_ALREADY_RESOLVED: 409,
  AMOUNT_EXCEEDS_PENDING: 400,
  EXCEEDS_CREDITS: 409,
  EXCEEDS_DEBITS: 409,
  NOT_FOUND: 404,
};

const funding: Record<FundingErrorCode, number> = {
  NOT_FOUND: 404,
  FUNDER_INVALID: 400,
  AMOUNT_RANGE_INVALID: 400,
  COFINANCING_ABOVE_PROGRAMME_MAX: 400,
  PROGRAMME_MAX_BELOW_GRANTS: 409,
  DATES_OUT_OF_ORDER: 400,
  AMENDMENT_EMPTY: 400,
  CONTRACT_REFERENCE_TAKEN: 409,
  CONTRACT_INVALID: 400,
  GRANT_INVALID: 400,
  SERVICE_CATEGORY_UNKNOWN: 400,
  SITE_INVALID: 400,
  ELIGIBILITY_INVALID: 400,
  HISTORICAL_FIGURES_INVALID: 400,
  VALIDITY_IN_PAST: 400,
  VALIDITY_NOT_LATER: 400,
  ORDER_STATE_CONFLICT: 409,
  ORDER_HAS_PAYMENTS: 409,
  PAYMENT_EXCEEDS_DUE: 409,
  PAYMENT_REFERENCE_CONFLICT: 409,
  SLUG_TAKEN: 409,
};

const issuance: Record<IssuanceErrorCode, number> = {
  NOT_FOUND: 404,
  BOOKLET_STATE_CONFLICT: 409,
  VOUCHER_STATE_CONFLICT: 409,
  ISSUANCE_IN_PROGRESS: 409,
  NOTHING_TO_REPLACE: 409,
  PRINT_FILE_NOT_READY: 409,
};

const distribution: Record<DistributionErrorCode, number> = {
  NOT_FOUND: 404,
  NOT_PARTNERED: 400,
  NOT_ENOUGH_STOCK: 409,
  BOOKLETS_UNAVAILABLE: 409,
  RANGE_INVALID: 400,
  ALLOCATION_EMPTY: 400,
  BOOKLET_NOT_IN_STOCK: 409,
  ALREADY_HANDED_OVER: 409,
  DISTRIBUTION_STOPPED: 409,
  CATEGORY_UNKNOWN: 400,
  CATEGORY_FORBIDDEN: 400,
  CATEGORY_TAKEN: 409,
  CONSENT_REQUIRED: 400,
  HANDOVER_NOT_RETURNABLE: 409,
  HANDOVER_DATE_INVALID: 400,
};

const sites: Record<SitesErrorCode, number> = {
  NOT_FOUND: 404,
  NOT_A_SITE: 404,
  PROFILE_INCOMPLETE: 422,
  CATEGORY_UNKNOWN: 400,
  QUALIFICATION_TRANSITION_INVALID: 409,
  LABEL_RANGE_INVALID: 400,
  IBAN_INVALID: 400,
  BIC_INVALID: 400,
  BANK_ACCOUNT_PENDING: 409,
  BANK_ACCOUNT_NOT_PENDING: 409,
  FOUR_EYES_REQUIRED: 403,
};

const settlement: Record<SettlementErrorCode, number> = {
  NOT_FOUND: 404,
  CUTOFF_IN_FUTURE: 422,
  RUN_IN_PROGRESS: 409,
  BATCH_NOT_READY: 409,
  BATCH_NOT_RELEASED: 409,
  FOUR_EYES: 403,
  NOTHING_TO_PAY: 409,
  NOT_SETTLED: 409,
  CORRECTION_EXISTS: 409,
  BANK_STATEMENT_EMPTY: 400,
  BANK_STATEMENT_MALFORMED: 400,
  BANK_STATEMENT_INVALID: 422,
  UNSUPPORTED_STATEMENT_TYPE: 415,
  PRICING_RULE_INVALID: 422,
  CONTRACT_NOT_FOUND: 404,
};

const redemption: Record<RedemptionErrorCode, number> = {
  NOT_FOUND: 404,
  UNKNOWN_CODE: 404,
  ALREADY_REDEEMED: 409,
  NOT_ACTIVE: 409,
  EXPIRED: 410,
  BLOCKED: 410,
  NOT_DISTRIBUTED: 409,
  SITE_NOT_QUALIFIED: 403,
  SITE_NOT_ELIGIBLE: 403,
  CATEGORY_NOT_ALLOWED: 422,
  SELF_REDEMPTION: 403,
  OFFLINE_WINDOW_EXCEEDED: 422,
  MIXED_BOOKLETS: 422,
  DUPLICATE_VOUCHER: 422,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNDO_WINDOW_CLOSED: 409,
  ALREADY_SETTLED: 409,
  ALREADY_UNDONE: 409,
  INCIDENT_ALREADY_RESOLVED: 409,
  INCIDENT_VOUCHERS_USABLE: 409,
};

const reporting: Record<ReportingErrorCode, number> = {
  NOT_FOUND: 404,
  REPORT_EXPORT_NOT_READY: 409,
};

export function statusFor(error: DomainError): number {
  if (error instanceof CommonError) return common[error.code];
  if (error instanceof IdentityError) return identity[error.code];
  if (error instanceof LedgerError) return ledger[error.code];
  if (error instanceof AuditError) return audit[error.code];
  if (error instanceof FundingError) return funding[error.code];
  if (error instanceof IssuanceError) return issuance[error.code];
  if (error instanceof DistributionError) return distribution[error.code];
  if (error instanceof SitesError) return sites[error.code];
  if (error instanceof RedemptionError) return redemption[error.code];
  if (error instanceof SettlementError) return settlement[error.code];
  if (error instanceof ReportingError) return reporting[error.code];
  return 500;
}
