import { notFound } from '@sillage/common';
import { isOperator, Principal } from '@sillage/identity';

/**
 * Whose figures a report shows: a funder always its own (asking for another funder's answers 404,
 * whatever the other filters); the operator the funder it names, or every funder (null).
 */
export function reportFunder(principal: Principal, funderId?: string): string | null {
  if (isOperator(principal)) return funderId?.toLowerCase() ?? null;
  if (funderId && funderId.toLowerCase() !== principal.organisationId) throw notFound('funder');
  return principal.organisationId;
}
