import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Clock } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import jwt from 'jsonwebtoken';
import { isApiKeySecret } from '../api-keys/api-key-secret';
import { IdentityError } from '../identity.errors';
import { UserCredentials, UserRepository } from '../users/user.repository';
import { AccessTokenService, AUDIENCES } from './access-token.service';
import { AuthRequestContext } from './auth-context';
import { Session, SessionService } from './session.service';
import { generateTotpSecret, totpUri, verifyTotp } from './totp';

/** Enrolment tokens let a user who must enrol (and has just proved their password) do only that. */
export const ENROLMENT_TOKEN_TTL_SECONDS = 600;

/**
 * Who calls the TOTP routes: a user holding an enrolment token (login answered
 * TOTP_ENROLMENT_REQUIRED), or a logged-in user enrolling voluntarily with an access token.
 */
export interface TotpCaller {
  userId: string;
  via: 'enrolment' | 'access';
}

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
}

/**
 * TOTP enrolment in two steps: `start` stores a pending secret and returns it (shown as a QR code),
 * `confirm` checks a first code against it and enables TOTP. The enrolment-token flow then starts a
 * session, as a login would.
 */
@Injectable()
export class TotpEnrolmentService {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  enrolmentToken(userId: string): string {
    return this.accessTokens.sign({ sub: userId }, AUDIENCES.totpEnrolment, ENROLMENT_TOKEN_TTL_SECONDS);
  }

  /** Accepts an enrolment token or a user's access token; API keys and anything else are refused. */
  resolveCaller(bearer: string | undefined): TotpCaller {
    if (!bearer)
      throw new IdentityError('UNAUTHENTICATED', 'send the enrolment token or an access token as "Authorization: Bearer <token>"');
    if (isApiKeySecret(bearer)) throw new IdentityError('UNAUTHENTICATED', 'API keys cannot enrol a second factor');
    // Unverified decode only to pick the audience to verify against; verification follows.
    const decoded = jwt.decode(bearer, { json: true });
    if (decoded?.aud === AUDIENCES.totpEnrolment) {
      try {
        const claims = this.accessTokens.verifyFor<{ sub: string }>(bearer, AUDIENCES.totpEnrolment);
        return { userId: claims.sub, via: 'enrolment' };
      } catch (e) {
        if (e instanceof IdentityError && e.code === 'TOKEN_EXPIRED') {
          throw new IdentityError('UNAUTHENTICATED', 'the enrolment token has expired: log in again');
        }
        throw e;
      }
    }
    return { userId: this.accessTokens.verify(bearer).id, via: 'access' };
  }

  async start(caller: TotpCaller, ctx: AuthRequestContext): Promise<TotpEnrolment> {
    const user = await this.activeUser(caller);
    if (user.totpEnabledAt) throw alreadyEnabled();
    const secret = generateTotpSecret();
    await this.transactions.run(async (tx) => {
      if (!(await this.users.setPendingTotpSecret(tx, user.id, secret, this.clock.now()))) throw alreadyEnabled();
      await this.audit.append(tx, {
        action: 'auth.totp_enrolment_started',
        actor: { type: 'user', id: user.id, organisationId: user.organisationId },
        subject: { type: 'user', id: user.id },
        facts: { via: caller.via },
        requestId: ctx.requestId,
      });
    });
    return { secret, otpauthUri: totpUri({ secret, account: user.email }) };
  }

  /** Enables TOTP; returns a new session for the enrolment-token flow, nothing for a voluntary one. */
  async confirm(caller: TotpCaller, code: string, ctx: AuthRequestContext): Promise<Session | undefined> {
    const user = await this.activeUser(caller);
    if (user.totpEnabledAt) throw alreadyEnabled();
    const secret = user.totpSecret;
    if (!secret) throw new IdentityError('TOTP_ENROLMENT_NOT_STARTED', 'start the enrolment first (POST /v1/auth/totp/enrolment)');
    const now = this.clock.now();
    const step = verifyTotp(secret, code, now.getTime());
    if (step === null) throw new IdentityError('TOTP_INVALID', 'the authenticator code is wrong', { field: 'code' });
    return this.transactions.run(async (tx) => {
      if (!(await this.users.confirmTotp(tx, user.id, secret, step, now))) {
        throw new IdentityError('TOTP_ALREADY_ENABLED', 'TOTP was enabled or re-enrolled meanwhile', { field: 'code' });
      }
      const actor = { type: 'user' as const, id: user.id, organisationId: user.organisationId };
      await this.audit.append(tx, {
        action: 'auth.totp_enabled',
        actor,
        subject: { type: 'user', id: user.id },
        facts: { via: caller.via },
        requestId: ctx.requestId,
      });
      if (caller.via === 'access') return undefined;
      const session = await this.sessions.start(tx, user);
      await this.audit.append(tx, {
        action: 'auth.login_succeeded',
        actor,
        subject: { type: 'user', id: user.id },
        facts: { totp: true, sessionFamilyId: session.familyId },
        requestId: ctx.requestId,
      });
      return session;
    });
  }

  private async activeUser(caller: TotpCaller): Promise<UserCredentials> {
    const user = await this.users.findCredentialsById(caller.userId);
    if (!user || user.status !== 'active') throw new IdentityError('UNAUTHENTICATED', 'this account cannot sign in');
    return user;
  }
}

function alreadyEnabled(): IdentityError {
  return new IdentityError('TOTP_ALREADY_ENABLED', 'TOTP is already enabled for this account');
}
