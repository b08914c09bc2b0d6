/** Why a grant was amended (enumerated; free text never goes in the audit log). Mirrors grant_amendment_reason_check. */
export const AMENDMENT_REASONS = ['EXTENSION', 'BUDGET_INCREASE', 'BUDGET_DECREASE', 'EXTENSION_AND_BUDGET', 'CORRECTION'] as const;
export type AmendmentReason = (typeof AMENDMENT_REASONS)[number];
