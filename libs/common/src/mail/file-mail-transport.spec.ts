import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMailTransport } from './file-mail-transport';
import { decodeQuotedPrintable } from './mail-message';

describe('FileMailTransport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sillage-mail-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one .eml per message, readable by the owner only, creating the directory', async () => {
    const mailDir = join(dir, 'nested', 'mail');
    const transport = new FileMailTransport(mailDir, 'Sillage <no-reply@example.org>');
    await transport.send({ to: 'a@example.org', subject: 'Un', text: 'Premier message — é' });
    await transport.send({ to: 'b@example.org', subject: 'Deux', text: 'Second' });
    const files = (await readdir(mailDir)).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f-]{36}\.eml$/.test(f))).toBe(true);
    expect((await stat(join(mailDir, files[0]))).mode & 0o777).toBe(0o600);
    const first = await readFile(join(mailDir, files[0]), 'utf8');
    expect(first).toContain('\r\nTo: a@example.org\r\n');
    expect(decodeQuotedPrintable(first.split('\r\n\r\n')[1])).toBe('Premier message — é\n');
  });

  it('fails when the directory cannot be created', async () => {
    await writeFile(join(dir, 'mail'), 'a file, not a directory');
    const transport = new FileMailTransport(join(dir, 'mail'), 'x@example.org');
    await expect(transport.send({ to: 'a@example.org', subject: 's', text: 't' })).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
