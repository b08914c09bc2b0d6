import {
  addressOf,
  decodeQuotedPrintable,
  encodeHeaderText,
  encodeQuotedPrintable,
  MailAddressInvalid,
  renderMessage,
  rfc5322Date,
} from './mail-message';

describe('mail message rendering', () => {
  it('round-trips UTF-8 text through quoted-printable, keeping every line within 76 characters', () => {
    const text = [
      'Bonjour Zoé, voici un lien : https://sillage.example.org/set-password#token=AbC_dEf-123',
      'a=b and trailing space ',
      `${'é'.repeat(60)}`,
      '.a line starting with a dot',
      '',
    ].join('\n');
    const encoded = encodeQuotedPrintable(text);
    for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(encoded).toMatch(/^[\x20-\x7e\r\n]*$/);
    expect(encoded).toContain('a=3Db and trailing space=20');
    expect(decodeQuotedPrintable(encoded)).toBe(text);
  });

  it('encodes a non-ASCII subject as RFC 2047 words and leaves plain ASCII alone', () => {
    expect(encodeHeaderText('Hello')).toBe('Hello');
    const encoded = encodeHeaderText('Sillage : créez votre mot de passe, une phrase assez longue pour être pliée');
    expect(encoded).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=(\r\n =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)+$/);
    for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const decoded = encoded
      .split('\r\n ')
      .map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe('Sillage : créez votre mot de passe, une phrase assez longue pour être pliée');
  });

  it('renders RFC 5322 headers with CRLF line ends and a Message-ID in the sender domain', () => {
    const raw = renderMessage(
      { to: 'zoe@example.org', subject: 'Bienvenue', text: 'Bonjour\nHello', language: 'fr, en' },
      { from: 'Sillage <no-reply@sillage.example.org>', date: new Date('2026-03-01T08:09:10Z') },
    );
    const [head, body] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')).toEqual([
      'From: Sillage <no-reply@sillage.example.org>',
      'To: zoe@example.org',
      'Subject: Bienvenue',
      'Date: Sun, 01 Mar 2026 08:09:10 +0000',
      expect.stringMatching(/^Message-ID: <[0-9a-f-]{36}@sillage\.example\.org>$/),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      'Content-Language: fr, en',
    ]);
    expect(body).toBe('Bonjour\r\nHello\r\n');
    expect(raw).not.toMatch(/[^\r]\n/);
  });

  it('refuses recipients and subjects that could inject headers or extra recipients', () => {
    for (const to of ['a@b.c\r\nBcc: x@y.z', 'a@b.c, x@y.z', 'Name <a@b.c>', 'no-at-sign', '']) {
      expect(() => renderMessage({ to, subject: 's', text: 't' }, { from: 'x@y.z' })).toThrow(MailAddressInvalid);
    }
    expect(() => renderMessage({ to: 'a@b.c', subject: 'a\r\nBcc: x@y.z', text: 't' }, { from: 'x@y.z' })).toThrow(MailAddressInvalid);
  });

  it('finds the address in a mailbox', () => {
    expect(addressOf('Sillage <no-reply@example.org>')).toBe('no-reply@example.org');
    expect(addressOf('no-reply@example.org')).toBe('no-reply@example.org');
    expect(rfc5322Date(new Date('2026-12-31T23:59:59Z'))).toBe('Thu, 31 Dec 2026 23:59:59 +0000');
  });
});
