import { Injectable, Logger } from '@nestjs/common';
import { Clock, sha256 } from '@sillage/common';
import { Authenticator, RequestCredentials } from '../access/authenticator';
import { Principal } from '../access/principal';
import { ApiKeyAuthRepository } from '../api-keys/api-key.repository';
import { isApiKeySecret } from '../api-keys/api-key-secret';
import { IdentityError } from '../identity.errors';
import { AccessTokenService } from './access-token.service';

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Bearer credentials are either an ES256 access token (verified without a database round trip) or
 * an API key (one indexed lookup by SHA-256). An API key's last-used time is written at most once a
 * minute per process, after the response path and outside any transaction.
 */
@Injectable()
export class CredentialAuthenticator extends Authenticator {
  private readonly logger = new Logger('CredentialAuthenticator');
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly apiKeys: ApiKeyAuthRepository,
    private readonly clock: Clock,
  ) {
    super();
  }

  async authenticate({ bearer }: RequestCredentials): Promise<Principal> {
    if (!bearer) throw new IdentityError('UNAUTHENTICATED', 'send an access token or API key as "Authorization: Bearer <token>"');
    if (!isApiKeySecret(bearer)) return this.tokens.verify(bearer);

    const key = await this.apiKeys.findBySecretHash(sha256(bearer));
    if (!key) throw new IdentityError('UNAUTHENTICATED', 'unknown API key');
    if (key.revokedAt) throw new IdentityError('API_KEY_REVOKED', 'this API key has been revoked');
    this.noteUse(key.id);
    return { type: 'api_key', id: key.id, organisationId: key.organisationId, organisationKinds: key.organisationKinds, role: key.role };
  }

  private noteUse(id: string): void {
    const now = this.clock.now();
    const last = this.lastTouched.get(id) ?? 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastTouched.set(id, now.getTime());
    setImmediate(() => {
      this.apiKeys.touchLastUsed(id, now).catch((e: unknown) => this.logger.warn(`could not record API key use: ${(e as Error).message}`));
    });
  }
}
