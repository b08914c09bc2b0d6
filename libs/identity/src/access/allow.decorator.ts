import { SetMetadata } from '@nestjs/common';
import { OrganisationKind, Role } from './principal';

/**
 * The route's access rule, read by the one central `AccessGuard`. Every route declares one:
 * `@Public()` or `@Allow(...)`; a route with neither is refused, so forgetting is safe.
 */
export interface AccessRule {
  /** The caller's organisation must have one of these kinds (any kind when omitted). */
  kinds?: OrganisationKind[];
  /** The caller must have one of these roles (any role when omitted). */
  roles?: Role[];
  /** API keys may call this route (default false: users only). */
  apiKeys?: boolean;
}

export const ACCESS_RULE = 'sillage:access-rule';
export const PUBLIC_ROUTE = 'sillage:public-route';

export const Allow = (rule: AccessRule = {}) => SetMetadata(ACCESS_RULE, rule);
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
