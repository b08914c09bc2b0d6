import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { MAX_STATEMENT_BYTES } from './amount';
import { CAMT053_NAMESPACE, parseCamt053 } from './camt053';
import { BankStatementError, BankStatementErrorCode } from './errors';
import type { ParsedBankStatement } from './types';

/** The ISO 20022 schemas sit beside the clone: <repo>/../shared/data/iso20022. */
const SCHEMAS = resolve(__dirname, '../../../..', '../shared/data/iso20022');
const XSD = join(SCHEMAS, 'camt.053.001.08.xsd');
const FIXTURES = join(__dirname, 'fixtures');

const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** The fixture with `from` replaced by `to` (which must occur). */
function edited(name: string, ...replacements: [string | RegExp, string][]): string {
  let xml = fixture(name);
  for (const [from, to] of replacements) {
    if (typeof from === 'string' ? !xml.includes(from) : !from.test(xml)) throw new Error(`${String(from)} not found in ${name}`);
    xml = xml.replace(from, to);
  }
  return xml;
}

function refusal(input: string | Buffer): BankStatementError {
  try {
    parseCamt053(input);
  } catch (error) {
    if (error instanceof BankStatementError) return error;
    throw error;
  }
  throw new Error('the statement was not refused');
}

function expectRefused(input: string | Buffer, code: BankStatementErrorCode, message: RegExp | string): void {
  const error = refusal(input);
  expect({ code: error.code, name: error.name }).toEqual({ code, name: 'BankStatementError' });
  expect(error.message).toMatch(message);
}

describe('camt.053.001.08 fixtures', () => {
  const names = readdirSync(FIXTURES)
    .filter((n) => n.endsWith('.xml'))
    .sort();

  it('has the six fixtures', () => {
    expect(names).toEqual([
      'foreign-currency.xml',
      'payout-batch.xml',
      'payout-booked.xml',
      'payout-returned.xml',
      'pending.xml',
      'reversal.xml',
    ]);
  });

  it('every fixture validates against the camt.053.001.08 schema (xmllint)', () => {
    expect(existsSync(XSD)).toBe(true);
    const run = spawnSync('xmllint', ['--noout', '--schema', XSD, ...names.map((n) => join(FIXTURES, n))], { encoding: 'utf8' });
    if (run.error) throw new Error(`xmllint is needed by this test (Debian package libxml2-utils): ${run.error.message}`);
    expect(run.stderr.trim().split('\n').sort()).toEqual(names.map((n) => `${join(FIXTURES, n)} validates`));
    expect(run.status).toBe(0);
  });
});

