import { MailMessage } from './mail-message';

/**
 * The port every email goes through. `file` (default) writes .eml files for development and tests;
 * `smtp` sends through SMTP_URL. Implementations never log message bodies: they carry links with
 * secrets and personal data.
 */
export abstract class MailTransport {
  abstract readonly kind: 'file' | 'smtp';
  /** Resolves once the message is accepted (written, or queued by the SMTP server); throws otherwise. */
  abstract send(message: MailMessage): Promise<void>;
}
