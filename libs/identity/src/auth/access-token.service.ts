import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import jwt from 'jsonwebtoken';
import { OrganisationKind, Principal, Role } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { SigningKeys } from './signing-keys';

export const SIGNING_KEYS = Symbol('SIGNING_KEYS');

/** Each token type has its own audience, so a token minted for one purpose is refused elsewhere. */
export const AUDIENCES = {
  access: 'sillage:access',
  totpEnrolment: 'sillage:totp-enrolment',
  queuesBoard: 'sillage:queues-board',
} as const;
const ISSUER = 'sillage';
/** Verified access tokens remembered per process (a few MB at most). */
const VERIFIED_CACHE_MAX = 10_000;

interface AccessClaims {
  sub: string;
  org: string;
  kinds: OrganisationKind[];
  role: Role;
}

@Injectable()
export class AccessTokenService {
  constructor(
    @Inject(SIGNING_KEYS) private readonly keys: SigningKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  get ttlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  issue(user: { id: string; organisationId: string; organisationKinds: OrganisationKind[]; role: Role }): string {
    const claims: AccessClaims = { sub: user.id, org: user.organisationId, kinds: user.organisationKinds, role: user.role };
    return this.sign(claims, AUDIENCES.access, this.ttlSeconds);
  }

  /**
   * An access token's verdict never changes before it expires (access tokens are stateless: a role
   * change or a disabled user takes effect at the next refresh), so a verified token is remembered
   * until its expiry: a scanner or a browser sends the same token for minutes, and an ES256
   * verification per request is the single largest cost of authenticating it.
   */
  verify(token: string): Principal {
    const hit = this.verified.get(token);
    if (hit && hit.expiresAtMs > Date.now()) return { ...hit.principal };
    const c = this.verifyFor<AccessClaims>(token, AUDIENCES.access);
    const principal: Principal = { type: 'user', id: c.sub, organisationId: c.org, organisationKinds: c.kinds, role: c.role };
    if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
    this.verified.set(token, { principal, expiresAtMs: c.exp * 1000 });
    return { ...principal };
  }

  sign(claims: object, audience: string, ttlSeconds: number): string {
    return jwt.sign(claims, this.keys.privateKey, {
      algorithm: 'ES256',
      keyid: this.keys.keyId,
      audience,
      issuer: ISSUER,
      expiresIn: ttlSeconds,
    });
  }

  /** Verifies signature, algorithm, issuer, audience and expiry; throws an IdentityError otherwise. */
  verifyFor<T extends object>(token: string, audience: string): T & { exp: number } {
    try {
      return jwt.verify(token, this.keys.publicKey, { algorithms: ['ES256'], audience, issuer: ISSUER }) as T & { exp: number };
    } catch (e) {
      if (e instanceof jwt.TokenExpiredError) throw new IdentityError('TOKEN_EXPIRED', 'the access token has expired; refresh it');
      throw new IdentityError('UNAUTHENTICATED', 'the token is not valid');
    }
  }
}
