import { createHash } from 'node:crypto';
import { parseBankCsv } from './bank-csv';
import { BankStatementError, BankStatementErrorCode } from './errors';
import type { BankEntry } from './types';

function refusal(text: string): BankStatementError {
  try {
    parseBankCsv(text);
  } catch (error) {
    if (error instanceof BankStatementError) return error;
    throw error;
  }
  throw new Error('the CSV was not refused');
}

function expectRefused(text: string, line: number, message: string | RegExp, code: BankStatementErrorCode = 'INVALID_CSV'): void {
  const error = refusal(text);
  expect({ code: error.code, line: error.line }).toEqual({ code, line });
  expect(error.message).toMatch(new RegExp(`^line ${line}: `));
  expect(error.message).toMatch(message);
}

const booked = (
  date: string,
  endToEndId: string | null,
  amountCents: number,
  direction: 'debit' | 'credit',
  returnReason: string | null = null,
): BankEntry => ({
  entryRef: null,
  bookingDate: date,
  amountCents,
  currency: 'EUR',
  direction,
  reversal: false,
  status: 'BOOK',
  transactions: [{ endToEndId, amountCents, returnReason, instructionId: null, returned: returnReason !== null }],
});

const HEADER = 'date;end_to_end_id;amount;currency;direction;return_reason';

