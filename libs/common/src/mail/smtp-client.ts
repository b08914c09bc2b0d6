import { connect as netConnect, Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';

/**
 * A minimal SMTP submission client (RFC 5321 + ESMTP): EHLO, STARTTLS, AUTH PLAIN/LOGIN, one
 * message per connection. Enough to hand messages to a relay or a provider's submission port.
 *
 * SMTP_URL forms:
 * - `smtps://user:pass@host:465` — implicit TLS;
 * - `smtp://user:pass@host:587` — STARTTLS, required when credentials are given (never sent in
 *   clear), used when offered otherwise;
 * - `smtp://host:25?tls=none` — plain, for a local relay or a development catcher only.
 */
export interface SmtpSettings {
  host: string;
  port: number;
  implicitTls: boolean;
  tls: 'required' | 'opportunistic' | 'none';
  user?: string;
  pass?: string;
  /** Name sent in EHLO. */
  clientName: string;
  timeoutMs: number;
  /** Test hook: accept self-signed certificates. Never set from configuration. */
  rejectUnauthorized?: boolean;
}

export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'SmtpError';
  }

  /** 5xx replies are permanent: retrying the same message will not help. */
  get permanent(): boolean {
    return this.code !== undefined && this.code >= 500;
  }
}

export function parseSmtpUrl(raw: string, clientName = 'localhost'): SmtpSettings {
  const url = new URL(raw);
  const implicitTls = url.protocol === 'smtps:';
  if (!implicitTls && url.protocol !== 'smtp:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const pass = url.password ? decodeURIComponent(url.password) : undefined;
  const tlsParam = url.searchParams.get('tls');
  if (tlsParam !== null && !['required', 'opportunistic', 'none'].includes(tlsParam)) {
    throw new Error('SMTP_URL tls= must be required, opportunistic or none');
  }
  const tls = implicitTls ? 'required' : ((tlsParam as SmtpSettings['tls'] | null) ?? (user ? 'required' : 'opportunistic'));
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : implicitTls ? 465 : 587,
    implicitTls,
    tls,
    user,
    pass,
    clientName,
    timeoutMs: 30_000,
  };
}

interface Reply {
  code: number;
  lines: string[];
}

class SmtpSession {
  private socket: Socket;
  private buffer = '';
  private pending: Reply['lines'] = [];
  private replies: Reply[] = [];
  private waiter: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer) => this.receive(chunk.toString('latin1'));
  private readonly onError = (e: Error) => this.fail(new SmtpError(`SMTP connection error: ${e.message}`));
  private readonly onClose = () => this.fail(new SmtpError('SMTP server closed the connection'));
  private readonly onTimeout = () => {
    this.fail(new SmtpError('SMTP server did not answer in time'));
    this.socket.destroy();
  };

  constructor(
    socket: Socket,
    private readonly timeoutMs: number,
  ) {
    this.socket = socket;
    this.attach();
  }

  get secure(): boolean {
    return this.socket instanceof TLSSocket;
  }

  private attach(): void {
    this.socket.setTimeout(this.timeoutMs);
    this.socket.on('data', this.onData);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
    this.socket.on('timeout', this.onTimeout);
  }

  private detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
    this.socket.off('timeout', this.onTimeout);
  }

  private receive(text: string): void {
    this.buffer += text;
    let index: number;
    while ((index = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, index).replace(/\r$/, '');
      this.buffer = this.buffer.slice(index + 1);
      const m = /^(\d{3})([ -])(.*)$/.exec(line);
      if (!m) return this.fail(new SmtpError(`unexpected SMTP line: ${line.slice(0, 80)}`));
      this.pending.push(m[3]);
      if (m[2] === ' ') {
        this.deliver({ code: Number(m[1]), lines: this.pending });
        this.pending = [];
      }
    }
  }

  private deliver(reply: Reply): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(reply);
    } else {
      this.replies.push(reply);
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(this.failure);
    }
  }

  read(): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Sends a command and checks the reply code. `shown` replaces the command in errors (secrets). */
  async command(line: string, expect: number[], shown = line.split(' ')[0]): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.expect(expect, shown);
  }

  async expect(codes: number[], what: string): Promise<Reply> {
    const reply = await this.read();
    if (!codes.includes(reply.code)) {
      // Servers often echo the address back; errors end up in job records and logs, so it is masked.
      const text = reply.lines
        .join(' ')
        .replace(/<?[^\s<>"]+@[^\s<>"]+>?/g, '<address>')
        .slice(0, 200);
      throw new SmtpError(`SMTP ${what} refused: ${reply.code} ${text}`, reply.code);
    }
    return reply;
  }

  writeRaw(data: string): void {
    this.socket.write(data);
  }

  async upgrade(host: string, rejectUnauthorized: boolean): Promise<void> {
    this.detach();
    const plain = this.socket;
    this.socket = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: plain, servername: host, rejectUnauthorized }, () => resolve(s));
      s.once('error', reject);
    });
    this.buffer = '';
    this.attach();
  }

  close(): void {
    this.detach();
    this.socket.on('error', () => undefined);
    this.socket.end();
    this.socket.destroy();
  }
}

