import { PASSWORD_POLICY_VIOLATIONS, checkPasswordPolicy } from './password-policy';

const GOOD = 'Trombone-Velours-42';

describe('checkPasswordPolicy', () => {
  it.each([
    [GOOD],
    ['correct horse battery staple 7'], // passphrase: lower, digit, space
    ['Élan-de-Méduse-9'], // accented letters count as letters
    ['ABCD-efgh-ijkl'], // no digit needed when 3 other classes are present
  ])('accepts the strong password %p', (password) => {
    expect(checkPasswordPolicy(password, { email: 'alice.martin@example.fr' })).toEqual([]);
  });

  it('works without an email in the context', () => {
    expect(checkPasswordPolicy(GOOD, {})).toEqual([]);
  });

  describe('TOO_SHORT', () => {
    it('flags 11 characters and accepts 12', () => {
      expect(checkPasswordPolicy('Abcdefg-123', {})).toEqual(['TOO_SHORT']);
      expect(checkPasswordPolicy('Abcdefg-1234', {})).toEqual([]);
    });

    it('counts characters, not UTF-16 units: 11 characters with an emoji are still too short', () => {
      const password = 'Abcdefg-12😀'; // 11 characters, 12 UTF-16 units
      expect(password).toHaveLength(12);
      expect(checkPasswordPolicy(password, {})).toContain('TOO_SHORT');
    });

    it('counts a decomposed accent once, as it was typed', () => {
      const decomposed = 'Abcdefg-12e\u0301'; // "é" as e + combining acute: 11 characters
      expect(checkPasswordPolicy(decomposed, {})).toContain('TOO_SHORT');
    });

    it('flags the empty password', () => {
      expect(checkPasswordPolicy('', {})).toEqual(['TOO_SHORT', 'TOO_FEW_CLASSES']);
    });
  });

  describe('TOO_LONG', () => {
    it('accepts 128 characters and flags 129', () => {
      const base = 'Aa1-'.repeat(32);
      expect(checkPasswordPolicy(base, {})).toEqual([]);
      expect(checkPasswordPolicy(`${base}x`, {})).toEqual(['TOO_LONG']);
    });
  });

  describe('TOO_FEW_CLASSES', () => {
    it.each([
      ['alllowercaseletters', 'lower only'],
      ['lowercaseand1234', 'lower + digit'],
      ['LowerAndUpperOnly', 'lower + upper'],
      ['12345678-90123', 'digit + symbol'],
    ])('flags %p (%s)', (password) => {
      expect(checkPasswordPolicy(password, {})).toEqual(['TOO_FEW_CLASSES']);
    });

    it.each([
      ['lowerUPPERdigit12', 'lower + upper + digit'],
      ['lower-upper-DIGIT', 'lower + upper + symbol'],
      ['lower 1234 symbol', 'lower + digit + space'],
      ['UPPER-1234-DIGIT', 'upper + digit + symbol'],
    ])('accepts %p (%s)', (password) => {
      expect(checkPasswordPolicy(password, {})).toEqual([]);
    });
  });

  describe('CONTAINS_EMAIL', () => {
    it('flags the local part anywhere in the password, whatever its case', () => {
      expect(checkPasswordPolicy('Xx-Alice.Martin-99', { email: 'alice.martin@example.fr' })).toEqual(['CONTAINS_EMAIL']);
    });

    it('flags the base of a plus-addressed local part', () => {
      expect(checkPasswordPolicy('Bob.Leroy-2024!', { email: 'bob.leroy+sillage@example.fr' })).toEqual(['CONTAINS_EMAIL']);
    });

    it('ignores local parts shorter than 4 characters, which would match by accident', () => {
      expect(checkPasswordPolicy('Jo-Trombone-42', { email: 'jo@example.fr' })).toEqual([]);
      expect(checkPasswordPolicy('Jean-Trombone-42', { email: 'jean@example.fr' })).toEqual(['CONTAINS_EMAIL']);
    });

    it('does not flag the domain', () => {
      expect(checkPasswordPolicy('Example-Velours-42', { email: 'alice@example.fr' })).toEqual([]);
    });
  });

  describe('COMMON', () => {
    it.each([['Password123!'], ['AZERTY2024!!!'], ['Soleil123456789'], ['P@ssw0rd2024!'], ['MotDePasse-2024'], ['Sillage2025!!']])(
      'flags %p as a common password with digits and symbols appended',
      (password) => {
        expect(checkPasswordPolicy(password, {})).toEqual(['COMMON']);
      },
    );

    it('flags a common password on its own, alongside its other problems', () => {
      expect(checkPasswordPolicy('azerty', {})).toEqual(['TOO_SHORT', 'TOO_FEW_CLASSES', 'COMMON']);
      expect(checkPasswordPolicy('123456789', {})).toEqual(['TOO_SHORT', 'TOO_FEW_CLASSES', 'COMMON']);
    });

    it('only strips trailing characters: a common word inside a longer password is fine', () => {
      expect(checkPasswordPolicy('Azerty-Velours-42', {})).toEqual([]);
      expect(checkPasswordPolicy('123!Password-X', {})).toEqual([]);
    });
  });

  it('reports every violation at once, in a fixed order', () => {
    expect(checkPasswordPolicy('alice', { email: 'alice@example.fr' })).toEqual(['TOO_SHORT', 'TOO_FEW_CLASSES', 'CONTAINS_EMAIL']);
    expect(checkPasswordPolicy('password', { email: 'password@example.fr' })).toEqual([
      'TOO_SHORT',
      'TOO_FEW_CLASSES',
      'CONTAINS_EMAIL',
      'COMMON',
    ]);
  });

  it('exposes every code it can return, for API documentation', () => {
    expect([...PASSWORD_POLICY_VIOLATIONS]).toEqual(['TOO_SHORT', 'TOO_LONG', 'TOO_FEW_CLASSES', 'CONTAINS_EMAIL', 'COMMON']);
  });
});