describe('parseBankCsv', () => {
  it('reads a semicolon export: amounts to the cent, a return with its reason, NOTPROVIDED → null', () => {
    const text = [
      HEADER,
      '2025-03-03;PAYOUT-2025-0001;1234567.89;EUR;debit;',
      '2025-03-04;PAYOUT-2025-0002;0.1;EUR;debit;',
      '2025-03-04;PAYOUT-2025-0003;0.10;EUR;debit;',
      '2025-03-06;PAYOUT-2025-0001;1234567.89;EUR;credit;AC04',
      '2025-03-07;NOTPROVIDED;12;EUR;credit;',
      '2025-03-07;;5.5;EUR;credit;',
      '',
    ].join('\n');
    const statement = parseBankCsv(text);
    expect(statement).toEqual({
      statementId: `csv:${createHash('sha256').update(text).digest('hex')}`,
      accountIban: null,
      currency: null,
      createdAt: null,
      entries: [
        booked('2025-03-03', 'PAYOUT-2025-0001', 123456789, 'debit'),
        booked('2025-03-04', 'PAYOUT-2025-0002', 10, 'debit'),
        booked('2025-03-04', 'PAYOUT-2025-0003', 10, 'debit'),
        booked('2025-03-06', 'PAYOUT-2025-0001', 123456789, 'credit', 'AC04'),
        booked('2025-03-07', null, 1200, 'credit'),
        booked('2025-03-07', null, 550, 'credit'),
      ],
    });
  });

  it('reads decimal commas, a BOM, CRLF line ends, quoted fields holding ";" and quotes, blank lines', () => {
    const text =
      '\uFEFF' +
      [
        HEADER,
        '2025-03-03;PAYOUT-2025-0004;12,30;EUR;debit;',
        '',
        '2025-03-03;"PAY;OUT ""5""";"0,05";"EUR";"debit";""',
        '"2025-03-05";PAYOUT-2025-0006;1 ;EUR;credit;ac04',
        ';;;;;',
      ].join('\r\n');
    expect(parseBankCsv(text).entries).toEqual([
      booked('2025-03-03', 'PAYOUT-2025-0004', 1230, 'debit'),
      booked('2025-03-03', 'PAY;OUT "5"', 5, 'debit'),
      booked('2025-03-05', 'PAYOUT-2025-0006', 100, 'credit', 'AC04'),
    ]);
  });

  it('reads a comma-separated export with quoted decimal commas, header names in any case and order, no return_reason column', () => {
    const text = [
      'Amount,DIRECTION,Currency,End_To_End_Id,Date,Note',
      '"1234,56",Debit,eur,PAYOUT-2025-0007,2025-03-03,"first, of two"',
      '0.99,CREDIT,EUR,"PAYOUT-2025-0008",2025-03-04,',
    ].join('\n');
    expect(parseBankCsv(text).entries).toEqual([
      booked('2025-03-03', 'PAYOUT-2025-0007', 123456, 'debit'),
      booked('2025-03-04', 'PAYOUT-2025-0008', 99, 'credit'),
    ]);
  });

  it('counts lines through a quoted line break, so a later bad line is named by its own line number', () => {
    const text = [HEADER, '2025-03-03;"PAYOUT', 'SPLIT";1.00;EUR;debit;', '2025-03-04;PAYOUT-9;1.001;EUR;debit;'].join('\n');
    expectRefused(text, 4, 'amount "1.001" is not a non-negative decimal with at most 2 fraction digits');
    expect(parseBankCsv([HEADER, '2025-03-03;"PAYOUT', 'SPLIT";1.00;EUR;debit;'].join('\r\n')).entries[0].transactions[0].endToEndId).toBe(
      'PAYOUT\r\nSPLIT',
    );
  });

  it('gives the same statement id to the same text, another to another', () => {
    const text = `${HEADER}\n2025-03-03;P-1;1.00;EUR;debit;\n`;
    expect(parseBankCsv(text).statementId).toBe(parseBankCsv(text).statementId);
    expect(parseBankCsv(text).statementId).not.toBe(parseBankCsv(text.replace('1.00', '1.01')).statementId);
  });

  it('reads a header alone as a statement without entries', () => {
    expect(parseBankCsv(`${HEADER}\n`).entries).toEqual([]);
  });

  describe('refuses each bad line with its line number', () => {
    const line3 = (row: string): string => [HEADER, '2025-03-03;P-1;1.00;EUR;debit;', row].join('\n');

    it.each([
      ['03/03/2025;P-2;1.00;EUR;debit;', 'date "03/03/2025" is not a date YYYY-MM-DD'],
      ['2025-02-29;P-2;1.00;EUR;debit;', 'date "2025-02-29"'],
      ['2025-03-03;P-2;1.234;EUR;debit;', 'amount "1.234" is not a non-negative decimal with at most 2 fraction digits'],
      ['2025-03-03;P-2;-5.00;EUR;debit;', 'amount "-5.00"'],
      ['2025-03-03;P-2;1 000,00;EUR;debit;', 'amount "1 000,00"'],
      ['2025-03-03;P-2;1.000,00;EUR;debit;', 'amount "1.000,00"'],
      ['2025-03-03;P-2;;EUR;debit;', 'amount ""'],
      ['2025-03-03;P-2;1.00;euro;debit;', 'currency "euro" is not a currency code'],
      ['2025-03-03;P-2;1.00;EUR;out;', 'direction "out" is neither debit nor credit'],
      ['2025-03-03;P-2;1.00;EUR;DBIT;', 'direction "DBIT"'],
      ['2025-03-03;P-2;1.00;EUR;credit;account closed', 'return_reason "account closed" is not a 4-character ISO return reason code'],
      ['2025-03-03;P-2;1.00;EUR;debit', '5 fields where the header has 6'],
      ['2025-03-03;P-2;1.00;EUR;debit;;extra', '7 fields where the header has 6'],
      ['2025-03-03;P"2;1.00;EUR;debit;', 'a quote inside an unquoted field'],
      ['2025-03-03;"P-2"x;1.00;EUR;debit;', 'unexpected character "x" after a closing quote'],
      ['2025-03-03;"P-2;1.00;EUR;debit;', 'a quoted field is not closed'],
      [`2025-03-03;${'P'.repeat(36)};1.00;EUR;debit;`, 'longer than 35 characters'],
      ['2025-03-03;P-\u00002;1.00;EUR;debit;', 'end_to_end_id contains a NUL character'],
    ])('%s', (row, message) => {
      expectRefused(line3(row), 3, message);
    });

    it('refuses another currency (WRONG_CURRENCY) with its line', () => {
      expectRefused(line3('2025-03-03;P-2;1.00;USD;debit;'), 3, 'the amount is in USD; only EUR is accepted', 'WRONG_CURRENCY');
    });

    it('refuses an unquoted decimal comma in a comma-separated file, saying why', () => {
      const text = ['date,end_to_end_id,amount,currency,direction,return_reason', '2025-03-03,P-1,12,30,EUR,debit,'].join('\n');
      expectRefused(text, 2, '7 fields where the header has 6 (a decimal comma must be quoted in a comma-separated file)');
    });

    it('refuses a bad header on line 1', () => {
      expectRefused('', 1, 'neither ";" nor ","');
      expectRefused('\uFEFF', 1, 'neither ";" nor ","');
      expectRefused('date end_to_end_id amount\n', 1, 'neither ";" nor ","');
      expectRefused('date;amount;currency;direction\n2025-03-03;1.00;EUR;debit', 1, 'the header lacks the column(s) end_to_end_id');
      expectRefused(`${HEADER};Date\n`, 1, 'column date appears twice in the header');
    });

    it('refuses a file over 20 MB', () => {
      const error = refusal(`${HEADER}\n${'x'.repeat(20 * 1024 * 1024)}`);
      expect(error.code).toBe('TOO_LARGE');
      expect(error.message).toMatch(/at most 20971520 bytes \(20 MB\)/);
    });
  });
});
