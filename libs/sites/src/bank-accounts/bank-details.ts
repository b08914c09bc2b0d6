import {
  electronicFormatIBAN,
  extractBIC,
  getCountrySpecifications,
  isSEPACountry,
  validateBIC,
  validateIBAN,
  ValidationErrorsIBAN,
} from 'ibantools';
import { FieldProblem } from '@sillage/common';
import { SitesError } from '../sites.errors';

/**
 * IBAN and BIC checks for a site's bank account. Payouts leave as SEPA credit transfers
 * (pain.001), so an account must be one a SEPA transfer can reach:
 *
 * - the IBAN is normalised to its electronic format (upper case, no spaces or hyphens), then checked
 *   for its country's length and format, its ISO 7064 check digits, the national check key where
 *   the country has one (the clé RIB in France), and its country must be in the SEPA scheme;
 *   Swiss QR-IBANs (for QR bills only) are refused;
 * - the BIC is 8 or 11 characters with a known country, and not a test BIC (second location
 *   character `0`);
 * - the BIC's country (characters 5-6) must be the IBAN's, except where one IBAN country code
 *   covers several ISO territories inside SEPA: French IBANs (FR) for the overseas departments and
 *   collectivities in SEPA (GF, GP, MQ, RE, YT, PM, BL, MF) whose banks have BICs of their own
 *   territory; British IBANs (GB) for Jersey, Guernsey and the Isle of Man; Finnish IBANs (FI) for
 *   Åland (AX). New Caledonia, French Polynesia and Wallis-and-Futuna (XPF) are outside SEPA, so a
 *   BIC of theirs is refused. A mismatch anywhere else is almost always a BIC copied from another
 *   account, which would send the money astray or have it returned.
 */

/** BIC countries accepted with an IBAN of another country code (see above). */
export const SEPA_TERRITORIES_OF: Readonly<Record<string, readonly string[]>> = {
  FR: ['GF', 'GP', 'MQ', 'RE', 'YT', 'PM', 'BL', 'MF'],
  GB: ['JE', 'GG', 'IM'],
  FI: ['AX'],
};

export interface BankDetails {
  iban: string;
  bic: string;
}

function ibanProblem(message: string): FieldProblem {
  return { field: 'iban', code: 'IBAN_INVALID', message };
}

/** The IBAN in electronic format, or IBAN_INVALID with every problem found (the first as detail). */
export function normaliseIban(raw: string): string {
  const compact = raw.replace(/[\s-]+/g, '');
  const iban = electronicFormatIBAN(compact) ?? '';
  if (!/^[A-Z0-9]+$/.test(iban)) {
    throw invalidIban([ibanProblem('iban may contain only letters, digits, spaces and hyphens')]);
  }
  const country = iban.slice(0, 2);
  const spec = getCountrySpecifications()[country];
  const result = validateIBAN(iban, { allowQRIBAN: false });
  if (!result.valid) {
    const problems = [...new Set(result.errorCodes)]
      .sort((a, b) => a - b)
      .map((code) => ibanProblem(ibanMessage(code, iban, spec?.chars ?? null)));
    throw invalidIban(problems);
  }
  if (!isSEPACountry(country)) {
    throw invalidIban([
      ibanProblem(
        `payouts are SEPA credit transfers, which do not reach ${country} accounts: give the IBAN of an account in a SEPA country`,
      ),
    ]);
  }
  return iban;
}

function ibanMessage(code: ValidationErrorsIBAN, iban: string, expectedLength: number | null): string {
  const country = iban.slice(0, 2);
  switch (code) {
    case ValidationErrorsIBAN.NoIBANProvided:
      return 'iban is empty';
    case ValidationErrorsIBAN.NoIBANCountry:
      return `iban must start with the country code of the IBAN registry (e.g. FR); "${country}" is not one`;
    case ValidationErrorsIBAN.WrongBBANLength:
      return `a ${country} IBAN has ${expectedLength ?? '?'} characters; this one has ${iban.length}`;
    case ValidationErrorsIBAN.WrongBBANFormat:
      return `the account part of this IBAN (after the 4 first characters) does not have the ${country} format`;
    case ValidationErrorsIBAN.ChecksumNotNumber:
      return 'characters 3-4 of an IBAN are its two check digits';
    case ValidationErrorsIBAN.WrongIBANChecksum:
      return 'the IBAN check digits do not match the rest of the IBAN: a character was probably mistyped';
    case ValidationErrorsIBAN.WrongAccountBankBranchChecksum:
      return country === 'FR' || country === 'MC'
        ? 'the RIB key (last 2 digits) does not match the bank, branch and account numbers'
        : `the national check digits of this ${country} account number do not match`;
    case ValidationErrorsIBAN.QRIBANNotAllowed:
      return 'a QR-IBAN is only for Swiss QR bills: give the account’s ordinary IBAN';
  }
}

function invalidIban(problems: FieldProblem[]): SitesError {
  return new SitesError('IBAN_INVALID', problems.map((p) => p.message).join('; '), { field: 'iban', errors: problems });
}

const BIC_FORMAT = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** The BIC in upper case without spaces, or BIC_INVALID. */
export function normaliseBic(raw: string): string {
  const bic = raw.replace(/\s+/g, '').toUpperCase();
  if (!BIC_FORMAT.test(bic)) {
    throw bicError(
      'a BIC is 8 or 11 characters: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 (branch)',
    );
  }
  // The format is right, so the only problem left is the country (ValidationErrorsBIC.NoBICCountry).
  if (!validateBIC(bic).valid) throw bicError(`characters 5-6 of a BIC are its country code; "${bic.slice(4, 6)}" is not a country`);
  if (extractBIC(bic).testBIC) throw bicError('this is a test BIC (location code ending in 0): give the bank’s live BIC');
  return bic;
}

function bicError(message: string): SitesError {
  return new SitesError('BIC_INVALID', message, { field: 'bic', errors: [{ field: 'bic', code: 'BIC_INVALID', message }] });
}

/** Both checked and normalised, and the BIC's country consistent with the IBAN's. */
export function checkBankDetails(input: BankDetails): BankDetails {
  const iban = normaliseIban(input.iban);
  const bic = normaliseBic(input.bic);
  const ibanCountry = iban.slice(0, 2);
  const bicCountry = bic.slice(4, 6);
  if (bicCountry !== ibanCountry && !(SEPA_TERRITORIES_OF[ibanCountry] ?? []).includes(bicCountry)) {
    throw bicError(
      `the BIC’s country (${bicCountry}, characters 5-6) is not the IBAN’s (${ibanCountry}): give the BIC of the bank that holds this account`,
    );
  }
  return { iban, bic };
}

/** The last 4 characters of an IBAN: all that appears in audit events and masked views. */
export function ibanLast4(iban: string): string {
  return iban.slice(-4);
}

/** Country code and check digits kept, then stars, then the last 4: `FR76*******************0189`. */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)}${'*'.repeat(Math.max(0, iban.length - 8))}${iban.slice(-4)}`;
}
