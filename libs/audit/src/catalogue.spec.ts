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

  it('versions every action', () => {
    for (const [action, schema] of Object.entries(AUDIT_CATALOGUE)) expect({ action, v: schema.version }).toEqual({ action, v: 1 });
  });
});
