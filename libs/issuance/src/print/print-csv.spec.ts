import { Writable } from 'node:stream';
import { csvField, writePrintCsv } from './print-csv';
import { fromArray, HEADER, memorySink, signedBooklets } from './print-test-fixtures';
import { PrintBooklet } from './print-types';

/** Minimal RFC 4180 reader, to check the file reads back to the same fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('the file does not end with CRLF');
  return rows;
}

describe('writePrintCsv', () => {
  it('writes the header then one row per voucher, with the pass page link of its booklet', async () => {
    const { booklets } = signedBooklets([3, 2]);
    const out = memorySink();
    await expect(writePrintCsv(HEADER, fromArray(booklets), out)).resolves.toEqual({ rows: 5 });
    expect(out.writableFinished).toBe(true);
    const text = out.bytes().toString('utf8');
    expect(text.startsWith('booklet_serial,voucher_serial,human_code,qr_payload,pass_page_link\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(1 + 5);
    const expected = booklets.flatMap((b) =>
      b.vouchers.map((v) => [b.serial, v.serial, v.humanCode, v.qrPayload, `https://sillage.example/p#${b.passToken}`]),
    );
    expect(rows.slice(1)).toEqual(expected);
  });

  it('quotes fields holding commas, quotes or line breaks (RFC 4180), in UTF-8', async () => {
    const booklet: PrintBooklet = {
      serial: 'Carnet "Cœur", Lozère',
      passToken: 'abc',
      vouchers: [{ serial: 'N°1,\n"2"', humanCode: '7KQ4M0XE3VHA', qrPayload: 'a.b.c' }],
    };
    const out = memorySink();
    await writePrintCsv(HEADER, fromArray([booklet]), out);
    const text = out.bytes().toString('utf8');
    expect(text.split('\r\n')[1]).toBe('"Carnet ""Cœur"", Lozère","N°1,\n""2""",7KQ4M0XE3VHA,a.b.c,https://sillage.example/p#abc');
    expect(out.bytes().includes(Buffer.from('Cœur', 'utf8'))).toBe(true);
    expect(parseCsv(text)[1]).toEqual(['Carnet "Cœur", Lozère', 'N°1,\n"2"', '7KQ4M0XE3VHA', 'a.b.c', 'https://sillage.example/p#abc']);
    expect(csvField('plain')).toBe('plain');
  });

  it('waits for a slow output and still writes every row', async () => {
    const { booklets } = signedBooklets([10, 10, 10]);
    let text = '';
    let maxQueued = 0;
    const slow: Writable = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        maxQueued = Math.max(maxQueued, slow.writableLength);
        text += chunk.toString('utf8');
        setTimeout(callback, 1);
      },
    });
    await writePrintCsv(HEADER, fromArray(booklets), slow);
    expect(parseCsv(text)).toHaveLength(31);
    // One booklet's rows (~3.5 KB) at most wait in the output, not the whole file (~10 KB).
    const bookletBytes = Buffer.byteLength(text) / 3;
    expect(maxQueued).toBeLessThan(1024 + bookletBytes + 100);
  });
});
