import { addressOf, checkAddress, MailMessage, renderMessage } from './mail-message';
import { MailTransport } from './mail-transport';
import { sendSmtp, SmtpSettings } from './smtp-client';

/** Sends each message on its own SMTP connection (jobs send a handful; no pool needed). */
export class SmtpMailTransport extends MailTransport {
  readonly kind = 'smtp';

  constructor(
    private readonly settings: SmtpSettings,
    private readonly from: string,
  ) {
    super();
  }

  async send(message: MailMessage): Promise<void> {
    const data = renderMessage(message, { from: this.from });
    await sendSmtp(this.settings, { from: addressOf(this.from), to: checkAddress(message.to) }, data);
  }
}