function open(settings: SmtpSettings): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const options = { host: settings.host, port: settings.port };
    const socket = settings.implicitTls
      ? tlsConnect({ ...options, servername: settings.host, rejectUnauthorized: settings.rejectUnauthorized ?? true }, () =>
          resolve(socket),
        )
      : netConnect(options, () => resolve(socket));
    socket.setTimeout(settings.timeoutMs, () => {
      socket.destroy();
      reject(new SmtpError(`could not connect to the SMTP server ${settings.host}:${settings.port} in time`));
    });
    socket.once('error', (e: Error) => reject(new SmtpError(`could not connect to the SMTP server: ${e.message}`)));
  });
}

/** Lines starting with "." get another (RFC 5321 §4.5.2); the data ends with CRLF.CRLF. */
export function dotStuff(message: string): string {
  const normalised = message.replace(/\r?\n/g, '\r\n');
  const stuffed = normalised.replace(/^\./gm, '..');
  return `${stuffed.endsWith('\r\n') ? stuffed : `${stuffed}\r\n`}.\r\n`;
}

export async function sendSmtp(settings: SmtpSettings, envelope: { from: string; to: string }, data: string): Promise<void> {
  const session = new SmtpSession(await open(settings), settings.timeoutMs);
  try {
    await session.expect([220], 'greeting');
    let ehlo = await session.command(`EHLO ${settings.clientName}`, [250]);
    const offers = (keyword: string) => ehlo.lines.some((l) => l.toUpperCase().split(' ')[0] === keyword);
    if (!session.secure && settings.tls !== 'none') {
      if (offers('STARTTLS')) {
        await session.command('STARTTLS', [220]);
        await session.upgrade(settings.host, settings.rejectUnauthorized ?? true);
        ehlo = await session.command(`EHLO ${settings.clientName}`, [250]);
      } else if (settings.tls === 'required') {
        throw new SmtpError(
          'the SMTP server does not offer STARTTLS; refusing to send credentials or mail in clear (add ?tls=none to allow)',
        );
      }
    }
    if (settings.user !== undefined) {
      const auth = ehlo.lines.find((l) => /^AUTH[ =]/i.test(l))?.toUpperCase() ?? '';
      if (/\bPLAIN\b/.test(auth) || !/\bLOGIN\b/.test(auth)) {
        const token = Buffer.from(`\0${settings.user}\0${settings.pass ?? ''}`, 'utf8').toString('base64');
        await session.command(`AUTH PLAIN ${token}`, [235], 'AUTH');
      } else {
        await session.command('AUTH LOGIN', [334]);
        await session.command(Buffer.from(settings.user, 'utf8').toString('base64'), [334], 'AUTH (user)');
        await session.command(Buffer.from(settings.pass ?? '', 'utf8').toString('base64'), [235], 'AUTH (password)');
      }
    }
    await session.command(`MAIL FROM:<${envelope.from}>`, [250], 'MAIL FROM');
    await session.command(`RCPT TO:<${envelope.to}>`, [250, 251], 'RCPT TO');
    await session.command('DATA', [354]);
    session.writeRaw(dotStuff(data));
    await session.expect([250], 'message');
    await session.command('QUIT', [221]).catch(() => undefined);
  } finally {
    session.close();
  }
}
