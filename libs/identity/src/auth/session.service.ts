import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Clock, newSecret, sha256 } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { randomUUID } from 'node:crypto';
import { OrganisationKind, Role } from '../access/principal';
import { AccessTokenService } from './access-token.service';
import { RefreshTokenRepository } from './refresh-token.repository';

export interface SessionUser {
  id: string;
  organisationId: string;
  organisationKinds: OrganisationKind[];
  role: Role;
}

/** What a login, a TOTP confirmation or a refresh hands back; the controller chooses the delivery. */
export interface Session {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshTtlSeconds: number;
  familyId: string;
}

/** Mints an access token and a refresh token (256-bit secret, stored as SHA-256) of one family. */
@Injectable()
export class SessionService {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new family: a login. */
  start(tx: Tx, user: SessionUser): Promise<Session> {
    return this.issue(tx, user, randomUUID());
  }

  /** The next token of a family: a refresh. */
  continue(tx: Tx, user: SessionUser, familyId: string): Promise<Session> {
    return this.issue(tx, user, familyId);
  }

  private async issue(tx: Tx, user: SessionUser, familyId: string): Promise<Session> {
    const now = this.clock.now();
    const ttl = this.config.auth.refreshTokenTtlSeconds;
    const refreshToken = newSecret(32);
    await this.refreshTokens.insert(tx, {
      familyId,
      userId: user.id,
      tokenHash: sha256(refreshToken),
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttl * 1000),
    });
    return {
      accessToken: this.accessTokens.issue(user),
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken,
      refreshTtlSeconds: ttl,
      familyId,
    };
  }
}
