import type { Tx } from '@sillage/db';

/**
 * "May this site deliver a service on Paris date D?" — the one definition, shared by redemption
 * and the pass page:
 *
 * 1. the site's current status is `qualified` (not applied, suspended or revoked), and
 * 2. one of its `qualified` decisions carries a label whose range (Paris dates, both ends included)
 *    covers D. Any such decision counts, so a service done under last year's label and recorded
 *    late (an offline scan) is still accepted after the label was renewed.
 *
 * `siteLabelValidSql(siteExpr, dateExpr)` returns a boolean SQL expression: pass SQL expressions
 * (a column such as `s.id`, or a parameter such as `$1`), never user input. `dateExpr` must be a
 * `date` (cast a parameter: `$2::date`); `PARIS_TODAY_SQL` is today in Europe/Paris. Uses the
 * primary key of site_profile and site_qualification_label_idx: two index probes.
 */
export function siteLabelValidSql(siteExpr: string, dateExpr: string): string {
  return `(EXISTS (SELECT 1 FROM site_profile sp WHERE sp.organisation_id = ${siteExpr} AND sp.status = 'qualified')
    AND EXISTS (SELECT 1 FROM site_qualification sq WHERE sq.site_id = ${siteExpr} AND sq.decision = 'qualified'
                AND sq.label_valid_from <= ${dateExpr} AND sq.label_valid_until >= ${dateExpr}))`;
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
