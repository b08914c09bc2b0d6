import type { BankEntry, BankTransaction } from '../bank-statements/types';
import type { PayoutStatus } from '../payouts/payout.entity';
import type { EntryOutcome } from './bank-statement-import.entity';

/** The payout an end-to-end id names, as the import sees it (updated as the file's transactions apply). */
export interface PayoutState {
  id: string;
  reference: string;
  siteId: string;
  status: PayoutStatus;
  amountCents: number;
}

/** What to do with one transaction: an outcome, and the payout change it makes (`pay`, `reject`, `return`) if any. */
export interface Decision {
  outcome: EntryOutcome;
  action: 'pay' | 'reject' | 'return' | null;
  note: string | null;
}

/** The amount a transaction moved: its own, or its entry's when it is the entry's only transaction. */
export function transactionAmount(entry: BankEntry, tx: BankTransaction | null): number | null {
  if (tx?.amountCents != null) return tx.amountCents;
  return entry.transactions.length <= 1 ? entry.amountCents : null;
}

/**
 * A transaction gives a payout back only when it carries `RtrInf` (whatever its entry's direction). A
 * credit reversal (`RvslInd`) without it may cancel a duplicate booking of a payout that was paid
 * once: treating it as a return would release the statements and pay the site twice, so it is left
 * for review (`conflict`).
 */
export function isReturn(_entry: BankEntry, tx: BankTransaction | null): boolean {
  return tx?.returned ?? false;
}

const euros = (cents: number | null): string => (cents === null ? 'no amount' : `${(cents / 100).toFixed(2)} €`);

/**
 * The reconciliation rules, for one transaction of an entry (`tx` null: an entry without details),
 * given the payout its end-to-end id names (`payout` undefined: none). Only booked entries apply;
 * a payout changes only from `pending` (to `paid` or `rejected`) or from `paid` (to `returned`), and
 * only when the amount is exactly the payout's: anything else changes nothing and is either already
 * done or listed for review.
 */
export function decide(entry: BankEntry, tx: BankTransaction | null, payout: PayoutState | undefined): Decision {
  const review = (outcome: EntryOutcome, note: string): Decision => ({ outcome, action: null, note });
  if (entry.status !== 'BOOK') return review('not_booked', `entry status ${entry.status}: not booked, nothing applied`);
  const endToEndId = tx?.endToEndId ?? null;
  if (endToEndId === null) return review('unmatched', 'no end-to-end id (NOTPROVIDED): to be matched by hand');
  if (!payout) return review('unmatched', `no payout has the reference ${endToEndId}`);
  const amount = transactionAmount(entry, tx);
  const mismatch = amount !== payout.amountCents;
  const mismatchNote = `${euros(amount)} booked for payout ${payout.reference} of ${euros(payout.amountCents)}`;

  if (isReturn(entry, tx)) {
    if (payout.status === 'rejected' || payout.status === 'returned') {
      return review('already_applied', `payout ${payout.reference} is already ${payout.status}`);
    }
    if (mismatch) return review('amount_mismatch', `return of ${mismatchNote}`);
    return payout.status === 'pending'
      ? { outcome: 'rejected', action: 'reject', note: null }
      : { outcome: 'returned', action: 'return', note: null };
  }
  if (entry.direction === 'credit' || entry.reversal) {
    return review(
      'conflict',
      `a ${entry.direction}${entry.reversal ? ' reversal' : ''} with payout ${payout.reference}'s reference but no return information`,
    );
  }
  if (payout.status === 'paid' || payout.status === 'returned') {
    return review('already_applied', `payout ${payout.reference} is already ${payout.status}`);
  }
  if (payout.status === 'rejected') {
    return review('conflict', `payout ${payout.reference} was rejected, yet the bank booked it: to be checked with the bank`);
  }
  if (mismatch) return review('amount_mismatch', mismatchNote);
  return { outcome: 'paid', action: 'pay', note: null };
}
