import { SITE_STATUSES } from '../profiles/site-profile.entity';
import { checkDecision } from './qualification.service';
import { canDecide, OPERATOR_DECISIONS } from './qualification-rules';

describe('qualification rules', () => {
  it('allows exactly the transitions of the life cycle', () => {
    const allowed = SITE_STATUSES.flatMap((from) => OPERATOR_DECISIONS.filter((d) => canDecide(from, d)).map((d) => `${from}→${d}`));
    expect(allowed.sort()).toEqual(
      [
        'applied→qualified',
        'qualified→qualified',
        'qualified→suspended',
        'suspended→qualified',
        'applied→revoked',
        'qualified→revoked',
        'suspended→revoked',
      ].sort(),
    );
  });

  const label = { labelName: 'Lieu labellisé', labelValidFrom: '2026-01-01', labelValidUntil: '2026-12-31' };

  it('wants a label with an ordered range that is not over on a qualified decision', () => {
    expect(checkDecision({ decision: 'qualified', reasonCode: 'application_accepted', ...label }, '2026-06-01')).toEqual(label);
    // a one-day label, ending today, is fine
    const oneDay = { ...label, labelValidFrom: '2026-06-01', labelValidUntil: '2026-06-01' };
    expect(checkDecision({ decision: 'qualified', reasonCode: 'label_renewed', ...oneDay }, '2026-06-01')).toEqual(oneDay);
    const codes = (input: object, today = '2026-06-01') => {
      try {
        checkDecision({ decision: 'qualified', reasonCode: 'application_accepted', ...input }, today);
        return 'accepted';
      } catch (e) {
        return `${(e as { code: string }).code} ${(e as { options: { field?: string } }).options.field}`;
      }
    };
    expect(codes({ ...label, labelValidUntil: '2025-12-31' })).toBe('LABEL_RANGE_INVALID labelValidUntil');
    expect(codes(label, '2027-01-01')).toBe('LABEL_RANGE_INVALID labelValidUntil');
    expect(codes({ labelName: 'x', labelValidUntil: '2026-12-31' })).toBe('LABEL_RANGE_INVALID labelValidFrom');
    expect(codes({})).toBe('LABEL_RANGE_INVALID labelName');
  });

  it('refuses a reason of another decision, and a label on other decisions', () => {
    expect(() => checkDecision({ decision: 'suspended', reasonCode: 'application_accepted' })).toThrow(/not a reason for a suspended/);
    expect(() => checkDecision({ decision: 'revoked', reasonCode: 'site_closed', labelName: 'x' })).toThrow(/only a qualified decision/);
    expect(checkDecision({ decision: 'revoked', reasonCode: 'site_closed' })).toBeUndefined();
  });
});
