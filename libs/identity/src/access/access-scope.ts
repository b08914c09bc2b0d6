import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IdentityError } from '../identity.errors';
import { PartnershipRepository } from '../partnerships/partnership.repository';
import { isOperator, Principal } from './principal';

/** Every organisation (the operator), or an explicit list of ids. */
export type VisibleOrganisations = 'all' | string[];

/**
 * The one place for access that follows data relationships. `AccessGuard` has already checked the
 * route's organisation kinds and roles; services ask this class whether the data they are about to
 * read or change is within the caller's relationships, and answer 404 when it is not, so a caller
 * learns nothing about organisations outside them.
 *
 * Relationships today (the directory):
 * - operator: every organisation;
 * - funder: itself and the distributors it has an active partnership with;
 * - distributor: itself and the funders it has an active partnership with;
 * - site: itself.
 * An organisation with several kinds gets the union. Ended partnerships grant nothing.
 * Later domains add their relationships here (a funder reading its orders' vouchers, a site its
 * redemptions), each as one small method.
 */
@Injectable()
export class AccessScope {
  constructor(private readonly partnerships: PartnershipRepository) {}

  /** Ids of the organisations the caller may see, or 'all' for the operator. */
  async visibleOrganisationIds(principal: Principal, em?: EntityManager): Promise<VisibleOrganisations> {
    if (isOperator(principal)) return 'all';
    const ids = new Set([principal.organisationId]);
    const { organisationKinds: kinds } = principal;
    if (kinds.includes('funder') || kinds.includes('distributor')) {
      for (const id of await this.partnerships.activePartnerIds(principal.organisationId, em)) ids.add(id);
    }
    return [...ids];
  }

  async canSeeOrganisation(principal: Principal, organisationId: string, em?: EntityManager): Promise<boolean> {
    if (isOperator(principal) || principal.organisationId === organisationId) return true;
    const visible = await this.visibleOrganisationIds(principal, em);
    return visible === 'all' || visible.includes(organisationId);
  }

  /** Throws NOT_FOUND (naming `subject`) unless the caller may see the organisation. */
  async assertCanSeeOrganisation(
    principal: Principal,
    organisationId: string,
    subject = 'organisation',
    em?: EntityManager,
  ): Promise<void> {
    if (!(await this.canSeeOrganisation(principal, organisationId, em))) throw new IdentityError('NOT_FOUND', `${subject} not found`);
  }

  /**
   * For data that belongs to one organisation and is never shared with partners (its users, its
   * API keys): the caller must belong to that organisation or to the operator. NOT_FOUND otherwise.
   */
  assertSameOrganisationOrOperator(principal: Principal, organisationId: string, subject = 'resource'): void {
    if (!isOperator(principal) && principal.organisationId !== organisationId) throw new IdentityError('NOT_FOUND', `${subject} not found`);
  }
}
