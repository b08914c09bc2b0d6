import { totpRequired } from './totp-policy';

describe('totpRequired', () => {
  const at = new Date('2026-01-01T00:00:00Z');

  it.each([
    [['operator'], 'viewer'],
    [['operator'], 'dpo'],
    [['operator'], 'agent'],
    [['funder'], 'admin'],
    [['site'], 'finance'],
    [['distributor', 'site'], 'admin'],
  ] as const)('is required for %p %s', (kinds, role) => {
    expect(totpRequired({ organisationKinds: [...kinds], role, totpEnabledAt: null })).toBe(true);
  });

  it.each([
    [['funder'], 'agent'],
    [['distributor'], 'viewer'],
    [['site'], 'agent'],
  ] as const)('is optional for %p %s', (kinds, role) => {
    expect(totpRequired({ organisationKinds: [...kinds], role, totpEnabledAt: null })).toBe(false);
  });

  it('is required once enrolled voluntarily', () => {
    expect(totpRequired({ organisationKinds: ['site'], role: 'agent', totpEnabledAt: at })).toBe(true);
  });
});
