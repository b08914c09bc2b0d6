/**
 * SIREN (company) and SIRET (establishment) check-digit validation.
 *
 * Inputs must already be normalised (no spaces, dots or dashes): a validator that silently
 * strips separators would let two different spellings of the same number reach storage.
 */

const LA_POSTE_SIREN = '356000000';
// La Poste's head office was numbered before the digit-sum exception existed and keeps a plain
// Luhn check digit (its digit sum, 26, is not a multiple of 5), so it must not take the
// La Poste branch.
const LA_POSTE_HEAD_OFFICE_SIRET = '35600000000048';

const SIREN_FORMAT = /^\d{9}$/;
const SIRET_FORMAT = /^\d{14}$/;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += digits.charCodeAt(i) - 48;
  return sum;
}

/** 9 digits with a valid Luhn check digit. La Poste's SIREN 356000000 passes Luhn as is. */
export function isValidSiren(s: string): boolean {
  return typeof s === 'string' && SIREN_FORMAT.test(s) && luhnValid(s);
}

/**
 * 14 digits (SIREN + 5-digit NIC) with a valid Luhn check digit, except La Poste establishments:
 * La Poste has more establishments than the NIC's Luhn space allows, so INSEE numbers them with
 * a rule of its own — the digit sum must be a multiple of 5.
 * The embedded SIREN must be valid too.
 */
export function isValidSiret(s: string): boolean {
  if (typeof s !== 'string' || !SIRET_FORMAT.test(s)) return false;
  if (s.startsWith(LA_POSTE_SIREN) && s !== LA_POSTE_HEAD_OFFICE_SIRET) {
    return digitSum(s) % 5 === 0;
  }
  // Both keys are checked because INSEE computes them independently: a typo in the SIREN part
  // can be offset by one in the NIC and still pass the 14-digit Luhn, yet never name a company.
  return luhnValid(s) && luhnValid(s.slice(0, 9));
}
