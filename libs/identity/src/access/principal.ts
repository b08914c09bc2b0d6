/** Who is calling, as established by the authenticator from an access token or an API key. */
export const ORGANISATION_KINDS = ['operator', 'funder', 'distributor', 'site'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ROLES = ['admin', 'agent', 'finance', 'viewer', 'dpo'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  type: 'user' | 'api_key';
  /** The user id, or the API key id for devices and integrations. */
  id: string;
  organisationId: string;
  organisationKinds: OrganisationKind[];
  role: Role;
}

export function isOperator(p: Principal): boolean {
  return p.organisationKinds.includes('operator');
}
