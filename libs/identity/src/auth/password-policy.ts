/**
 * Password rules applied when a password is chosen (never at login, so tightening the policy
 * does not lock out existing users). Violations are stable codes rather than sentences so the
 * front end can translate them and show every problem at once.
 */

export const PASSWORD_POLICY_VIOLATIONS = ['TOO_SHORT', 'TOO_LONG', 'TOO_FEW_CLASSES', 'CONTAINS_EMAIL', 'COMMON'] as const;

export type PasswordPolicyViolation = (typeof PASSWORD_POLICY_VIOLATIONS)[number];

export interface PasswordPolicyContext {
  email?: string;
}

export const PASSWORD_MIN_LENGTH = 12;
// Long enough for any passphrase or password manager, short enough to bound hashing cost.
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_CLASSES = 3;
// Shorter local parts ("jo", "ab") would match by accident far too often.
const EMAIL_LOCAL_PART_MIN_LENGTH = 4;

// Bases of the passwords most often found in breaches, plus French favourites and our own name.
// Stored lower case without trailing digits or symbols, as candidates are compared after the same
// reduction: "Azerty2024!" and "Soleil123456" are the same guess as "azerty" and "soleil".
// prettier-ignore
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', '12345678', '123456789', '1234567890', '111111', '000000', '123123', '654321',
  'password', 'passw0rd', 'p@ssw0rd', 'motdepasse', 'azerty', 'azertyuiop', 'qwerty',
  'qwertyuiop', 'qwertz', '1q2w3e4r', 'abc', 'abcdef', 'abcdefgh', 'admin', 'administrateur',
  'administrator', 'root', 'toor', 'test', 'demo', 'default', 'user', 'utilisateur', 'login',
  'welcome', 'bienvenue', 'bonjour', 'soleil', 'doudou', 'loulou', 'chouchou', 'marseille',
  'paris', 'iloveyou', 'jetaime', 'monkey', 'dragon', 'football', 'princess', 'sunshine',
  'letmein', 'master', 'shadow', 'superman', 'changeme', 'secret', 'sillage',
]);

const TRAILING_NON_LETTERS = /[^\p{L}]+$/u;

const CHARACTER_CLASSES: readonly RegExp[] = [
  /\p{Ll}/u, // lower case, accented letters included
  /\p{Lu}/u, // upper case
  /\p{Nd}/u, // digit
  /[^\p{L}\p{N}]/u, // anything else: punctuation, symbols, spaces
];

/**
 * Returns every rule the password breaks, in a fixed order, or [] when it is acceptable.
 * Lengths count Unicode characters after NFC normalisation, so "é" counts once however it was
 * typed and an emoji is not counted as two.
 */
export function checkPasswordPolicy(password: string, context: PasswordPolicyContext = {}): PasswordPolicyViolation[] {
  const violations: PasswordPolicyViolation[] = [];
  const normalised = password.normalize('NFC');
  const length = [...normalised].length;

  if (length < PASSWORD_MIN_LENGTH) violations.push('TOO_SHORT');
  if (length > PASSWORD_MAX_LENGTH) violations.push('TOO_LONG');

  const classes = CHARACTER_CLASSES.filter((re) => re.test(normalised)).length;
  if (classes < PASSWORD_MIN_CLASSES) violations.push('TOO_FEW_CLASSES');

  const lower = normalised.toLowerCase();
  if (emailParts(context.email).some((part) => lower.includes(part))) violations.push('CONTAINS_EMAIL');

  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(lower.replace(TRAILING_NON_LETTERS, ''))) {
    violations.push('COMMON');
  }
  return violations;
}

/** The email's local part, and its base without a "+tag" since people reuse either. */
function emailParts(email: string | undefined): string[] {
  if (!email) return [];
  const at = email.lastIndexOf('@');
  const local = (at === -1 ? email : email.slice(0, at)).trim().normalize('NFC').toLowerCase();
  const base = local.split('+')[0];
  return [...new Set([local, base])].filter((part) => [...part].length >= EMAIL_LOCAL_PART_MIN_LENGTH);
}
