import { seededRandom } from '../../../testing/src/seeded-random';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { formatAmount, MAX_SEPA_AMOUNT_CENTS } from './money-format';
import { buildPain001, PAIN_001_001_09_NAMESPACE, SepaFileError, type SepaFileErrorCode } from './pain001';
import { batchOf, operator, payout, site, validateAgainstPain001Schema, VALID_IBANS } from './test-fixtures';
import type { PayoutBatchFile } from './types';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // amounts stay strings: no float ever sees them
  parseAttributeValue: false,
  isArray: (name) => name === 'CdtTrfTxInf',
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML has no static shape
type Node = Record<string, any>;

function parse(xml: string): Node {
  const doc = parser.parse(xml).Document;
  expect(doc['@_xmlns']).toBe(PAIN_001_001_09_NAMESPACE);
  return doc.CstmrCdtTrfInitn;
}

/** `123.45` → 12345n, refusing anything but digits, a dot and exactly two decimals. */
function cents(text: string): bigint {
  const match = /^(\d+)\.(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a 2-decimal amount: ${text}`);
  return BigInt(match[1]) * 100n + BigInt(match[2]);
}

function expectSchemaValid(xml: string): void {
  const result = validateAgainstPain001Schema(xml);
  expect(result.errors).toMatch(/validates/);
  expect(result.valid).toBe(true);
}

function refusal(build: () => unknown): SepaFileError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(SepaFileError);
    return error as SepaFileError;
  }
  throw new Error('expected a SepaFileError, nothing was thrown');
}

/** Every text node, wherever it is. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => texts(n, out));
  else if (node && typeof node === 'object') Object.values(node).forEach((v) => texts(v, out));
  else if (typeof node === 'string') out.push(node);
  return out;
}

const SEPA_SET = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

describe('buildPain001', () => {
  it('writes a schema-valid pain.001.001.09 with the fixed SEPA choices', () => {
    const xml = buildPain001(batchOf([1250, 800, 10_000]));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expectSchemaValid(xml);

    const doc = parse(xml);
    expect(doc.GrpHdr).toMatchObject({
      MsgId: 'SILLAGE-RUN-2026-03-0001',
      CreDtTm: '2026-03-31T08:15:42Z',
      NbOfTxs: '3',
      CtrlSum: '120.50',
      InitgPty: { Nm: 'Sillage Operations SAS' },
    });
    const info = doc.PmtInf;
    expect(Array.isArray(info)).toBe(false); // exactly one PmtInf
    expect(info).toMatchObject({
      PmtInfId: 'RUN-2026-03-0001',
      PmtMtd: 'TRF',
      BtchBookg: 'false',
      NbOfTxs: '3',
      CtrlSum: '120.50',
      PmtTpInf: { SvcLvl: { Cd: 'SEPA' } },
      ReqdExctnDt: { Dt: '2026-04-02' },
      DbtrAcct: { Id: { IBAN: 'FR7630006000011234567890189' } }, // electronic form of the spaced input
      DbtrAgt: { FinInstnId: { BICFI: 'AGRIFRPP882' } },
      ChrgBr: 'SLEV',
    });
    expect(info.CdtTrfTxInf).toHaveLength(3);
    info.CdtTrfTxInf.forEach((tx: Node, i: number) => {
      expect(tx.PmtId.EndToEndId).toBe(`PO-2026-${String(i + 1).padStart(6, '0')}`);
      expect(tx.Amt.InstdAmt['@_Ccy']).toBe('EUR');
      expect(tx.CdtrAcct.Id.IBAN).toBe(VALID_IBANS[(i + 1) % VALID_IBANS.length]);
      expect(tx.RmtInf.Ustrd).toBe(`Sillage payout PO-2026-${String(i + 1).padStart(6, '0')} vouchers redeemed in March 2026`);
    });
    expect(info.CdtTrfTxInf.map((tx: Node) => tx.Amt.InstdAmt['#text'])).toEqual(['12.50', '8.00', '100.00']);
    // even-numbered sites have a BIC, odd ones none: no CdtrAgt is written then
    expect(info.CdtTrfTxInf[0].CdtrAgt).toBeUndefined();
    expect(info.CdtTrfTxInf[1].CdtrAgt).toEqual({ FinInstnId: { BICFI: 'BNPAFRPPXXX' } });
  });

  it('is really checked by the schema: xmllint refuses a wrong service level, 3 decimals, a lower-case currency or an AdrLine', () => {
    const xml = buildPain001(batchOf([1250]));
    expectSchemaValid(xml);
    expect(validateAgainstPain001Schema(xml.replace('<Cd>SEPA</Cd>', '<Cd>SEPX</Cd>')).valid).toBe(false);
    expect(validateAgainstPain001Schema(xml.replace('>12.50</InstdAmt>', '>12.505</InstdAmt>')).valid).toBe(false);
    expect(validateAgainstPain001Schema(xml.replace('Ccy="EUR"', 'Ccy="eur"')).valid).toBe(false);
    expect(validateAgainstPain001Schema(xml.replace('<PstCd>', '<AdrLine>x</AdrLine><PstCd>')).valid).toBe(false);
  });

  it('has exact NbOfTxs and CtrlSum for 1,000 payments of random cents (BigInt sum)', () => {
    const next = seededRandom(20260331);
    // mostly small payouts, some up to the SEPA maximum, so the sum passes 2^32 and float rounding would show
    const amounts = Array.from({ length: 1000 }, (_, i) =>
      i % 50 === 0 ? 1 + Math.floor(next() * MAX_SEPA_AMOUNT_CENTS) : 1 + Math.floor(next() * 500_000),
    );
    const expected = amounts.reduce((sum, a) => sum + BigInt(a), 0n);
    const xml = buildPain001(batchOf(amounts));
    expectSchemaValid(xml);

    const doc = parse(xml);
    expect(doc.GrpHdr.NbOfTxs).toBe('1000');
    expect(doc.PmtInf.NbOfTxs).toBe('1000');
    expect(cents(doc.GrpHdr.CtrlSum)).toBe(expected);
    expect(cents(doc.PmtInf.CtrlSum)).toBe(expected);
    const written = doc.PmtInf.CdtTrfTxInf.map((tx: Node) => cents(tx.Amt.InstdAmt['#text']));
    expect(written).toEqual(amounts.map(BigInt));
    expect(written.reduce((s: bigint, a: bigint) => s + a, 0n)).toBe(expected);
    // the float sum is not what the file says (that is why it is not used)
    expect(amounts.reduce((s, a) => s + a / 100, 0).toFixed(2) === doc.GrpHdr.CtrlSum || expected < 2n ** 53n).toBe(true);
  });

  it('keeps CtrlSum exact for any batch (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: MAX_SEPA_AMOUNT_CENTS }), { minLength: 1, maxLength: 30 }), (amounts) => {
        const doc = parse(buildPain001(batchOf(amounts)));
        const expected = amounts.reduce((sum, a) => sum + BigInt(a), 0n);
        expect(cents(doc.GrpHdr.CtrlSum)).toBe(expected);
        expect(doc.PmtInf.CtrlSum).toBe(doc.GrpHdr.CtrlSum);
        expect(doc.GrpHdr.NbOfTxs).toBe(String(amounts.length));
      }),
      { numRuns: 150 },
    );
  });

  it('sums 0.10 + 0.20 to exactly 0.30', () => {
    const xml = buildPain001(batchOf([10, 20]));
    expectSchemaValid(xml);
    const doc = parse(xml);
    expect(doc.GrpHdr.CtrlSum).toBe('0.30');
    expect(doc.PmtInf.CtrlSum).toBe('0.30');
    expect(doc.PmtInf.CdtTrfTxInf.map((tx: Node) => tx.Amt.InstdAmt['#text'])).toEqual(['0.10', '0.20']);
  });

  it('writes 1 cent and the SEPA maximum 99,999,999,999 cents exactly, and refuses one cent more', () => {
    const xml = buildPain001(batchOf([1, MAX_SEPA_AMOUNT_CENTS]));
    expectSchemaValid(xml);
    const doc = parse(xml);
    expect(doc.PmtInf.CdtTrfTxInf.map((tx: Node) => tx.Amt.InstdAmt['#text'])).toEqual(['0.01', '999999999.99']);
    expect(doc.GrpHdr.CtrlSum).toBe('1000000000.00');

    const error = refusal(() => buildPain001(batchOf([MAX_SEPA_AMOUNT_CENTS + 1])));
    expect(error.code).toBe('INVALID_AMOUNT');
    expect(error.message).toBe(
      'payment #1 (PO-2026-000001) amountCents 100000000000 is above the SEPA maximum of 99999999999 cents (999999999.99 EUR)',
    );
  });

  it('transliterates accents and replaces characters outside the SEPA set', () => {
    const batch = batchOf([500], {
      payments: [
        payout(1, 500, {
          creditor: site(1, {
            name: 'Médiathèque Œuvre & Forêt — Straße «Nord» n°5 ; Ærø Łódź',
            address: {
              streetName: 'Rue de l’Église',
              buildingNumber: '3 ter',
              postCode: '76800',
              townName: 'Saint-Étienne-du-Rouvray',
              country: 'FR',
            },
          }),
          remittance: 'Paiement n°12 — chèques «pass numérique» 10€, 50% @site #3 <ok> & "fini"\n',
        }),
      ],
    });
    const xml = buildPain001(batch);
    expectSchemaValid(xml);
    const tx = parse(xml).PmtInf.CdtTrfTxInf[0];
    expect(tx.Cdtr.Nm).toBe('Mediatheque OEuvre Foret - Strasse Nord n 5 AEro Lodz');
    expect(tx.Cdtr.PstlAdr.StrtNm).toBe("Rue de l'Eglise");
    expect(tx.Cdtr.PstlAdr.TwnNm).toBe('Saint-Etienne-du-Rouvray');
    expect(tx.RmtInf.Ustrd).toBe('Paiement n 12 - cheques pass numerique 10 , 50 site 3 ok fini');
    for (const text of texts(parse(xml))) expect(text).toMatch(SEPA_SET);
  });

  it('keeps an apostrophe, the one allowed character XML may escape, and reads it back', () => {
    const xml = buildPain001(batchOf([100], { payments: [payout(1, 100, { creditor: site(1, { name: "L'Atelier d'Anne" }) })] }));
    expectSchemaValid(xml);
    expect(parse(xml).PmtInf.CdtTrfTxInf[0].Cdtr.Nm).toBe("L'Atelier d'Anne");
  });

  it('cuts over-long texts to the schema lengths, without a trailing space', () => {
    const batch = batchOf([100], {
      debtor: { ...operator, name: 'D'.repeat(69) + ' ' + 'E'.repeat(30) },
      payments: [
        payout(1, 100, {
          creditor: site(1, {
            name: 'N'.repeat(120),
            address: {
              streetName: 'S'.repeat(90),
              buildingNumber: '1'.repeat(20),
              postCode: 'P'.repeat(20),
              townName: 'T'.repeat(50),
              country: 'BE',
            },
          }),
          remittance: 'R'.repeat(200),
        }),
      ],
    });
    const xml = buildPain001(batch);
    expectSchemaValid(xml);
    const doc = parse(xml);
    expect(doc.GrpHdr.InitgPty.Nm).toBe('D'.repeat(69));
    expect(doc.PmtInf.Dbtr.Nm).toBe('D'.repeat(69));
    const tx = doc.PmtInf.CdtTrfTxInf[0];
    expect(tx.Cdtr.Nm).toBe('N'.repeat(70));
    expect(tx.Cdtr.PstlAdr).toEqual({
      StrtNm: 'S'.repeat(70),
      BldgNb: '1'.repeat(16),
      PstCd: 'P'.repeat(16),
      TwnNm: 'T'.repeat(35),
      Ctry: 'BE',
    });
    expect(tx.RmtInf.Ustrd).toBe('R'.repeat(140));
  });

  it('writes structured postal addresses for the debtor and every creditor, never AdrLine', () => {
    const xml = buildPain001(batchOf([100, 200, 300]));
    expectSchemaValid(xml);
    expect(xml).not.toContain('AdrLine');
    const info = parse(xml).PmtInf;
    expect(info.Dbtr.PstlAdr).toEqual({ StrtNm: 'Rue de la Paix', BldgNb: '12', PstCd: '75002', TwnNm: 'Paris', Ctry: 'FR' });
    info.CdtTrfTxInf.forEach((tx: Node, i: number) => {
      expect(tx.Cdtr.PstlAdr).toEqual({ StrtNm: 'Allee des Cedres', BldgNb: `${i + 1}bis`, PstCd: '29200', TwnNm: 'Brest', Ctry: 'FR' });
    });
  });

  it('leaves out the street, building number and remittance when absent or empty, and uses NOTPROVIDED without a debtor BIC', () => {
    const batch = batchOf([100], {
      debtor: { ...operator, bic: undefined, address: { postCode: '75002', townName: 'Paris', country: 'FR' } },
      payments: [
        payout(1, 100, {
          creditor: site(1, { address: { streetName: ' ', postCode: '29200', townName: 'Brest', country: 'FR' } }),
          remittance: '€€€',
        }),
      ],
    });
    const xml = buildPain001(batch);
    expectSchemaValid(xml);
    const info = parse(xml).PmtInf;
    expect(info.DbtrAgt).toEqual({ FinInstnId: { Othr: { Id: 'NOTPROVIDED' } } });
    expect(info.Dbtr.PstlAdr).toEqual({ PstCd: '75002', TwnNm: 'Paris', Ctry: 'FR' });
    expect(info.CdtTrfTxInf[0].Cdtr.PstlAdr).toEqual({ PstCd: '29200', TwnNm: 'Brest', Ctry: 'FR' });
    expect(info.CdtTrfTxInf[0].RmtInf).toBeUndefined();
  });

  it('writes every transaction with its own values when shapes (BIC, street, building, remittance) alternate', () => {
    const payments = Array.from({ length: 64 }, (_, i) =>
      payout(i + 1, 100 + i, {
        creditor: site(i + 1, {
          name: `Site ${i + 1}`,
          iban: VALID_IBANS[i % VALID_IBANS.length],
          bic: i % 2 === 0 ? 'BNPAFRPPXXX' : undefined,
          address: {
            streetName: i % 4 < 2 ? `Rue ${i + 1}` : undefined,
            buildingNumber: i % 8 < 4 ? `${i + 1}` : undefined,
            postCode: `${10000 + i}`,
            townName: `Town ${i + 1}`,
            country: i % 3 === 0 ? 'BE' : 'FR',
          },
        }),
        remittance: i % 16 < 8 ? `Payout ${i + 1}` : '',
      }),
    );
    const xml = buildPain001(batchOf([], { payments }));
    expectSchemaValid(xml);
    const txs = parse(xml).PmtInf.CdtTrfTxInf;
    expect(txs).toHaveLength(64);
    txs.forEach((tx: Node, i: number) => {
      const expected: Node = {
        PmtId: { EndToEndId: `PO-2026-${String(i + 1).padStart(6, '0')}` },
        Amt: { InstdAmt: { '#text': formatAmount(100 + i), '@_Ccy': 'EUR' } },
        Cdtr: {
          Nm: `Site ${i + 1}`,
          PstlAdr: {
            ...(i % 4 < 2 ? { StrtNm: `Rue ${i + 1}` } : {}),
            ...(i % 8 < 4 ? { BldgNb: `${i + 1}` } : {}),
            PstCd: `${10000 + i}`,
            TwnNm: `Town ${i + 1}`,
            Ctry: i % 3 === 0 ? 'BE' : 'FR',
          },
        },
        CdtrAcct: { Id: { IBAN: VALID_IBANS[i % VALID_IBANS.length] } },
        ...(i % 2 === 0 ? { CdtrAgt: { FinInstnId: { BICFI: 'BNPAFRPPXXX' } } } : {}),
        ...(i % 16 < 8 ? { RmtInf: { Ustrd: `Payout ${i + 1}` } } : {}),
      };
      expect(tx).toEqual(expected);
    });
  });

  it('writes IBANs in electronic form and BICs in upper case', () => {
    const batch = batchOf([100], {
      payments: [payout(1, 100, { creditor: site(1, { iban: 'de89 3704 0044 0532 0130 00', bic: ' deutdeff ' }) })],
    });
    const xml = buildPain001(batch);
    expectSchemaValid(xml);
    const tx = parse(xml).PmtInf.CdtTrfTxInf[0];
    expect(tx.CdtrAcct.Id.IBAN).toBe('DE89370400440532013000');
    expect(tx.CdtrAgt.FinInstnId.BICFI).toBe('DEUTDEFF');
  });

  it('builds a 2,000-payment file in well under a second', () => {
    const batch = batchOf(Array.from({ length: 2000 }, (_, i) => 1000 + i));
    buildPain001(batchOf([1, 2, 3])); // warm-up: module loading and JIT are not the file's cost
    // the best of three runs, so a burst of load from other processes does not fail the test
    const timings: number[] = [];
    let xml = '';
    for (let run = 0; run < 3; run++) {
      const started = process.hrtime.bigint();
      xml = buildPain001(batch);
      timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    expect(Math.min(...timings)).toBeLessThan(500);
    expectSchemaValid(xml);
    const doc = parse(xml);
    expect(doc.PmtInf.CdtTrfTxInf).toHaveLength(2000);
    expect(doc.GrpHdr.NbOfTxs).toBe('2000');
    expect(cents(doc.GrpHdr.CtrlSum)).toBe(BigInt(2000 * 1000 + (1999 * 2000) / 2));
  });

  describe('refuses bad input with a precise message', () => {
    const base = (): PayoutBatchFile => batchOf([1000, 2000]);
    const withPayment = (changes: Parameters<typeof payout>[2]): PayoutBatchFile => ({
      ...base(),
      payments: [payout(1, 1000), payout(2, 2000, changes)],
    });
    const withCreditor = (changes: Parameters<typeof site>[1]): PayoutBatchFile => withPayment({ creditor: site(2, changes) });
    const address = site(2).address;
    const cases: [string, PayoutBatchFile, SepaFileErrorCode, string][] = [
      ['no payments', { ...base(), payments: [] }, 'NO_PAYMENTS', 'the batch has no payments: a SEPA file needs at least one'],
      [
        'a zero amount',
        withPayment({ amountCents: 0 }),
        'INVALID_AMOUNT',
        'payment #2 (PO-2026-000002) amountCents 0 is not a positive integer number of cents',
      ],
      [
        'a negative amount',
        withPayment({ amountCents: -500 }),
        'INVALID_AMOUNT',
        'payment #2 (PO-2026-000002) amountCents -500 is not a positive integer number of cents',
      ],
      [
        'a fractional amount',
        withPayment({ amountCents: 10.5 }),
        'INVALID_AMOUNT',
        'payment #2 (PO-2026-000002) amountCents 10.5 is not a positive integer number of cents',
      ],
      [
        'a NaN amount',
        withPayment({ amountCents: NaN }),
        'INVALID_AMOUNT',
        'payment #2 (PO-2026-000002) amountCents NaN is not a positive integer number of cents',
      ],
      [
        'an amount given as a string',
        withPayment({ amountCents: '1000' as unknown as number }),
        'INVALID_AMOUNT',
        'payment #2 (PO-2026-000002) amountCents 1000 is not a positive integer number of cents',
      ],
      [
        'an unsafe integer amount',
        withPayment({ amountCents: 2 ** 53 }),
        'INVALID_AMOUNT',
        'payment #2 (PO-2026-000002) amountCents 9007199254740992 is not a positive integer number of cents',
      ],
      [
        'an endToEndId of 36 characters',
        withPayment({ endToEndId: 'E'.repeat(36) }),
        'INVALID_IDENTIFIER',
        `payment #2 endToEndId "${'E'.repeat(36)}" has 36 characters, more than 35`,
      ],
      [
        'an endToEndId with an underscore and an accent',
        withPayment({ endToEndId: 'PO_2026_é' }),
        'INVALID_IDENTIFIER',
        `payment #2 endToEndId "PO_2026_é" contains characters outside the SEPA set [A-Za-z0-9/-?:().,'+ ]: "_" "é"`,
      ],
      ['an empty endToEndId', withPayment({ endToEndId: '' }), 'INVALID_IDENTIFIER', 'payment #2 endToEndId "" is empty'],
      [
        'an endToEndId starting with a slash',
        withPayment({ endToEndId: '/PO-1' }),
        'INVALID_IDENTIFIER',
        `payment #2 endToEndId "/PO-1" starts or ends with '/' or contains '//', which SEPA identifiers may not`,
      ],
      [
        'an endToEndId with a double slash',
        withPayment({ endToEndId: 'PO//1' }),
        'INVALID_IDENTIFIER',
        `payment #2 endToEndId "PO//1" starts or ends with '/' or contains '//', which SEPA identifiers may not`,
      ],
      [
        'a repeated endToEndId',
        withPayment({ endToEndId: 'PO-2026-000001' }),
        'DUPLICATE_END_TO_END_ID',
        'payment #2 endToEndId "PO-2026-000001" repeats payment #1: each payout is paid once',
      ],
      [
        'a messageId of 36 characters',
        { ...base(), messageId: 'M'.repeat(36) },
        'INVALID_IDENTIFIER',
        `messageId "${'M'.repeat(36)}" has 36 characters, more than 35`,
      ],
      [
        'a messageId with a hash',
        { ...base(), messageId: 'RUN#1' },
        'INVALID_IDENTIFIER',
        `messageId "RUN#1" contains characters outside the SEPA set [A-Za-z0-9/-?:().,'+ ]: "#"`,
      ],
      [
        'a paymentInformationId of 36 characters',
        { ...base(), paymentInformationId: 'P'.repeat(36) },
        'INVALID_IDENTIFIER',
        `paymentInformationId "${'P'.repeat(36)}" has 36 characters, more than 35`,
      ],
      [
        'a paymentInformationId with an ampersand',
        { ...base(), paymentInformationId: 'A&B' },
        'INVALID_IDENTIFIER',
        `paymentInformationId "A&B" contains characters outside the SEPA set [A-Za-z0-9/-?:().,'+ ]: "&"`,
      ],
      [
        'a creditor IBAN with a wrong check digit',
        withCreditor({ iban: 'FR7630006000011234567890188' }),
        'INVALID_IBAN',
        'payment #2 (PO-2026-000002) creditor IBAN "FR7630006000011234567890188" is not a valid IBAN',
      ],
      [
        'a creditor IBAN that is not one',
        withCreditor({ iban: 'not an iban' }),
        'INVALID_IBAN',
        'payment #2 (PO-2026-000002) creditor IBAN "not an iban" is not a valid IBAN',
      ],
      [
        'a creditor IBAN outside SEPA',
        withCreditor({ iban: 'BR1800360305000010009795493C1' }),
        'INVALID_IBAN',
        'payment #2 (PO-2026-000002) creditor IBAN "BR1800360305000010009795493C1" is not in a SEPA country',
      ],
      [
        'a debtor IBAN too short',
        { ...base(), debtor: { ...operator, iban: 'FR76300060000112345678901' } },
        'INVALID_IBAN',
        'debtor IBAN "FR76300060000112345678901" is not a valid IBAN',
      ],
      [
        'a creditor BIC of 7 characters',
        withCreditor({ bic: 'BNPAFRP' }),
        'INVALID_BIC',
        'payment #2 (PO-2026-000002) creditor BIC "BNPAFRP" is not a valid BIC',
      ],
      [
        'a debtor BIC of an unknown country',
        { ...base(), debtor: { ...operator, bic: 'BNPAXXPP' } },
        'INVALID_BIC',
        'debtor BIC "BNPAXXPP" is not a valid BIC',
      ],
      [
        'a lower-case country',
        withCreditor({ address: { ...address, country: 'fr' } }),
        'INVALID_COUNTRY',
        'payment #2 (PO-2026-000002) creditor address country "fr" is not an ISO 3166 alpha-2 code (2 upper-case letters)',
      ],
      [
        'a three-letter country',
        { ...base(), debtor: { ...operator, address: { ...operator.address, country: 'FRA' } } },
        'INVALID_COUNTRY',
        'debtor address country "FRA" is not an ISO 3166 alpha-2 code (2 upper-case letters)',
      ],
      [
        'a country with a digit',
        withCreditor({ address: { ...address, country: 'F1' } }),
        'INVALID_COUNTRY',
        'payment #2 (PO-2026-000002) creditor address country "F1" is not an ISO 3166 alpha-2 code (2 upper-case letters)',
      ],
      [
        'an execution date that does not exist',
        { ...base(), requestedExecutionDate: '2026-02-30' },
        'INVALID_DATE',
        'requestedExecutionDate "2026-02-30" is not a calendar date in the form YYYY-MM-DD',
      ],
      [
        'an execution date in French form',
        { ...base(), requestedExecutionDate: '02/04/2026' },
        'INVALID_DATE',
        'requestedExecutionDate "02/04/2026" is not a calendar date in the form YYYY-MM-DD',
      ],
      [
        'an execution date without padding',
        { ...base(), requestedExecutionDate: '2026-4-2' },
        'INVALID_DATE',
        'requestedExecutionDate "2026-4-2" is not a calendar date in the form YYYY-MM-DD',
      ],
      [
        'an invalid creation date',
        { ...base(), createdAt: new Date('not a date') },
        'INVALID_DATE',
        'createdAt Invalid Date is not a valid Date',
      ],
      [
        'a creditor name with nothing in the SEPA set',
        withCreditor({ name: '€ € €' }),
        'EMPTY_TEXT',
        'payment #2 (PO-2026-000002) creditor name is empty once reduced to the SEPA character set (got "€ € €")',
      ],
      [
        'an empty town',
        withCreditor({ address: { ...address, townName: '  ' } }),
        'EMPTY_TEXT',
        'payment #2 (PO-2026-000002) creditor town name is empty once reduced to the SEPA character set (got "  ")',
      ],
    ];

    it.each(cases)('%s', (_label, batch, code, message) => {
      const error = refusal(() => buildPain001(batch));
      expect({ code: error.code, message: error.message }).toEqual({ code, message });
      expect(error.name).toBe('SepaFileError');
    });
  });
});
