import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_RULE, AccessRule, PUBLIC_ROUTE } from './allow.decorator';
import { Authenticator } from './authenticator';
import { Principal } from './principal';
import { IdentityError } from '../identity.errors';

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/**
 * The one central authorisation gate. Role and organisation kind are checked here; access that
 * follows data relationships is checked by `AccessScope` in services, which answers 404.
 * A caller whose organisation kind does not match the route gets 404 (the route is not theirs to
 * know about); a caller of the right kind with too weak a role gets 403.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate({ bearer: bearerToken(req.headers.authorization) });
    req.principal = principal;
    if (!rule) throw new IdentityError('FORBIDDEN', 'this route declares no access rule');
    if (principal.type === 'api_key' && !rule.apiKeys) {
      throw new IdentityError('FORBIDDEN', 'API keys may not call this route');
    }
    if (rule.kinds && !rule.kinds.some((k) => principal.organisationKinds.includes(k))) {
      throw new IdentityError('NOT_FOUND', 'not found');
    }
    if (rule.roles && !rule.roles.includes(principal.role)) {
      throw new IdentityError('FORBIDDEN', `this action needs one of the roles: ${rule.roles.join(', ')}`);
    }
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m?.[1];
}
