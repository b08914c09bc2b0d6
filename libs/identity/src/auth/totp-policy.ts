import { OrganisationKind, Role } from '../access/principal';

/** Roles that need a second factor in every organisation: they manage people or money. */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['admin', 'finance'];

/**
 * A second factor is required for every operator user (any role), for admin and finance roles
 * everywhere, and for anyone who enrolled voluntarily (once enrolled, always asked).
 */
export function totpRequired(user: { organisationKinds: OrganisationKind[]; role: Role; totpEnabledAt: Date | null }): boolean {
  return user.totpEnabledAt !== null || user.organisationKinds.includes('operator') || TOTP_REQUIRED_ROLES.includes(user.role);
}
