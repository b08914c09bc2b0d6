import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { FileMailTransport } from './file-mail-transport';
import { addressOf } from './mail-message';
import { MailTransport } from './mail-transport';
import { parseSmtpUrl } from './smtp-client';
import { SmtpMailTransport } from './smtp-mail-transport';

export function createMailTransport(mail: AppConfig['mail']): MailTransport {
  if (mail.transport === 'smtp') {
    if (!mail.smtpUrl) throw new Error('MAIL_TRANSPORT=smtp needs SMTP_URL');
    const domain = addressOf(mail.from).split('@')[1];
    return new SmtpMailTransport(parseSmtpUrl(mail.smtpUrl, domain), mail.from);
  }
  return new FileMailTransport(mail.fileDir, mail.from);
}

/** Provides the configured `MailTransport` to every module (job handlers send through it). */
@Global()
@Module({
  providers: [{ provide: MailTransport, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createMailTransport(config.mail) }],
  exports: [MailTransport],
})
export class MailModule {}
