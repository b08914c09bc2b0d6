import { SiteStatus } from '../profiles/site-profile.entity';

/** What the operator decides about a site (an application is the site's own act, not a decision). */
export const OPERATOR_DECISIONS = ['qualified', 'suspended', 'revoked'] as const;
export type OperatorDecision = (typeof OPERATOR_DECISIONS)[number];

/**
 * The qualification life cycle. `draft → applied` is the site's application; the operator then
 * decides: `applied → qualified` (first label), `qualified → qualified` (label renewal),
 * `qualified → suspended`, `suspended → qualified` (suspension lifted, with a label), and
 * `applied | qualified | suspended → revoked`. Revoked is final: the organisation would need a new
 * registration to come back, so its history stays readable as it was.
 */
export const ALLOWED_FROM: Readonly<Record<OperatorDecision, readonly SiteStatus[]>> = {
  qualified: ['applied', 'qualified', 'suspended'],
  suspended: ['qualified'],
  revoked: ['applied', 'qualified', 'suspended'],
};

export function canDecide(from: SiteStatus, decision: OperatorDecision): boolean {
  return ALLOWED_FROM[decision].includes(from);
}

/** The reason codes of each decision (audit reasons are enumerated codes, never free text). */
export const DECISION_REASONS = {
  qualified: ['application_accepted', 'label_renewed', 'suspension_lifted'],
  suspended: ['complaint_under_review', 'charter_breach_suspected', 'fraud_suspected', 'documents_expired', 'inactivity', 'other'],
  revoked: ['application_rejected', 'charter_breach', 'fraud_confirmed', 'site_closed', 'site_request', 'other'],
} as const satisfies Record<OperatorDecision, readonly string[]>;

export const QUALIFICATION_REASON_CODES = [...new Set(Object.values(DECISION_REASONS).flat())] as const;
export type QualificationReasonCode = (typeof DECISION_REASONS)[OperatorDecision][number];

/** Reason code of the `applied` rows the site's own application writes. */
export const APPLICATION_REASON = 'site_application';

export function reasonFits(decision: OperatorDecision, reason: string): boolean {
  return (DECISION_REASONS[decision] as readonly string[]).includes(reason);
}
