import { createHash } from 'node:crypto';
import { byteLength, decimalToCents, MAX_STATEMENT_BYTES } from './amount';
import { BankStatementError, BankStatementErrorCode } from './errors';
import type { BankEntry, EntryDirection, ParsedBankStatement } from './types';

/** Columns of the bank CSV export; `return_reason` may be left out, other columns are ignored. */
const REQUIRED_COLUMNS = ['date', 'end_to_end_id', 'amount', 'currency', 'direction'] as const;
const OPTIONAL_COLUMNS = ['return_reason'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

function refuse(line: number, message: string, code: BankStatementErrorCode = 'INVALID_CSV'): never {
  throw new BankStatementError(code, `line ${line}: ${message}`, line);
}

/**
 * Reads a bank CSV export: a header line `date;end_to_end_id;amount;currency;direction;return_reason`
 * (names in any case and order; `;` or `,` separated, detected from the header), then one booked
 * movement per line: `date` `YYYY-MM-DD`, `amount` a non-negative decimal with `.` or `,` and at most
 * two fraction digits, `currency` EUR, `direction` `debit` or `credit`, `return_reason` empty or an
 * ISO return reason code (`AC04`) when the line gives back a payout. Fields may be quoted as in
 * RFC 4180 (`"…"`, `""` for a quote, separators and line breaks inside); a leading BOM and blank lines
 * are ignored. The first bad line refuses the whole file (`INVALID_CSV`, or `WRONG_CURRENCY`) with
 * its 1-based line number (the header is line 1).
 *
 * Each line becomes one booked entry (`status` BOOK) holding one transaction. The export has no
 * statement id: `statementId` is `csv:` + the SHA-256 of the text.
 */
export function parseBankCsv(text: string): ParsedBankStatement {
  const size = byteLength(text);
  if (size > MAX_STATEMENT_BYTES) {
    throw new BankStatementError('TOO_LARGE', `the CSV file is ${size} bytes; at most ${MAX_STATEMENT_BYTES} bytes (20 MB) are accepted`);
  }
  const statementId = `csv:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
  const body = text.replace(/^\uFEFF/, '');
  const separator = detectSeparator(body);
  const records = readRecords(body, separator);
  const header = records.shift();
  if (!header) refuse(1, 'the file is empty; a header line is expected');
  const columns = readHeader(header);

  const entries = records.map(({ line, fields }): BankEntry => {
    if (fields.length !== header.fields.length) {
      const hint =
        separator === ',' && fields.length > header.fields.length ? ' (a decimal comma must be quoted in a comma-separated file)' : '';
      refuse(line, `${fields.length} fields where the header has ${header.fields.length}${hint}`);
    }
    const field = (name: Column): string => (columns[name] === undefined ? '' : fields[columns[name]].trim());

    const date = field('date');
    if (!isIsoDate(date)) refuse(line, `date "${date}" is not a date YYYY-MM-DD`);

    const amountText = field('amount');
    const amountCents = decimalToCents(amountText, { comma: true });
    if (amountCents === null) refuse(line, `amount "${amountText}" is not a non-negative decimal with at most 2 fraction digits`);

    const currency = field('currency').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) refuse(line, `currency "${field('currency')}" is not a currency code`);
    if (currency !== 'EUR') refuse(line, `the amount is in ${currency}; only EUR is accepted`, 'WRONG_CURRENCY');

    const directionText = field('direction').toLowerCase();
    if (directionText !== 'debit' && directionText !== 'credit') {
      refuse(line, `direction "${field('direction')}" is neither debit nor credit`);
    }
    const direction: EntryDirection = directionText;

    const reasonText = field('return_reason');
    const returnReason = reasonText === '' ? null : reasonText.toUpperCase();
    if (returnReason !== null && !/^[A-Z0-9]{4}$/.test(returnReason)) {
      refuse(line, `return_reason "${reasonText}" is not a 4-character ISO return reason code`);
    }

    const endToEnd = field('end_to_end_id');
    if (endToEnd.length > 35) refuse(line, `end_to_end_id "${endToEnd}" is longer than 35 characters`);
    // PostgreSQL text cannot hold NUL: refused here rather than by the database (a 500).
    if (endToEnd.includes('\u0000')) refuse(line, 'end_to_end_id contains a NUL character');
    return {
      entryRef: null,
      bookingDate: date,
      amountCents,
      currency,
      direction,
      reversal: false,
      status: 'BOOK',
      transactions: [
        {
          endToEndId: endToEnd === '' || endToEnd === 'NOTPROVIDED' ? null : endToEnd,
          amountCents,
          returnReason,
          instructionId: null,
          returned: returnReason !== null,
        },
      ],
    };
  });
  return { statementId, accountIban: null, currency: null, createdAt: null, entries };
}

/** `;` or `,`, whichever the header line uses (`;` when it has both). */
function detectSeparator(body: string): ';' | ',' {
  const headerLine = /^[^\r\n]*/.exec(body)?.[0] ?? '';
  if (headerLine.includes(';')) return ';';
  if (headerLine.includes(',')) return ',';
  refuse(1, 'the header line has neither ";" nor "," between column names');
}

function readHeader(header: CsvRecord): Record<Column, number | undefined> {
  const columns: Partial<Record<string, number>> = {};
  header.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (name === '') return;
    if (columns[name] !== undefined) refuse(header.line, `column ${name} appears twice in the header`);
    columns[name] = index;
  });
  const missing = REQUIRED_COLUMNS.filter((name) => columns[name] === undefined);
  if (missing.length > 0) refuse(header.line, `the header lacks the column(s) ${missing.join(', ')}`);
  return Object.fromEntries([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].map((name) => [name, columns[name]])) as Record<
    Column,
    number | undefined
  >;
}

interface CsvRecord {
  /** Line where the record starts (1-based; a quoted field may span lines). */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: CRLF, LF or CR ends a record outside quotes; a quoted field runs to the quote
 * that is not doubled and must be followed by the separator or the end of the record; a quote inside
 * an unquoted field is refused. Records whose fields are all empty (blank lines) are skipped.
 */
function readRecords(body: string, separator: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  let i = 0;
  const endField = (): void => {
    fields.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    if (fields.some((f) => f.trim() !== '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < body.length) {
    const c = body[i];
    if (c === '"') {
      if (field.trim() !== '') refuse(line, 'a quote inside an unquoted field');
      const quoteLine = line;
      field = '';
      i++;
      for (;;) {
        if (i >= body.length) refuse(quoteLine, 'a quoted field is not closed');
        const q = body[i];
        if (q === '"') {
          if (body[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && body[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      // only spaces may sit between the closing quote and the separator or line end
      while (body[i] === ' ' || body[i] === '\t') i++;
      if (i < body.length && body[i] !== separator && body[i] !== '\n' && body[i] !== '\r') {
        refuse(line, `unexpected character ${JSON.stringify(body[i])} after a closing quote`);
      }
      continue;
    }
    if (c === separator) {
      endField();
      i++;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && body[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [+match[1], +match[2], +match[3]];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
