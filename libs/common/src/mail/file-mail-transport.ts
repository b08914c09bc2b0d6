import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MailMessage, renderMessage } from './mail-message';
import { MailTransport } from './mail-transport';

/**
 * Writes each message as an RFC 5322 `.eml` file (open it with any mail client) under `dir`,
 * atomically (temporary name, then rename) and readable by the owner only: messages may carry
 * one-time links. Names sort by time.
 */
export class FileMailTransport extends MailTransport {
  readonly kind = 'file';

  constructor(
    readonly dir: string,
    private readonly from: string,
  ) {
    super();
  }

  async send(message: MailMessage): Promise<void> {
    const now = new Date();
    const raw = renderMessage(message, { from: this.from, date: now });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const name = `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID()}`;
    const tmp = join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, raw, { mode: 0o600 });
    await rename(tmp, join(this.dir, `${name}.eml`));
  }
}
