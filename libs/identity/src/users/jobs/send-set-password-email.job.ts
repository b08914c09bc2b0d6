import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { MailAddressInvalid, MailTransport, SmtpError } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { JobContext, JobHandler, JobHandlerRegistry, JobPayloads, PermanentJobError } from '@sillage/queue';
import { setPasswordLink } from '../../auth/set-password-link';
import { SetPasswordTokenService } from '../../auth/set-password-token.service';
import { setPasswordEmail } from './set-password-email';
import { SetPasswordEmailRepository } from './set-password-email.repository';

type Name = 'identity.send-set-password-email';

/**
 * Sends a newly created user their set-password link. The payload holds the user id only: the job
 * mints its own token (channel `email`) and commits it before sending, so the link sent always
 * works; a retry after a failed send mints a new one and the unsent one simply expires. Only
 * invited users are written to: an account already activated (with the link the admin got) or
 * disabled meanwhile gets nothing. The link is never logged.
 */
@Injectable()
export class SendSetPasswordEmailJob implements JobHandler<Name>, OnModuleInit {
  readonly name = 'identity.send-set-password-email' as const;
  private readonly logger = new Logger('SendSetPasswordEmailJob');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly transactions: TransactionRunner,
    private readonly recipients: SetPasswordEmailRepository,
    private readonly tokens: SetPasswordTokenService,
    private readonly audit: AuditLog,
    private readonly mail: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ userId }: JobPayloads[Name], ctx: JobContext): Promise<void> {
    const prepared = await this.transactions.run(async (tx) => {
      const user = await this.recipients.findRecipient(tx, userId);
      if (!user) throw new PermanentJobError(`user ${userId} does not exist`);
      if (user.status !== 'invited') return { skipped: user.status } as const;
      const token = await this.tokens.mint(tx, userId, 'email');
      await this.audit.append(tx, {
        action: 'auth.set_password_link_issued',
        actor: { type: 'system' },
        subject: { type: 'user', id: userId },
        reason: 'SET_PASSWORD_EMAIL',
        facts: { channel: 'email', attempt: ctx.attempt },
      });
      return { user, token } as const;
    });
    if ('skipped' in prepared) {
      this.logger.log(`set-password email for user ${userId} not sent: the account is ${prepared.skipped}`);
      return;
    }
    const message = setPasswordEmail({
      to: prepared.user.email,
      displayName: prepared.user.displayName,
      link: setPasswordLink(this.config.http.publicBaseUrl, prepared.token),
      validForSeconds: this.config.auth.setPasswordTokenTtlSeconds,
    });
    try {
      await this.mail.send(message);
    } catch (e) {
      // A refused address or a 5xx reply will not change on retry.
      if (e instanceof MailAddressInvalid || (e instanceof SmtpError && e.permanent)) throw new PermanentJobError(e.message);
      throw e;
    }
    this.logger.log(`set-password email sent for user ${userId} (job ${ctx.jobId}, attempt ${ctx.attempt})`);
  }
}
