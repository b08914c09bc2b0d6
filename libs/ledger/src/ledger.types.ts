/**
 * The chart of accounts (docs/ledger.md) and the ledger's value types. Amounts are integer cents
 * (safe integers in JavaScript, bigint in PostgreSQL).
 */
export const ACCOUNT_KINDS = [
  'funder_received',
  'funder_available',
  'order_outstanding',
  'order_receivable',
  'site_payable',
  'bank_in_flight',
  'fees',
  'restitution_payable',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface AccountFlags {
  debitsMustNotExceedCredits: boolean;
  creditsMustNotExceedDebits: boolean;
}

export type AccountScope = 'platform' | 'organisation' | 'order';

/** Chart code, scope and default flags per kind. */
const CREDIT_NORMAL: AccountFlags = { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false };
const DEBIT_NORMAL: AccountFlags = { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: true };
const UNCONSTRAINED: AccountFlags = { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: false };

/** Chart code, scope and default flags per kind (docs/ledger.md explains each with worked examples). */
export const CHART: Record<AccountKind, { code: number; scope: AccountScope; flags: AccountFlags }> = {
  /** Per funder: money received from it (debit-normal control account: debited when a payment arrives). */
  funder_received: { code: 101, scope: 'organisation', flags: DEBIT_NORMAL },
  /** Per funder: received money not yet committed to an order or fee (never negative). */
  funder_available: { code: 201, scope: 'organisation', flags: CREDIT_NORMAL },
  /** Per order: face value of activated vouchers not yet redeemed, expired or replaced (never negative). */
  order_outstanding: { code: 301, scope: 'order', flags: CREDIT_NORMAL },
  /**
   * Per order: accepted incidents paid to sites beyond the order's vouchers (debited by the statement
   * that pays them), owed back by the order (credited by the deduction on its credit note; what no
   * credit note could deduct is invoiced to the funder). Either may come first, so it is unconstrained:
   * a debit balance is owed by the funder, a credit balance is deducted but not yet paid to the site.
   */
  order_receivable: { code: 302, scope: 'order', flags: UNCONSTRAINED },
  /** Per site: owed to the site for redeemed vouchers until paid (never negative). */
  site_payable: { code: 401, scope: 'organisation', flags: CREDIT_NORMAL },
  /** Platform: payouts sent to the bank (pending) and confirmed paid (posted). */
  bank_in_flight: { code: 501, scope: 'platform', flags: UNCONSTRAINED },
  /** Platform: fees earned. */
  fees: { code: 601, scope: 'platform', flags: CREDIT_NORMAL },
  /** Platform: expired face value owed back to funders through credit notes. */
  restitution_payable: { code: 701, scope: 'platform', flags: CREDIT_NORMAL },
};

export interface LedgerAccount {
  id: string;
  code: number;
  kind: AccountKind;
  ownerOrganisationId: string | null;
  orderId: string | null;
  currency: string;
  flags: AccountFlags;
  createdAt: Date;
}

export interface OpenAccountInput {
  kind: AccountKind;
  ownerOrganisationId?: string | null;
  orderId?: string | null;
  currency?: string;
  /** Defaults to the chart's flags for the kind. */
  flags?: AccountFlags;
}

export type TransferKind = 'single' | 'pending' | 'post_pending' | 'void_pending';

export interface TransferReference {
  /** e.g. 'order', 'voucher_range', 'redemption', 'statement', 'payout'. */
  type: string;
  id: string;
}

export type UserData = Record<string, string | number | boolean | null>;

export interface TransferInput {
  /** Client- or job-generated UUID: the idempotency key. */
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  /** Cents, a safe integer > 0. */
  amount: number;
  /** Defaults to the accounts' currency; must match both. */
  currency?: string;
  /** Business time; defaults to now. */
  eventAt?: Date;
  reference?: TransferReference;
  /** Ids and codes only, never personal data. */
  userData?: UserData;
}

export interface ResolveInput {
  id: string;
  /** Post only: cents ≤ the pending amount (the rest is released); defaults to the whole amount. */
  amount?: number;
  eventAt?: Date;
  reference?: TransferReference;
  userData?: UserData;
}

export interface LedgerTransfer {
  id: string;
  seq: number;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  currency: string;
  pendingId: string | null;
  pendingAmount: number | null;
  eventAt: Date;
  createdAt: Date;
  reference: TransferReference | null;
  userData: UserData;
}

export interface Balance {
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

export const ZERO_BALANCE: Balance = { debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 };

/** Effect of one transfer row on its debit and credit accounts (pure: the row alone decides). */
export function effectOf(t: Pick<LedgerTransfer, 'kind' | 'amount' | 'pendingAmount'>): { posted: number; pending: number } {
  switch (t.kind) {
    case 'single':
      return { posted: t.amount, pending: 0 };
    case 'pending':
      return { posted: 0, pending: t.amount };
    case 'post_pending':
      return { posted: t.amount, pending: -(t.pendingAmount ?? 0) };
    case 'void_pending':
      return { posted: 0, pending: -(t.pendingAmount ?? 0) };
  }
}

/** True when the balance respects the flags (TigerBeetle: pending debits count against credits). */
export function respectsFlags(b: Balance, flags: AccountFlags): boolean {
  if (flags.debitsMustNotExceedCredits && b.debitsPosted + b.debitsPending > b.creditsPosted) return false;
  if (flags.creditsMustNotExceedDebits && b.creditsPosted + b.creditsPending > b.debitsPosted) return false;
  return true;
}
