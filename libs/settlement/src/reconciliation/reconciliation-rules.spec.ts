import type { BankEntry, BankTransaction } from '../bank-statements/types';
import { decide, PayoutState } from './reconciliation-rules';

const REF = 'PAY-01JD0Q7Z5N3V4X2C8B6M9K1H0G';
const payout = (status: PayoutState['status'], amountCents = 2000): PayoutState => ({
  id: 'p',
  reference: REF,
  siteId: 's',
  status,
  amountCents,
});
const txn = (over: Partial<BankTransaction> = {}): BankTransaction => ({
  endToEndId: REF,
  amountCents: 2000,
  returnReason: null,
  instructionId: null,
  returned: false,
  ...over,
});
const entry = (over: Partial<BankEntry> = {}, transactions = [txn()]): BankEntry => ({
  entryRef: null,
  bookingDate: '2026-11-27',
  amountCents: 2000,
  currency: 'EUR',
  direction: 'debit',
  reversal: false,
  status: 'BOOK',
  transactions,
  ...over,
});
const outcome = (e: BankEntry, t: BankTransaction | null, p?: PayoutState) => {
  const d = decide(e, t, p);
  return [d.outcome, d.action];
};

describe('reconciliation rules', () => {
  it('a booked debit pays a pending payout at its amount only', () => {
    expect(outcome(entry(), txn(), payout('pending'))).toEqual(['paid', 'pay']);
    expect(outcome(entry(), txn({ amountCents: 1999 }), payout('pending'))).toEqual(['amount_mismatch', null]);
    expect(outcome(entry(), txn(), payout('paid'))).toEqual(['already_applied', null]);
    expect(outcome(entry(), txn(), payout('returned'))).toEqual(['already_applied', null]);
    expect(outcome(entry(), txn(), payout('rejected'))).toEqual(['conflict', null]);
  });

  it('a transaction without its own amount takes its entry’s only when it is the entry’s only one', () => {
    expect(outcome(entry({}, [txn({ amountCents: null })]), txn({ amountCents: null }), payout('pending'))).toEqual(['paid', 'pay']);
    const two = [txn({ amountCents: null }), txn({ endToEndId: 'OTHER', amountCents: null })];
    expect(outcome(entry({ amountCents: 4000 }, two), two[0], payout('pending'))).toEqual(['amount_mismatch', null]);
  });

  it('a return (RtrInf) rejects a pending payout and returns a paid one; a reversal without RtrInf is for review', () => {
    const back = entry({ direction: 'credit' });
    const rtr = txn({ returned: true, returnReason: 'AC04' });
    expect(outcome(back, rtr, payout('pending'))).toEqual(['rejected', 'reject']);
    expect(outcome(back, rtr, payout('paid'))).toEqual(['returned', 'return']);
    expect(outcome(back, rtr, payout('rejected'))).toEqual(['already_applied', null]);
    expect(outcome(back, txn({ returned: true, amountCents: 100 }), payout('paid'))).toEqual(['amount_mismatch', null]);
    // A credit reversal without RtrInf may cancel a duplicate booking of a payout paid once: never a return.
    expect(outcome(entry({ direction: 'credit', reversal: true }), txn(), payout('paid'))).toEqual(['conflict', null]);
    // RtrInf on a debit entry still gives the payout back.
    expect(outcome(entry(), rtr, payout('pending'))).toEqual(['rejected', 'reject']);
  });

  it('leaves for review what it cannot match, and never applies an entry that is not booked', () => {
    expect(outcome(entry(), txn({ endToEndId: null }), undefined)).toEqual(['unmatched', null]);
    expect(outcome(entry(), null, undefined)).toEqual(['unmatched', null]);
    expect(outcome(entry(), txn(), undefined)).toEqual(['unmatched', null]);
    expect(outcome(entry({ direction: 'credit' }), txn(), payout('paid'))).toEqual(['conflict', null]);
    expect(outcome(entry({ reversal: true }), txn(), payout('pending'))).toEqual(['conflict', null]);
    for (const status of ['PDNG', 'INFO']) expect(outcome(entry({ status }), txn(), payout('pending'))).toEqual(['not_booked', null]);
  });
});
