/**
 * Advisory-lock class of a site's settlement: taken (per site, transaction-scoped) while pricing its
 * statement and while paying it, so two runs or batches never price or pay the same site at once.
 */
export const SITE_LOCK_CLASS = 1_397_050_001;
