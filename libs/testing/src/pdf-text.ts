import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PDF's text as poppler's `pdftotext` reads it (Debian `poppler-utils`; pages separated by form
 * feeds), no-break spaces made plain. `first`/`last` limit the pages; `layout` keeps each printed line
 * with its columns.
 */
export function pdfText(pdf: Buffer | Uint8Array, o: { first?: number; last?: number; layout?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sillage-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const args = [
      ...(o.first ? ['-f', String(o.first)] : []),
      ...(o.last ? ['-l', String(o.last)] : []),
      ...(o.layout ? ['-layout'] : []),
      '-enc',
      'UTF-8',
      file,
      '-',
    ];
    return execFileSync('pdftotext', args, { encoding: 'utf8' }).replace(/\u00a0/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
