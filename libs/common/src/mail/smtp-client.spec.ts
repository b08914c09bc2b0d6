import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket, createSecureContext } from 'node:tls';
import { dotStuff, parseSmtpUrl, sendSmtp, SmtpError, SmtpSettings } from './smtp-client';
import { SmtpMailTransport } from './smtp-mail-transport';

interface Session {
  commands: string[];
  data: string;
  tls: boolean;
}

/**
 * A scripted SMTP server, enough to exercise the client: greeting, EHLO (optionally offering
 * STARTTLS and AUTH), MAIL, RCPT (optionally refusing), DATA until CRLF.CRLF, QUIT.
 */
function fakeSmtp(opts: {
  starttls?: { key: string; cert: string };
  auth?: string;
  refuseRcpt?: boolean;
}): Promise<{ server: Server; port: number; sessions: Session[] }> {
  const sessions: Session[] = [];
  const server = createServer((raw) => {
    const session: Session = { commands: [], data: '', tls: false };
    sessions.push(session);
    let socket: Socket = raw;
    let buffer = '';
    let inData = false;
    const send = (line: string) => socket.write(`${line}\r\n`);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          session.data = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 5);
          inData = false;
          send('250 2.0.0 queued');
          continue;
        }
        const i = buffer.indexOf('\r\n');
        if (i < 0) return;
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        session.commands.push(line);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') {
          const caps = ['250-fake.example.org'];
          if (opts.starttls && !session.tls) caps.push('250-STARTTLS');
          if (opts.auth) caps.push(`250-AUTH ${opts.auth}`);
          caps.push('250 8BITMIME');
          socket.write(caps.join('\r\n') + '\r\n');
        } else if (verb === 'STARTTLS') {
          send('220 2.0.0 ready');
          socket.off('data', onData);
          const secure = new TLSSocket(socket, { isServer: true, secureContext: createSecureContext(opts.starttls) });
          session.tls = true;
          socket = secure;
          secure.on('data', onData);
        } else if (verb === 'AUTH') {
          send('235 2.7.0 ok');
        } else if (verb === 'MAIL') {
          send('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          if (opts.refuseRcpt) send('550 5.1.1 <zoe@example.org>: mailbox unknown');
          else send('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          send('354 go ahead');
        } else if (verb === 'QUIT') {
          send('221 bye');
          socket.end();
        } else {
          send('502 unknown');
        }
      }
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    send('220 fake.example.org ESMTP');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, sessions })),
  );
}

function settings(port: number, extra: Partial<SmtpSettings> = {}): SmtpSettings {
  return { host: '127.0.0.1', port, implicitTls: false, tls: 'none', clientName: 'sillage.test', timeoutMs: 5000, ...extra };
}

describe('SMTP client', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('parses SMTP_URL: implicit TLS, STARTTLS required with credentials, plain only when asked', () => {
    expect(parseSmtpUrl('smtps://u%40x:p%3Ass@mail.example.org')).toMatchObject({
      host: 'mail.example.org',
      port: 465,
      implicitTls: true,
      tls: 'required',
      user: 'u@x',
      pass: 'p:ss',
    });
    expect(parseSmtpUrl('smtp://u:p@mail.example.org')).toMatchObject({ port: 587, implicitTls: false, tls: 'required' });
    expect(parseSmtpUrl('smtp://relay:25')).toMatchObject({ port: 25, tls: 'opportunistic', user: undefined });
    expect(parseSmtpUrl('smtp://relay:25?tls=none')).toMatchObject({ tls: 'none' });
    expect(() => parseSmtpUrl('smtp://relay?tls=maybe')).toThrow(/tls=/);
  });

  it('dot-stuffs the message and ends it with CRLF.CRLF', () => {
    expect(dotStuff('a\n.b\n..c')).toBe('a\r\n..b\r\n...c\r\n.\r\n');
  });

  it('hands a message to a plain relay: envelope, dot-stuffed data, QUIT', async () => {
    const fake = await fakeSmtp({});
    servers.push(fake.server);
    const transport = new SmtpMailTransport(settings(fake.port), 'Sillage <no-reply@example.org>');
    await transport.send({ to: 'zoe@example.org', subject: 'Test', text: 'Bonjour\n.point\nFin' });
    const [session] = fake.sessions;
    expect(session.commands).toEqual([
      'EHLO sillage.test',
      'MAIL FROM:<no-reply@example.org>',
      'RCPT TO:<zoe@example.org>',
      'DATA',
      'QUIT',
    ]);
    expect(session.data).toContain('\r\nTo: zoe@example.org\r\n');
    expect(session.data).toContain('\r\n\r\nBonjour\r\n..point\r\nFin\r\n');
  });

  it('refuses to send credentials when the server offers no STARTTLS', async () => {
    const fake = await fakeSmtp({ auth: 'PLAIN LOGIN' });
    servers.push(fake.server);
    await expect(
      sendSmtp(settings(fake.port, { tls: 'required', user: 'u', pass: 'secret' }), { from: 'a@example.org', to: 'b@example.org' }, 'x'),
    ).rejects.toThrow(/does not offer STARTTLS/);
    expect(fake.sessions[0].commands.some((c) => c.startsWith('AUTH'))).toBe(false);
  });

  it('reports a refused recipient as a permanent error without echoing the address', async () => {
    const fake = await fakeSmtp({ refuseRcpt: true });
    servers.push(fake.server);
    const error = await sendSmtp(settings(fake.port), { from: 'a@example.org', to: 'zoe@example.org' }, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpError);
    expect((error as SmtpError).permanent).toBe(true);
    expect((error as SmtpError).message).toBe('SMTP RCPT TO refused: 550 5.1.1 <address>: mailbox unknown');
  });

  it('fails cleanly when nothing listens', async () => {
    const fake = await fakeSmtp({});
    const port = fake.port;
    await new Promise((r) => fake.server.close(r));
    await expect(sendSmtp(settings(port), { from: 'a@example.org', to: 'b@example.org' }, 'x')).rejects.toThrow(/could not connect/);
  });

  it('upgrades with STARTTLS, then authenticates with AUTH PLAIN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sillage-smtp-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
      const fake = await fakeSmtp({ starttls: tls, auth: 'PLAIN LOGIN' });
      servers.push(fake.server);
      await sendSmtp(
        settings(fake.port, { tls: 'required', user: 'mailer', pass: 's3cret', rejectUnauthorized: false }),
        { from: 'a@example.org', to: 'b@example.org' },
        'Subject: x\r\n\r\nbody',
      );
      const [session] = fake.sessions;
      expect(session.tls).toBe(true);
      expect(session.commands.slice(0, 4)).toEqual([
        'EHLO sillage.test',
        'STARTTLS',
        'EHLO sillage.test',
        `AUTH PLAIN ${Buffer.from('\0mailer\0s3cret').toString('base64')}`,
      ]);
      expect(session.data).toBe('Subject: x\r\n\r\nbody\r\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
