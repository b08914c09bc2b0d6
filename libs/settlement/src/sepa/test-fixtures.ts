// Shared by the specs of this folder: valid parties and batches, and the xmllint schema check.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Party, PayoutBatchFile, PayoutInstruction } from './types';

/** The shared schemas sit beside the clone: <repo>/../shared/data/iso20022. */
export const PAIN_001_XSD = join(resolve(__dirname, '../../../..', '../shared/data/iso20022'), 'pain.001.001.09.xsd');

/** Valid IBANs of SEPA countries (check digits and national checks pass in ibantools). */
export const VALID_IBANS = [
  'FR7630006000011234567890189',
  'FR1420041010050500013M02606',
  'FR7630001007941234567890185',
  'DE89370400440532013000',
  'BE68539007547034',
  'NL91ABNA0417164300',
  'ES9121000418450200051332',
  'IT60X0542811101000000123456',
];

export const operator: Party = {
  name: 'Sillage Opérations SAS',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'AGRIFRPP882',
  address: { streetName: 'Rue de la Paix', buildingNumber: '12', postCode: '75002', townName: 'Paris', country: 'FR' },
};

export function site(i: number, overrides: Partial<Party> = {}): Party {
  return {
    name: `Médiathèque François-Mitterrand n°${i}`,
    iban: VALID_IBANS[i % VALID_IBANS.length],
    bic: i % 2 === 0 ? 'BNPAFRPPXXX' : undefined,
    address: { streetName: 'Allée des Cèdres', buildingNumber: `${i}bis`, postCode: '29200', townName: 'Brest', country: 'FR' },
    ...overrides,
  };
}

export function payout(i: number, amountCents: number, overrides: Partial<PayoutInstruction> = {}): PayoutInstruction {
  return {
    endToEndId: `PO-2026-${String(i).padStart(6, '0')}`,
    amountCents,
    creditor: site(i),
    remittance: `Sillage payout PO-2026-${String(i).padStart(6, '0')} vouchers redeemed in March 2026`,
    ...overrides,
  };
}

export function batchOf(amounts: number[], overrides: Partial<PayoutBatchFile> = {}): PayoutBatchFile {
  return {
    messageId: 'SILLAGE-RUN-2026-03-0001',
    createdAt: new Date('2026-03-31T08:15:42.123Z'),
    requestedExecutionDate: '2026-04-02',
    debtor: operator,
    paymentInformationId: 'RUN-2026-03-0001',
    payments: amounts.map((amount, i) => payout(i + 1, amount)),
    ...overrides,
  };
}

/** Validates `xml` against the EPC pain.001.001.09 schema (one xmllint process, document on stdin). */
export function validateAgainstPain001Schema(xml: string): { valid: boolean; errors: string } {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', PAIN_001_XSD, '-'], {
    input: xml,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw new Error(`xmllint is needed by this test (Debian package libxml2-utils): ${run.error.message}`);
  return { valid: run.status === 0, errors: run.stderr };
}
