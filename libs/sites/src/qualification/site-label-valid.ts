import type { Tx } from '@sillage/db';

/**
 * "May this site deliver a service on Paris date D?" — the one definition, shared by redemption
 * and the pass page:
 *
 * 1. the site's current status is `qualified` (not applied, suspended or revoked: a site suspended
 *    after the service but before the sync is refused);
 * 2. it was not suspended or revoked on D: the last decision taken by the end of D is neither;
 * 3. its label on D covers D: of the `qualified` decisions whose label starts on or before D, the one
 *    starting last (the latest decided among equals) ends on or after D. A renewal thus replaces the
 *    label from its own start (it can shorten it), a renewal starting later leaves the current label
 *    alone until then, and a first label dated back by the operator covers services before the
 *    decision.
 *
 * `siteLabelValidSql(siteExpr, dateExpr)` returns a boolean SQL expression: pass SQL expressions
 * (a column such as `s.id`, or a parameter such as `$1::uuid`), never user input. `dateExpr` must be
 * a `date` (cast a parameter: `$2::date`); `PARIS_TODAY_SQL` is today in Europe/Paris.
 */
export function siteLabelValidSql(siteExpr: string, dateExpr: string): string {
  const endOfDay = `((${dateExpr} + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;
  return `(EXISTS (SELECT 1 FROM site_profile sp WHERE sp.organisation_id = ${siteExpr} AND sp.status = 'qualified')
    AND coalesce((SELECT l.decision NOT IN ('suspended', 'revoked') FROM site_qualification l
                  WHERE l.site_id = ${siteExpr} AND l.decided_at < ${endOfDay} ORDER BY l.decided_at DESC LIMIT 1), true)
    AND coalesce((SELECT ${dateExpr} <= q.label_valid_until FROM site_qualification q
                  WHERE q.site_id = ${siteExpr} AND q.decision = 'qualified' AND q.label_valid_from <= ${dateExpr}
                  ORDER BY q.label_valid_from DESC, q.decided_at DESC LIMIT 1), false))`;
}

/** Today's date in Europe/Paris, computed by the database (business days are Paris days). */
export const PARIS_TODAY_SQL = `(now() AT TIME ZONE 'Europe/Paris')::date`;

/** `siteLabelValidSql` with `$1` = site id (uuid) and `$2` = the Paris date (`YYYY-MM-DD`). */
export const SITE_LABEL_VALID_SQL = siteLabelValidSql('$1::uuid', '$2::date');

/**
 * True when the site is qualified now and holds a label covering `parisDate` (`YYYY-MM-DD`; today
 * in Europe/Paris when omitted). For callers that do not embed the check in their own statement.
 */
export async function isSiteLabelValid(tx: Tx, siteId: string, parisDate?: string): Promise<boolean> {
  const rows: { ok: boolean }[] = await tx.query(
    `SELECT ${siteLabelValidSql('$1::uuid', `coalesce($2::date, ${PARIS_TODAY_SQL})`)} AS ok`,
    [siteId, parisDate ?? null],
  );
  return rows[0]?.ok === true;
}
