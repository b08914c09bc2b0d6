import { isOperator, Principal } from '@sillage/identity';
import { SiteRecord } from './profiles/site.repository';
import { SitesError } from './sites.errors';

/**
 * Who may see which site. The route's `@Allow` has checked kinds and roles; these answer 404 for
 * anything outside the caller's relationships, so nobody learns about other organisations. Only the
 * operator, who sees every organisation anyway, is told that an organisation exists but is no site.
 */
export function requireSite(principal: Principal, site: SiteRecord | undefined): SiteRecord {
  if (!site) throw notFound();
  if (!site.kinds.includes('site')) {
    if (isOperator(principal)) throw new SitesError('NOT_A_SITE', 'this organisation is not a site (its kinds do not include site)');
    throw notFound();
  }
  return site;
}

/** The site itself (any of its users or keys) or the operator. */
export function requireOwnSiteOrOperator(principal: Principal, site: SiteRecord | undefined): SiteRecord {
  const s = requireSite(principal, site);
  if (!ownsOrOperates(principal, s.id)) throw notFound();
  return s;
}

export function ownsOrOperates(principal: Principal, siteId: string): boolean {
  return isOperator(principal) || principal.organisationId === siteId;
}

export function notFound(): SitesError {
  return new SitesError('NOT_FOUND', 'site not found');
}
