import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Clock, newSecret, sha256 } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { TransactionRunner } from '@sillage/db';
import { IdentityError } from '../identity.errors';
import { UserRepository } from '../users/user.repository';
import { AuthRequestContext } from './auth-context';
import { PasswordHasher } from './password-hasher';
import { assertPasswordPolicy } from './password-violations';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SetPasswordChannel, SetPasswordTokenRepository } from './set-password-token.repository';

function invalidToken(): IdentityError {
  return new IdentityError(
    'SET_PASSWORD_TOKEN_INVALID',
    'this link is invalid, expired or already used: ask your administrator for a new one',
    {
      field: 'token',
    },
  );
}

/**
 * One-time set-password links. `mint` is called by whoever hands a link out (user creation returns
 * one to the admin; the email job mints its own when it sends); `setPassword` spends it.
 */
@Injectable()
export class SetPasswordTokenService {
  constructor(
    private readonly tokens: SetPasswordTokenRepository,
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates a link token for the user in the caller's transaction and returns the raw token (shown
   * or sent once; only its SHA-256 is stored). Valid SET_PASSWORD_TOKEN_TTL_SECONDS.
   */
  async mint(tx: Tx, userId: string, channel: SetPasswordChannel): Promise<string> {
    const token = newSecret(32);
    const now = this.clock.now();
    await this.tokens.insert(tx, {
      userId,
      tokenHash: sha256(token),
      channel,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.auth.setPasswordTokenTtlSeconds * 1000),
    });
    return token;
  }

  /**
   * Checks the policy, stores the argon2id hash, activates an invited user, spends every link of
   * that user and revokes their sessions (a reset must lock out whoever knew the old password).
   */
  async setPassword(rawToken: string, password: string, ctx: AuthRequestContext): Promise<void> {
    const tokenHash = sha256(rawToken);
    const live = await this.tokens.findLive(tokenHash, this.clock.now());
    if (!live) throw invalidToken();
    assertPasswordPolicy(password, live.email);
    const passwordHash = await this.hasher.hash(password);
    await this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const userId = await this.tokens.spend(tx, tokenHash, now);
      if (userId === undefined || !(await this.users.setPassword(tx, userId, passwordHash, now))) throw invalidToken();
      const revoked = await this.refreshTokens.revokeAllOfUser(tx, userId, now);
      await this.audit.append(tx, {
        action: 'auth.password_set',
        actor: { type: 'user', id: userId, organisationId: live.organisationId },
        subject: { type: 'user', id: userId },
        reason: 'SET_PASSWORD_LINK',
        facts: { revokedRefreshTokens: revoked },
        requestId: ctx.requestId,
      });
    });
  }
}
