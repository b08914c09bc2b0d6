import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Clock, sha256 } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { IdentityError } from '../identity.errors';
import { UserCredentials, UserRepository } from '../users/user.repository';
import { AuthRequestContext } from './auth-context';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { RefreshTokenRepository } from './refresh-token.repository';
import { Session, SessionService } from './session.service';
import { verifyTotp } from './totp';
import { TotpEnrolmentService } from './totp-enrolment.service';
import { totpRequired } from './totp-policy';

export interface LoginInput {
  /** Lower-cased by the DTO; lower-cased again here for callers that are not HTTP. */
  email: string;
  password: string;
  totpCode?: string;
}

/** Reason codes of `auth.login_failed` events. */
export type LoginFailureReason = 'UNKNOWN_ACCOUNT' | 'INVALID_PASSWORD' | 'ACCOUNT_INACTIVE' | 'TOTP_INVALID' | 'TOTP_REPLAYED';

const INVALID_CREDENTIALS_MESSAGE = 'the email or password is incorrect';

/**
 * Login, refresh-token rotation and logout. Passwords are checked outside any transaction (argon2
 * takes tens of milliseconds); what a login writes — the TOTP step, the refresh token, the audit
 * event — is one short transaction.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly totpEnrolment: TotpEnrolmentService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async login(input: LoginInput, ctx: AuthRequestContext): Promise<Session> {
    const email = input.email.trim().toLowerCase();
    const attempt = await this.throttle.begin(email, ctx.ip);

    const user = await this.users.findCredentialsByEmail(email);
    // Unknown emails and users without a password pay for a verification too: same time, same answer.
    const passwordOk = user?.passwordHash
      ? await this.hasher.verify(user.passwordHash, input.password)
      : await this.hasher.verifyDummy(input.password);
    if (!user) return this.fail(ctx, 'UNKNOWN_ACCOUNT');
    if (!passwordOk) return this.fail(ctx, 'INVALID_PASSWORD', user);
    if (user.status !== 'active') return this.fail(ctx, 'ACCOUNT_INACTIVE', user);

    let step: number | undefined;
    if (totpRequired(user)) {
      if (!user.totpEnabledAt || !user.totpSecret) {
        await this.throttle.interrupted(attempt);
        throw new IdentityError('TOTP_ENROLMENT_REQUIRED', 'this account needs a second factor: enrol an authenticator app first', {
          meta: { enrolmentToken: this.totpEnrolment.enrolmentToken(user.id) },
        });
      }
      if (input.totpCode === undefined) {
        await this.throttle.interrupted(attempt);
        throw new IdentityError('TOTP_REQUIRED', 'send the 6-digit code from your authenticator app as totpCode', { field: 'totpCode' });
      }
      const matched = safeVerifyTotp(user.totpSecret, input.totpCode, this.clock.now().getTime());
      if (matched === null) return this.fail(ctx, 'TOTP_INVALID', user);
      if (user.totpLastStep !== null && matched <= Number(user.totpLastStep)) return this.fail(ctx, 'TOTP_REPLAYED', user);
      step = matched;
    }

    const passwordHash = user.passwordHash!;
    const upgradedHash = this.hasher.needsRehash(passwordHash) ? await this.hasher.hash(input.password) : undefined;
    const session = await this.transactions.run(async (tx) => {
      // Conditional: of two logins racing with one code, only one records the step.
      if (step !== undefined && !(await this.users.recordTotpStep(tx, user.id, step))) return undefined;
      if (upgradedHash) await this.users.replacePasswordHash(tx, user.id, passwordHash, upgradedHash);
      const s = await this.sessions.start(tx, user);
      await this.audit.append(tx, {
        action: 'auth.login_succeeded',
        actor: { type: 'user', id: user.id, organisationId: user.organisationId },
        subject: { type: 'user', id: user.id },
        facts: { totp: step !== undefined, sessionFamilyId: s.familyId },
        requestId: ctx.requestId,
      });
      return s;
    });
    if (!session) return this.fail(ctx, 'TOTP_REPLAYED', user);
    await this.throttle.succeeded(attempt);
    return session;
  }

  /**
   * Rotates a refresh token: the presented one is marked used and a new one of the same family is
   * issued. A token that was already used means it was copied: the whole family is revoked (the
   * thief's and the user's newest tokens alike) and the answer is REFRESH_TOKEN_REUSED.
   */
  async refresh(rawToken: string | undefined, ctx: AuthRequestContext): Promise<Session> {
    if (!rawToken) throw new IdentityError('REFRESH_TOKEN_INVALID', 'no refresh token: send the sillage_refresh cookie or refreshToken');
    const hash = sha256(rawToken);
    const now = this.clock.now();
    const outcome = await this.transactions.run(async (tx) => {
      const rotated = await this.refreshTokens.markUsedIfLive(tx, hash, now);
      if (!rotated) {
        const state = await this.refreshTokens.findByHash(tx, hash);
        if (!state?.usedAt || state.revokedAt) return { kind: 'invalid' as const };
        await this.refreshTokens.revokeFamily(tx, state.familyId, now);
        // Whoever presented the token may be a thief: the system is the actor, the user the subject.
        await this.audit.append(tx, {
          action: 'auth.refresh_reuse_detected',
          actor: { type: 'system' },
          subject: { type: 'user', id: state.userId },
          reason: 'REFRESH_TOKEN_REUSED',
          facts: { sessionFamilyId: state.familyId },
          requestId: ctx.requestId,
        });
        return { kind: 'reused' as const };
      }
      const user = await this.users.findCredentialsById(rotated.userId, tx);
      const refusal =
        !user || user.status !== 'active'
          ? 'ACCOUNT_INACTIVE'
          : totpRequired(user) && !user.totpEnabledAt
            ? 'TOTP_ENROLMENT_REQUIRED'
            : undefined;
      if (!user || refusal) {
        await this.refreshTokens.revokeFamily(tx, rotated.familyId, now);
        await this.audit.append(tx, {
          action: 'auth.session_revoked',
          actor: { type: 'system' },
          subject: { type: 'user', id: rotated.userId },
          reason: refusal,
          facts: { sessionFamilyId: rotated.familyId },
          requestId: ctx.requestId,
        });
        return { kind: 'invalid' as const };
      }
      return { kind: 'ok' as const, session: await this.sessions.continue(tx, user, rotated.familyId) };
    });
    switch (outcome.kind) {
      case 'ok':
        return outcome.session;
      case 'reused':
        throw new IdentityError('REFRESH_TOKEN_REUSED', 'this refresh token was already used: every session of this login is now revoked');
      case 'invalid':
        throw new IdentityError('REFRESH_TOKEN_INVALID', 'the refresh token is unknown, expired or revoked: log in again');
    }
  }

  /** Revokes the presented token's family. Idempotent: an unknown or absent token is not an error. */
  async logout(rawToken: string | undefined, ctx: AuthRequestContext): Promise<void> {
    if (!rawToken) return;
    const hash = sha256(rawToken);
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      const state = await this.refreshTokens.findByHash(tx, hash);
      if (!state) return;
      const revoked = await this.refreshTokens.revokeFamily(tx, state.familyId, now);
      if (revoked === 0) return;
      const owner = await this.users.findCredentialsById(state.userId, tx);
      await this.audit.append(tx, {
        action: 'auth.logout',
        actor: { type: 'user', id: state.userId, organisationId: owner?.organisationId },
        subject: { type: 'user', id: state.userId },
        facts: { sessionFamilyId: state.familyId },
        requestId: ctx.requestId,
      });
    });
  }

  /** Records the failure (pseudonymous ids only), keeps the throttle slot, and answers. */
  private async fail(ctx: AuthRequestContext, reason: LoginFailureReason, user?: UserCredentials): Promise<never> {
    await this.transactions.run((tx) =>
      this.audit.append(tx, {
        action: 'auth.login_failed',
        actor: user ? { type: 'user', id: user.id, organisationId: user.organisationId } : { type: 'public' },
        subject: user ? { type: 'user', id: user.id } : { type: 'user' },
        reason,
        requestId: ctx.requestId,
      }),
    );
    if (reason === 'TOTP_INVALID' || reason === 'TOTP_REPLAYED') {
      throw new IdentityError('TOTP_INVALID', 'the authenticator code is wrong or was already used', { field: 'totpCode' });
    }
    throw new IdentityError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
  }
}

/** A corrupt stored secret must refuse the login, not answer 500. */
export function safeVerifyTotp(secret: string, code: string, atMs: number): number | null {
  try {
    return verifyTotp(secret, code, atMs);
  } catch {
    return null;
  }
}
