import { AUDIT_CATALOGUE, catalogueProblem } from './catalogue';

describe('audit event catalogue', () => {
  it('accepts the facts each action is written with today', () => {
    expect(catalogueProblem('user.created', { organisationId: 'o', role: 'admin', status: 'invited' })).toBeUndefined();
    expect(catalogueProblem('user.created', { organisationId: 'o', role: 'admin' })).toBeUndefined();
    expect(catalogueProblem('organisation.created', { kinds: 'funder', funderType: null, communeCode: '69123' })).toBeUndefined();
    expect(catalogueProblem('auth.login_failed', {})).toBeUndefined();
    expect(catalogueProblem('auth.password_set', {})).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(catalogueProblem('voucher.eaten', {})).toMatch(/unknown audit action "voucher.eaten"/);
    expect(catalogueProblem('auth.logout', {})).toMatch(/needs fact "sessionFamilyId"/);
    expect(catalogueProblem('auth.logout', { sessionFamilyId: 3 })).toMatch(/"auth.logout.sessionFamilyId" must be string/);
    expect(catalogueProblem('auth.logout', { sessionFamilyId: 's', extra: 1 })).toMatch(/has no fact "extra"/);
    expect(
      catalogueProblem('user.updated', {
        organisationId: 'o',
        changed: 'role',
        roleFrom: 'a',
        roleTo: 'b',
        statusFrom: 'x',
        statusTo: 'y',
        revokedRefreshTokens: 1.5,
      }),
    ).toMatch(/must be integer/);
    expect(catalogueProblem('organisation.updated', { changed: 'c', kinds: 'k', communeCode: '1' })).toMatch(/needs fact "funderType"/);
    expect(catalogueProblem('toString', {})).toMatch(/unknown audit action/);
  });

  it('versions every action: 1, or 2 for the actions that gained the business dates reports read (issue 8)', () => {
    const v2 = [
      'grant.amended',
      'grant.created',
      'order.created',
      'order.paid',
      'policy.announcement_added',
      'programme.funding_source_added',
      'settlement.credit_note_issued',
      'order.payment_recorded',
      'settlement.payout_paid',
      'settlement.payout_rejected',
      'settlement.payout_returned',
      'contract.created',
      'programme.created',
      'programme.updated',
      'settlement.statement_issued',
      'settlement.payout_created',
    ];
    for (const [action, schema] of Object.entries(AUDIT_CATALOGUE)) {
      expect({ action, v: schema.version }).toEqual({ action, v: v2.includes(action) ? 2 : 1 });
    }
  });
});
