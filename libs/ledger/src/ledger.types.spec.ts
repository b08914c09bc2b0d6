import { CHART, effectOf, respectsFlags, ZERO_BALANCE } from './ledger.types';

describe('ledger value rules', () => {
  it('gives each transfer kind its effect on posted and pending sums', () => {
    expect(effectOf({ kind: 'single', amount: 500, pendingAmount: null })).toEqual({ posted: 500, pending: 0 });
    expect(effectOf({ kind: 'pending', amount: 500, pendingAmount: null })).toEqual({ posted: 0, pending: 500 });
    // A partial post moves 300 and releases the whole pending 500.
    expect(effectOf({ kind: 'post_pending', amount: 300, pendingAmount: 500 })).toEqual({ posted: 300, pending: -500 });
    expect(effectOf({ kind: 'void_pending', amount: 500, pendingAmount: 500 })).toEqual({ posted: 0, pending: -500 });
  });

  it('counts pending debits against credits (TigerBeetle semantics)', () => {
    const flags = { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false };
    expect(respectsFlags({ ...ZERO_BALANCE, creditsPosted: 100, debitsPosted: 60, debitsPending: 40 }, flags)).toBe(true);
    expect(respectsFlags({ ...ZERO_BALANCE, creditsPosted: 100, debitsPosted: 60, debitsPending: 41 }, flags)).toBe(false);
    // Pending credits do not count: only posted credits back a debit.
    expect(respectsFlags({ ...ZERO_BALANCE, creditsPending: 100, debitsPosted: 1 }, flags)).toBe(false);
    const mirror = { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: true };
    expect(respectsFlags({ ...ZERO_BALANCE, debitsPosted: 10, creditsPending: 11 }, mirror)).toBe(false);
    expect(respectsFlags({ ...ZERO_BALANCE, debitsPosted: 10, creditsPosted: 10 }, mirror)).toBe(true);
  });

  it('keeps chart codes unique and never constrains an account on both sides', () => {
    const codes = Object.values(CHART).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of Object.values(CHART)) expect(c.flags.debitsMustNotExceedCredits && c.flags.creditsMustNotExceedDebits).toBe(false);
  });
});
