import { randomUUID } from 'node:crypto';

/** A plain-text email. The body is UTF-8 text with "\n" line ends; transports render it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Content-Language, e.g. `fr, en`. */
  language?: string;
}

export class MailAddressInvalid extends Error {}

const ADDRESS = /^[^\s<>@,;:"\\()[\]]+@[^\s<>@,;:"\\()[\]]+$/;

/** A bare address (`a@b.c`), refusing anything that could inject headers or extra recipients. */
export function checkAddress(address: string): string {
  if (!ADDRESS.test(address)) throw new MailAddressInvalid('not a single plain email address');
  return address;
}

/** The address inside `Name <a@b.c>`, or the value itself when it is a bare address. */
export function addressOf(mailbox: string): string {
  const m = /<([^<>]+)>\s*$/.exec(mailbox);
  return checkAddress((m ? m[1] : mailbox).trim());
}

/**
 * RFC 5322 message with a MIME text/plain UTF-8 body in quoted-printable (7-bit safe for any SMTP
 * server, lines ≤ 76 characters), CRLF line ends, RFC 2047 encoded subject when not ASCII.
 */
export function renderMessage(message: MailMessage, opts: { from: string; date?: Date; messageId?: string }): string {
  if (/[\r\n]/.test(opts.from)) throw new MailAddressInvalid('From must be one line');
  const to = checkAddress(message.to);
  const domain = addressOf(opts.from).split('@')[1];
  const headers = [
    `From: ${opts.from}`,
    `To: ${to}`,
    `Subject: ${encodeHeaderText(message.subject)}`,
    `Date: ${rfc5322Date(opts.date ?? new Date())}`,
    `Message-ID: ${opts.messageId ?? `<${randomUUID()}@${domain}>`}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    ...(message.language ? [`Content-Language: ${message.language}`] : []),
  ];
  return `${headers.join('\r\n')}\r\n\r\n${encodeQuotedPrintable(message.text)}\r\n`;
}

export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** RFC 2047 "B" encoded words, folded so no line of the header exceeds 78 characters. */
export function encodeHeaderText(text: string): string {
  if (/[\r\n]/.test(text)) throw new MailAddressInvalid('header text must be one line');
  if (/^[\x20-\x7e]*$/.test(text) && text.length <= 70) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** RFC 2045 §6.7 quoted-printable, with soft line breaks at 76 characters. */
export function encodeQuotedPrintable(text: string): string {
  return text
    .replace(/\r\n|\r/g, '\n')
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      let out = '';
      let current = '';
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        const token = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
        if (current.length + token.length > 75) {
          out += `${current}=\r\n`;
          current = '';
        }
        current += token;
      });
      return out + current;
    })
    .join('\r\n');
}

/** The inverse, for tests and tools reading .eml files. */
export function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}
