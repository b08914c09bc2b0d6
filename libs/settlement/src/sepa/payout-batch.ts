import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from 'ibantools';
import { MAX_SEPA_AMOUNT_CENTS } from './money-format';
import { SepaFileError } from './sepa-file.errors';
import { identifierProblem, toSepaText } from './sepa-text';
import type { Party, PayoutBatchFile, PayoutInstruction, PostalAddress } from './types';

/** Schema maximum lengths (pain.001.001.09, EPC132-08 2023). */
export const SEPA_MAX_LENGTH = { name: 70, remittance: 140, street: 70, buildingNumber: 16, town: 35, postCode: 16 } as const;

export interface NormalisedAddress {
  streetName?: string;
  buildingNumber?: string;
  postCode: string;
  townName: string;
  country: string;
}

/** A party as it is written to the bank: texts in the SEPA set, IBAN in electronic form, BIC upper case. */
export interface NormalisedParty {
  name: string;
  iban: string;
  bic?: string;
  address: NormalisedAddress;
}

export interface NormalisedPayment {
  endToEndId: string;
  amountCents: number;
  creditor: NormalisedParty;
  /** Absent when nothing is left of the remittance once reduced to the SEPA set. */
  remittance?: string;
  /** The input, for writers that keep the original texts (the CSV). */
  source: PayoutInstruction;
}

export interface NormalisedBatch {
  messageId: string;
  /** `YYYY-MM-DDThh:mm:ssZ` (UTC, whole seconds). */
  createdAt: string;
  requestedExecutionDate: string;
  debtor: NormalisedParty;
  paymentInformationId: string;
  payments: NormalisedPayment[];
  /** Exact sum of the amounts, in cents (a bigint: never rounded, whatever the count). */
  totalCents: bigint;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkIdentifier(value: unknown, what: string): string {
  const problem = identifierProblem(value);
  if (problem) throw new SepaFileError('INVALID_IDENTIFIER', `${what} ${problem}`);
  return value as string;
}

function requiredText(value: unknown, maxLength: number, what: string): string {
  const text = typeof value === 'string' ? toSepaText(value, maxLength) : '';
  if (text === '') {
    throw new SepaFileError('EMPTY_TEXT', `${what} is empty once reduced to the SEPA character set (got ${JSON.stringify(value)})`);
  }
  return text;
}

function optionalText(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  return toSepaText(value, maxLength) || undefined;
}

function normaliseAddress(address: PostalAddress | undefined, what: string): NormalisedAddress {
  if (!address || typeof address !== 'object') throw new SepaFileError('EMPTY_TEXT', `${what} has no postal address`);
  if (typeof address.country !== 'string' || !/^[A-Z]{2}$/.test(address.country)) {
    throw new SepaFileError(
      'INVALID_COUNTRY',
      `${what} address country ${JSON.stringify(address.country)} is not an ISO 3166 alpha-2 code (2 upper-case letters)`,
    );
  }
  return {
    streetName: optionalText(address.streetName, SEPA_MAX_LENGTH.street),
    buildingNumber: optionalText(address.buildingNumber, SEPA_MAX_LENGTH.buildingNumber),
    postCode: requiredText(address.postCode, SEPA_MAX_LENGTH.postCode, `${what} post code`),
    townName: requiredText(address.townName, SEPA_MAX_LENGTH.town, `${what} town name`),
    country: address.country,
  };
}

function normaliseParty(party: Party | undefined, what: string): NormalisedParty {
  if (!party || typeof party !== 'object') throw new SepaFileError('EMPTY_TEXT', `${what} is missing`);
  const iban = electronicFormatIBAN(party.iban);
  if (!iban || !isValidIBAN(iban))
    throw new SepaFileError('INVALID_IBAN', `${what} IBAN ${JSON.stringify(party.iban)} is not a valid IBAN`);
  if (!isSEPACountry(iban.slice(0, 2))) {
    throw new SepaFileError('INVALID_IBAN', `${what} IBAN ${JSON.stringify(party.iban)} is not in a SEPA country`);
  }
  let bic: string | undefined;
  if (party.bic !== undefined && party.bic !== null && party.bic !== '') {
    bic = typeof party.bic === 'string' ? party.bic.trim().toUpperCase() : '';
    if (!isValidBIC(bic)) throw new SepaFileError('INVALID_BIC', `${what} BIC ${JSON.stringify(party.bic)} is not a valid BIC`);
  }
  return {
    name: requiredText(party.name, SEPA_MAX_LENGTH.name, `${what} name`),
    iban,
    bic,
    address: normaliseAddress(party.address, what),
  };
}

function normaliseExecutionDate(value: unknown): string {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || year < 1000 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new SepaFileError(
      'INVALID_DATE',
      `requestedExecutionDate ${JSON.stringify(value)} is not a calendar date in the form YYYY-MM-DD`,
    );
  }
  return value as string;
}

