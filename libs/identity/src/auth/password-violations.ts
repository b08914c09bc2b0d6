import { FieldProblem } from '@sillage/common';
import { IdentityError } from '../identity.errors';
import {
  checkPasswordPolicy,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_CLASSES,
  PASSWORD_MIN_LENGTH,
  PasswordPolicyViolation,
} from './password-policy';
import { PASSWORD_MAX_BYTES } from './password-hasher';

const MESSAGES: Record<PasswordPolicyViolation, string> = {
  TOO_SHORT: `password must have at least ${PASSWORD_MIN_LENGTH} characters`,
  TOO_LONG: `password must have at most ${PASSWORD_MAX_LENGTH} characters`,
  TOO_FEW_CLASSES: `password must mix at least ${PASSWORD_MIN_CLASSES} of: lower case, upper case, digits, other characters`,
  CONTAINS_EMAIL: 'password must not contain your email address',
  COMMON: 'password is too common',
};

/** Throws PASSWORD_POLICY (400) listing every violated rule as `errors[].code`, or returns. */
export function assertPasswordPolicy(password: string, email: string, field = 'password'): void {
  const violations = checkPasswordPolicy(password, { email });
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES && !violations.includes('TOO_LONG')) violations.push('TOO_LONG');
  if (violations.length === 0) return;
  const errors: FieldProblem[] = violations.map((code) => ({ field, code, message: MESSAGES[code] }));
  throw new IdentityError('PASSWORD_POLICY', errors.map((e) => e.message).join('; '), { field, errors });
}
