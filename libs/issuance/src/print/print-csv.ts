import { once } from 'node:events';
import { passPageLink } from './print-format';
import { PrintBooklet, PrintOrderHeader } from './print-types';

export const PRINT_CSV_HEADER = ['booklet_serial', 'voucher_serial', 'human_code', 'qr_payload', 'pass_page_link'] as const;

/** RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled inside. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 record, CRLF-terminated. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/**
 * The order's data file for an external printer (who lays out the cheques in their own tools): one
 * row per voucher, UTF-8 without BOM, CRLF line ends (RFC 4180). The human code is canonical (no
 * dashes): the printer's software groups it for reading. Streams booklet by booklet, waiting on
 * 'drain'; ends `out` and resolves once it has finished, like `renderPrintPdf`.
 */
export async function writePrintCsv(
  header: PrintOrderHeader,
  booklets: AsyncIterable<PrintBooklet>,
  out: NodeJS.WritableStream,
): Promise<{ rows: number }> {
  passPageLink(header.passBaseUrl, 'x'); // fail before writing anything if the base URL is unusable
  let rows = 0;
  await write(out, csvRecord(PRINT_CSV_HEADER));
  for await (const booklet of booklets) {
    const link = passPageLink(header.passBaseUrl, booklet.passToken);
    let chunk = '';
    for (const v of booklet.vouchers) {
      chunk += csvRecord([booklet.serial, v.serial, v.humanCode, v.qrPayload, link]);
      rows++;
    }
    await write(out, chunk);
  }
  const finished = once(out, 'finish');
  out.end();
  await finished;
  return { rows };
}

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (text !== '' && !out.write(Buffer.from(text, 'utf8'))) await once(out, 'drain');
}