function normaliseCreatedAt(value: unknown): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new SepaFileError('INVALID_DATE', `createdAt ${String(value)} is not a valid Date`);
  }
  const year = value.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new SepaFileError('INVALID_DATE', `createdAt ${value.toISOString()} is outside years 1000–9999`);
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function normalisePayment(payment: PayoutInstruction, index: number): NormalisedPayment {
  const label = `payment #${index + 1}`;
  const endToEndId = checkIdentifier(payment?.endToEndId, `${label} endToEndId ${JSON.stringify(payment?.endToEndId)}`);
  const what = `${label} (${endToEndId})`;
  const amount = payment.amountCents;
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new SepaFileError('INVALID_AMOUNT', `${what} amountCents ${String(amount)} is not a positive integer number of cents`);
  }
  if (amount > MAX_SEPA_AMOUNT_CENTS) {
    throw new SepaFileError(
      'INVALID_AMOUNT',
      `${what} amountCents ${amount} is above the SEPA maximum of ${MAX_SEPA_AMOUNT_CENTS} cents (999999999.99 EUR)`,
    );
  }
  return {
    endToEndId,
    amountCents: amount,
    creditor: normaliseParty(payment.creditor, `${what} creditor`),
    remittance: optionalText(payment.remittance, SEPA_MAX_LENGTH.remittance),
    source: payment,
  };
}

/**
 * Checks a payout batch and puts it in the form the bank receives. Throws a `SepaFileError` naming
 * the first bad field; the files are written only from what this returns.
 */
export function normalisePayoutBatch(batch: PayoutBatchFile): NormalisedBatch {
  const messageId = checkIdentifier(batch.messageId, `messageId ${JSON.stringify(batch.messageId)}`);
  const paymentInformationId = checkIdentifier(
    batch.paymentInformationId,
    `paymentInformationId ${JSON.stringify(batch.paymentInformationId)}`,
  );
  const createdAt = normaliseCreatedAt(batch.createdAt);
  const requestedExecutionDate = normaliseExecutionDate(batch.requestedExecutionDate);
  if (!Array.isArray(batch.payments) || batch.payments.length === 0) {
    throw new SepaFileError('NO_PAYMENTS', 'the batch has no payments: a SEPA file needs at least one');
  }
  const debtor = normaliseParty(batch.debtor, 'debtor');
  const seen = new Map<string, number>();
  let totalCents = 0n;
  const payments = batch.payments.map((p, i) => {
    const payment = normalisePayment(p, i);
    const first = seen.get(payment.endToEndId);
    if (first !== undefined) {
      throw new SepaFileError(
        'DUPLICATE_END_TO_END_ID',
        `payment #${i + 1} endToEndId ${JSON.stringify(payment.endToEndId)} repeats payment #${first + 1}: each payout is paid once`,
      );
    }
    seen.set(payment.endToEndId, i);
    totalCents += BigInt(payment.amountCents);
    return payment;
  });
  return { messageId, createdAt, requestedExecutionDate, debtor, paymentInformationId, payments, totalCents };
}
