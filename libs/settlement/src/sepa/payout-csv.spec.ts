import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { MAX_SEPA_AMOUNT_CENTS } from './money-format';
import { buildPain001, SepaFileError } from './pain001';
import { csvField } from '@sillage/common';
import { buildPayoutCsv, PAYOUT_CSV_HEADER } from './payout-csv';
import { batchOf, payout, site } from './test-fixtures';

/** RFC 4180 reader (`;` separated, CRLF records), written apart from the code under test. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
    } else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else cell += c;
  }
  if (quoted) throw new Error('unterminated quoted cell');
  if (cell !== '' || row.length > 0) throw new Error('the last record has no CRLF');
  return rows;
}

describe('buildPayoutCsv', () => {
  it('writes the header, then one line per payment in order, with CRLF line ends', () => {
    const csv = buildPayoutCsv(batchOf([1250, 800]));
    expect(csv).toBe(
      'end_to_end_id;creditor_name;iban;bic;amount_eur;remittance\r\n' +
        'PO-2026-000001;Médiathèque François-Mitterrand n°1;FR1420041010050500013M02606;;12.50;Sillage payout PO-2026-000001 vouchers redeemed in March 2026\r\n' +
        'PO-2026-000002;Médiathèque François-Mitterrand n°2;FR7630001007941234567890185;BNPAFRPPXXX;8.00;Sillage payout PO-2026-000002 vouchers redeemed in March 2026\r\n',
    );
    expect(readCsv(csv)[0]).toEqual([...PAYOUT_CSV_HEADER]);
  });

  it('is UTF-8 text that keeps the original spelling of names (the bank file carries the transliteration)', () => {
    const csv = buildPayoutCsv(batchOf([100], { payments: [payout(1, 100, { creditor: site(1, { name: 'Œuvre Ærø — Straße' }) })] }));
    expect(Buffer.from(csv, 'utf8').toString('utf8')).toBe(csv);
    expect(readCsv(csv)[1][1]).toBe('Œuvre Ærø — Straße');
  });

  it('formats amounts with a dot and two decimals, from integer cents', () => {
    const rows = readCsv(buildPayoutCsv(batchOf([10, 20, 1, 100, MAX_SEPA_AMOUNT_CENTS])));
    expect(rows.slice(1).map((r) => r[4])).toEqual(['0.10', '0.20', '0.01', '1.00', '999999999.99']);
  });

  it('quotes cells holding ; " or a line break (RFC 4180) and reads back to the same values', () => {
    const batch = batchOf([100, 200, 300], {
      payments: [
        payout(1, 100, { creditor: site(1, { name: 'Dupont; Fils' }) }),
        payout(2, 200, { creditor: site(2, { name: 'Le "Bon" Coin' }) }),
        payout(3, 300, { remittance: 'first line\nsecond line\r\nthird' }),
      ],
    });
    const csv = buildPayoutCsv(batch);
    expect(csv).toContain(';"Dupont; Fils";');
    expect(csv).toContain(';"Le ""Bon"" Coin";');
    expect(csv).toContain(';"first line\nsecond line\r\nthird"\r\n');
    const rows = readCsv(csv);
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.length)).toEqual([6, 6, 6, 6]);
    expect(rows[1][1]).toBe('Dupont; Fils');
    expect(rows[2][1]).toBe('Le "Bon" Coin');
    expect(rows[3][5]).toBe('first line\nsecond line\r\nthird');
  });

  it('neutralises cells a spreadsheet would run as formulas with a leading apostrophe', () => {
    const batch = batchOf([100, 200, 300, 400, 500], {
      payments: [
        payout(1, 100, { creditor: site(1, { name: '=HYPERLINK("http://evil.example","click")' }) }),
        payout(2, 200, { creditor: site(2, { name: '+33 1 23 45 67 89' }) }),
        payout(3, 300, { creditor: site(3, { name: '@SUM(A1:A9)' }) }),
        payout(4, 400, { endToEndId: '-PO-4', remittance: '-2+3' }),
        payout(5, 500, { remittance: '=1;2' }),
      ],
    });
    const csv = buildPayoutCsv(batch);
    expect(csv).toContain(`;"'=HYPERLINK(""http://evil.example"",""click"")";`);
    const rows = readCsv(csv);
    expect(rows[1][1]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows[2][1]).toBe("'+33 1 23 45 67 89");
    expect(rows[3][1]).toBe("'@SUM(A1:A9)");
    expect(rows[4][0]).toBe("'-PO-4");
    expect(rows[4][5]).toBe("'-2+3");
    expect(rows[5][5]).toBe("'=1;2");
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('round-trips any text through quoting and neutralisation (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ maxLength: 40 }), (name, remittance) => {
        const row = readCsv(`${csvField(name)};${csvField(remittance)}\r\n`)[0];
        const expected = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
        expect(row).toEqual([expected(name), expected(remittance)]);
      }),
      { numRuns: 500 },
    );
  });

  it('writes IBANs in electronic form and BICs upper case, as the bank file does, and matches it line for line', () => {
    const batch = batchOf([100, 250, 999], {
      payments: [
        payout(1, 100, { creditor: site(1, { iban: 'de89 3704 0044 0532 0130 00', bic: 'deutdeff' }) }),
        payout(2, 250),
        payout(3, 999),
      ],
    });
    const rows = readCsv(buildPayoutCsv(batch)).slice(1);
    expect(rows[0].slice(2, 4)).toEqual(['DE89370400440532013000', 'DEUTDEFF']);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      isArray: (n) => n === 'CdtTrfTxInf',
    });
    const txs = parser.parse(buildPain001(batch)).Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML has no static shape
    expect(txs.map((tx: any) => [tx.PmtId.EndToEndId, tx.CdtrAcct.Id.IBAN, tx.Amt.InstdAmt['#text']])).toEqual(
      rows.map((r) => [r[0], r[2], r[4]]),
    );
  });

  it('refuses the batches the bank file refuses, with the same error', () => {
    expect(() => buildPayoutCsv(batchOf([]))).toThrow(
      new SepaFileError('NO_PAYMENTS', 'the batch has no payments: a SEPA file needs at least one'),
    );
    expect(() => buildPayoutCsv(batchOf([0]))).toThrow(
      'payment #1 (PO-2026-000001) amountCents 0 is not a positive integer number of cents',
    );
    expect(() =>
      buildPayoutCsv(batchOf([100], { payments: [payout(1, 100, { creditor: site(1, { iban: 'FR7630006000011234567890188' }) })] })),
    ).toThrow('payment #1 (PO-2026-000001) creditor IBAN "FR7630006000011234567890188" is not a valid IBAN');
  });
});