describe('parseCamt053', () => {
  it('reads a booked payout debit with one transaction, to the cent', () => {
    const expected: ParsedBankStatement = {
      statementId: 'STMT-20250303-001',
      accountIban: 'FR7630006000011234567890189',
      currency: 'EUR',
      createdAt: '2025-03-04T06:00:00+01:00',
      entries: [
        {
          entryRef: 'NTRY-0001',
          bookingDate: '2025-03-03',
          amountCents: 123456789,
          currency: 'EUR',
          direction: 'debit',
          reversal: false,
          status: 'BOOK',
          transactions: [
            { endToEndId: 'PAYOUT-2025-0001', amountCents: 123456789, returnReason: null, instructionId: 'INSTR-000001', returned: false },
          ],
        },
      ],
    };
    expect(parseCamt053(fixture('payout-booked.xml'))).toEqual(expected);
  });

  it('reads the same statement from bytes, with or without a BOM', () => {
    const text = fixture('payout-booked.xml');
    const fromText = parseCamt053(text);
    expect(parseCamt053(Buffer.from(text, 'utf8'))).toEqual(fromText);
    expect(parseCamt053(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))).toEqual(fromText);
    expect(parseCamt053(`\uFEFF${text}`)).toEqual(fromText);
  });

  it('reads a batch entry with its three transactions ("0.1", "0.10", "30.10"; entry "30.3")', () => {
    const [entry] = parseCamt053(fixture('payout-batch.xml')).entries;
    expect(entry.amountCents).toBe(3030);
    expect(entry.transactions).toEqual([
      { endToEndId: 'PAYOUT-2025-0002', amountCents: 10, returnReason: null, instructionId: 'INSTR-000002', returned: false },
      { endToEndId: 'PAYOUT-2025-0003', amountCents: 10, returnReason: null, instructionId: 'INSTR-000003', returned: false },
      { endToEndId: 'PAYOUT-2025-0004', amountCents: 3010, returnReason: null, instructionId: 'INSTR-000004', returned: false },
    ]);
    expect(entry.transactions.reduce((sum, tx) => sum + (tx.amountCents ?? 0), 0)).toBe(entry.amountCents);
  });

  it('recognises a return after booking: a credit carrying the payout end-to-end id and reason AC04', () => {
    const { entries } = parseCamt053(fixture('payout-returned.xml'));
    expect(entries.map((e) => [e.entryRef, e.direction, e.bookingDate, e.amountCents])).toEqual([
      ['NTRY-0005', 'debit', '2025-03-05', 25000],
      ['NTRY-0006', 'credit', '2025-03-06', 25000],
    ]);
    expect(entries[0].transactions).toEqual([
      { endToEndId: 'PAYOUT-2025-0005', amountCents: 25000, returnReason: null, instructionId: 'INSTR-000005', returned: false },
    ]);
    expect(entries[1].reversal).toBe(false);
    expect(entries[1].transactions).toEqual([
      { endToEndId: 'PAYOUT-2025-0005', amountCents: 25000, returnReason: 'AC04', instructionId: 'INSTR-000005', returned: true },
    ]);
  });

  it('marks a return without a reason code as returned, and takes a proprietary reason', () => {
    const withoutReason = edited('payout-returned.xml', [/<Rsn>\s*<Cd>AC04<\/Cd>\s*<\/Rsn>/, '']);
    expect(parseCamt053(withoutReason).entries[1].transactions[0]).toMatchObject({ returnReason: null, returned: true });
    const proprietary = edited('payout-returned.xml', ['<Cd>AC04</Cd>', '<Prtry>BANK-CLOSED</Prtry>']);
    expect(parseCamt053(proprietary).entries[1].transactions[0]).toMatchObject({ returnReason: 'BANK-CLOSED', returned: true });
  });

  it('reads a pending entry: status PDNG, no booking date, no transactions', () => {
    expect(parseCamt053(fixture('pending.xml')).entries).toEqual([
      {
        entryRef: 'NTRY-0009',
        bookingDate: null,
        amountCents: 7550,
        currency: 'EUR',
        direction: 'debit',
        reversal: false,
        status: 'PDNG',
        transactions: [],
      },
    ]);
  });

  it('reads a reversal: RvslInd true, the booking date from DtTm, NOTPROVIDED → null, no transaction amount → null', () => {
    const [entry] = parseCamt053(fixture('reversal.xml')).entries;
    expect(entry).toEqual({
      entryRef: 'NTRY-0010',
      bookingDate: '2025-03-10',
      amountCents: 4200,
      currency: 'EUR',
      direction: 'credit',
      reversal: true,
      status: 'BOOK',
      transactions: [{ endToEndId: null, amountCents: null, returnReason: null, instructionId: null, returned: false }],
    });
    expect(parseCamt053(edited('reversal.xml', ['<RvslInd>true</RvslInd>', '<RvslInd>1</RvslInd>'])).entries[0].reversal).toBe(true);
    expect(parseCamt053(edited('reversal.xml', ['<RvslInd>true</RvslInd>', '<RvslInd>false</RvslInd>'])).entries[0].reversal).toBe(false);
    expectRefused(
      edited('reversal.xml', ['<RvslInd>true</RvslInd>', '<RvslInd>yes</RvslInd>']),
      'INVALID_ENTRY',
      'entry 1 (NtryRef NTRY-0010): RvslInd is "yes"',
    );
  });

  it('reads an INFO status, a statement without account currency, and the group header time when the statement has none', () => {
    const xml = edited(
      'pending.xml',
      ['<Cd>PDNG</Cd>', '<Cd>INFO</Cd>'],
      ['<Ccy>EUR</Ccy>', ''],
      ['<CreDtTm>2025-03-04T06:00:00+01:00</CreDtTm>', ''],
    );
    const statement = parseCamt053(xml);
    expect(statement.entries[0].status).toBe('INFO');
    expect(statement.currency).toBeNull();
    expect(statement.createdAt).toBe('2025-03-04T06:15:00+01:00');
  });

  it('reads namespace-prefixed documents', () => {
    const xml = fixture('payout-booked.xml')
      .replace('xmlns="urn:', 'xmlns:ns2="urn:')
      .replace(/<(\/?)([A-Za-z]+)(?=[\s>])/g, '<$1ns2:$2');
    expect(xml).toContain('<ns2:EndToEndId>PAYOUT-2025-0001</ns2:EndToEndId>');
    expect(parseCamt053(xml)).toEqual(parseCamt053(fixture('payout-booked.xml')));
  });

  it('decodes predefined entities and character references in identifiers, and refuses undeclared entities', () => {
    const xml = edited('payout-booked.xml', ['<InstrId>INSTR-000001</InstrId>', '<InstrId>A&amp;B&#x2D;&#67;&lt;</InstrId>']);
    expect(parseCamt053(xml).entries[0].transactions[0].instructionId).toBe('A&B-C<');
    expectRefused(edited('payout-booked.xml', ['<InstrId>INSTR-000001</InstrId>', '<InstrId>A&lol;</InstrId>']), 'NOT_XML', '"&lol;"');
  });

  describe('amounts, by integer arithmetic', () => {
    const withAmount = (amount: string): string =>
      edited('payout-booked.xml', ['<Amt Ccy="EUR">1234567.89</Amt>', `<Amt Ccy="EUR">${amount}</Amt>`]);

    it.each([
      ['0.1', 10],
      ['0.10', 10],
      ['12.3', 1230],
      ['1234567.89', 123456789],
      ['0.01', 1],
      ['0', 0],
      ['7', 700],
      ['5.', 500],
      ['.5', 50],
      ['+3.00', 300],
      ['007.05', 705],
      [' 19.99 ', 1999],
      ['999999999.99', 99999999999],
      ['90071992547409.91', 9007199254740991],
    ])('"%s" → %i cents', (amount, cents) => {
      expect(parseCamt053(withAmount(amount)).entries[0].amountCents).toBe(cents);
    });

    it.each(['1.234', '0.001', '1.10000', '-1.00', '-0', '1e3', '1,00', '1 000.00', '', 'abc', 'NaN', '0x10', '.', '90071992547409.92'])(
      'refuses the amount "%s"',
      (amount) => {
        expectRefused(
          withAmount(amount),
          'INVALID_AMOUNT',
          `entry 1 (NtryRef NTRY-0001): amount "${amount.trim()}" is not a non-negative decimal with at most 2 fraction digits`,
        );
      },
    );

    it('refuses a bad transaction amount, naming the entry and the transaction', () => {
      const xml = edited('payout-batch.xml', ['<Amt Ccy="EUR">0.10</Amt>', '<Amt Ccy="EUR">0.105</Amt>']);
      expectRefused(xml, 'INVALID_AMOUNT', 'entry 1 (NtryRef NTRY-0002), transaction 2: amount "0.105"');
    });

    it('any cent amount written with 0, 1 or 2 decimals comes back exactly', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 1, 2), (cents, decimals) => {
          const euros = `${Math.floor(cents / 100)}`;
          const rest = `${cents % 100}`.padStart(2, '0');
          // fewer decimals only where that drops zeros: the text keeps its exact value
          let written = `${euros}.${rest}`;
          if (decimals === 1 && rest.endsWith('0')) written = `${euros}.${rest[0]}`;
          if (decimals === 0 && rest === '00') written = euros;
          expect(parseCamt053(withAmount(written)).entries[0].amountCents).toBe(cents);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('refusals', () => {
    it('refuses an entry in another currency (WRONG_CURRENCY), naming the entry', () => {
      expectRefused(
        fixture('foreign-currency.xml'),
        'WRONG_CURRENCY',
        'entry 2 (NtryRef NTRY-0008): the amount is in USD; only EUR is accepted',
      );
    });

    it('refuses a transaction amount or an account in another currency', () => {
      expectRefused(
        edited('payout-batch.xml', ['<Amt Ccy="EUR">30.10</Amt>', '<Amt Ccy="CHF">30.10</Amt>']),
        'WRONG_CURRENCY',
        'entry 1 (NtryRef NTRY-0002), transaction 3: the amount is in CHF',
      );
      expectRefused(
        edited('payout-booked.xml', ['<Ccy>EUR</Ccy>', '<Ccy>GBP</Ccy>']),
        'WRONG_CURRENCY',
        'statement STMT-20250303-001: the account currency is GBP',
      );
    });

    it('refuses a file that is not XML', () => {
      expectRefused('date;amount\n2025-03-03;12.00', 'NOT_XML', 'not well-formed XML');
      expectRefused(fixture('payout-booked.xml').slice(0, 600), 'NOT_XML', /not well-formed XML: .*\(line \d+, column \d+\)/);
      expectRefused('', 'NOT_XML', /./);
      const deep = `<Document xmlns="${CAMT053_NAMESPACE}">${'<a>'.repeat(200)}${'</a>'.repeat(200)}</Document>`;
      expectRefused(deep, 'NOT_XML', 'could not be read as XML: Maximum nested tags exceeded');
    });

    it('refuses XML that is not a camt.053.001.08 statement', () => {
      const pain = '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn/></Document>';
      expectRefused(pain, 'NOT_CAMT053', 'the Document namespace is urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
      expectRefused(
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
        'NOT_CAMT053',
        'the root element is Invoice, not Document',
      );
      expectRefused('<Document><BkToCstmrStmt/></Document>', 'NOT_CAMT053', 'the Document namespace is missing');
      expectRefused(`<Document xmlns="${CAMT053_NAMESPACE}"/>`, 'NOT_CAMT053', 'Document/BkToCstmrStmt is missing');
      const noStatementSet = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrNtfctn/></Document>`;
      expectRefused(noStatementSet, 'NOT_CAMT053', 'Document/BkToCstmrStmt is missing');
    });

    it('refuses another camt.053 version', () => {
      const v02 = fixture('payout-booked.xml').replace('camt.053.001.08', 'camt.053.001.02');
      expectRefused(v02, 'UNSUPPORTED_VERSION', 'the statement is camt.053.001.02; only camt.053.001.08');
    });

    it('refuses a statement file without a statement, or with several', () => {
      expectRefused(edited('payout-booked.xml', [/<Stmt>[\s\S]*<\/Stmt>/, '']), 'NO_STATEMENT', 'holds no statement');
      const stmt = /<Stmt>[\s\S]*<\/Stmt>/.exec(fixture('pending.xml'))![0];
      expectRefused(edited('payout-booked.xml', ['</Stmt>', `</Stmt>${stmt}`]), 'MULTIPLE_STATEMENTS', 'holds 2 statements');
    });

    it('refuses a statement without an id', () => {
      expectRefused(edited('pending.xml', ['<Id>STMT-20250308-001</Id>', '']), 'INVALID_STATEMENT', 'statement: Stmt/Id is missing');
    });

    it('refuses entries with a missing or unknown mandatory value', () => {
      expectRefused(
        edited('pending.xml', ['<CdtDbtInd>DBIT</CdtDbtInd>', '<CdtDbtInd>DEBIT</CdtDbtInd>']),
        'INVALID_ENTRY',
        'entry 1 (NtryRef NTRY-0009): CdtDbtInd is "DEBIT", expected DBIT or CRDT',
      );
      expectRefused(edited('pending.xml', [/<Sts>[\s\S]*?<\/Sts>/, '']), 'INVALID_ENTRY', 'entry 1 (NtryRef NTRY-0009): Sts/Cd is missing');
      expectRefused(
        edited('pending.xml', ['<Amt Ccy="EUR">75.5</Amt>', '']),
        'INVALID_ENTRY',
        'entry 1 (NtryRef NTRY-0009): Amt is missing',
      );
      expectRefused(edited('pending.xml', ['<Amt Ccy="EUR">75.5</Amt>', '<Amt>75.5</Amt>']), 'INVALID_ENTRY', 'Amt has no Ccy attribute');
      expectRefused(
        edited('payout-booked.xml', ['<Dt>2025-03-03</Dt>\n        </BookgDt>', '<Dt>2025-02-30</Dt>\n        </BookgDt>']),
        'INVALID_ENTRY',
        'booking date "2025-02-30"',
      );
      expectRefused(
        edited('pending.xml', ['<NtryRef>NTRY-0009</NtryRef>', '<NtryRef>A</NtryRef><NtryRef>B</NtryRef>']),
        'INVALID_ENTRY',
        'entry 1: NtryRef occurs 2 times',
      );
    });

    it('names an entry without reference by its position', () => {
      const xml = edited('foreign-currency.xml', ['<NtryRef>NTRY-0008</NtryRef>', '']);
      expectRefused(xml, 'WRONG_CURRENCY', /^entry 2: the amount is in USD/);
    });

    it('refuses a DOCTYPE: external entities (XXE) and entity expansion (billion laughs)', () => {
      const xxe = fixture('payout-booked.xml')
        .replace('<Document', '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Document')
        .replace('INSTR-000001', '&xxe;');
      expectRefused(xxe, 'DOCTYPE_FORBIDDEN', 'contains a DOCTYPE or ENTITY declaration');
      const laughs = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE lolz [',
        '<!ENTITY lol "lol">',
        ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
        ']>',
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>&lol9;</BkToCstmrStmt></Document>',
      ].join('\n');
      expectRefused(laughs, 'DOCTYPE_FORBIDDEN', /DOCTYPE/);
      expectRefused(Buffer.from(laughs), 'DOCTYPE_FORBIDDEN', /DOCTYPE/);
      expectRefused(
        fixture('pending.xml').replace('<Document', '<!doctype Document SYSTEM "http://example.org/x.dtd">\n<Document'),
        'DOCTYPE_FORBIDDEN',
        /DOCTYPE/,
      );
    });

    it('refuses a file over 20 MB, before reading it, and accepts one of exactly 20 MB', () => {
      const big = Buffer.alloc(MAX_STATEMENT_BYTES + 1, 0x20);
      expectRefused(
        big,
        'TOO_LARGE',
        `the statement file is ${MAX_STATEMENT_BYTES + 1} bytes; at most ${MAX_STATEMENT_BYTES} bytes (20 MB) are accepted`,
      );
      expectRefused(' '.repeat(MAX_STATEMENT_BYTES + 1), 'TOO_LARGE', /20 MB/);
      const text = fixture('pending.xml');
      const padding = `<!--${'x'.repeat(MAX_STATEMENT_BYTES - Buffer.byteLength(text) - 7)}-->`; // a comment parses fast
      const exact = Buffer.from(text + padding);
      expect(exact.length).toBe(MAX_STATEMENT_BYTES);
      expect(parseCamt053(exact).entries).toHaveLength(1);
    });

    it('refuses bytes that are not UTF-8, or a declared encoding other than UTF-8', () => {
      const latin1 = Buffer.from(fixture('payout-booked.xml').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
      expectRefused(latin1, 'INVALID_ENCODING', 'not valid UTF-8');
      const declared = Buffer.from(fixture('pending.xml').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'utf8');
      expectRefused(declared, 'INVALID_ENCODING', 'declares encoding ISO-8859-1');
    });
  });
});
