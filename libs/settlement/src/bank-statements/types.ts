/** One payment inside a booked entry (camt `NtryDtls/TxDtls`; one per CSV line). */
export interface BankTransaction {
  /** `Refs/EndToEndId`; `NOTPROVIDED` (or absent) → null. On a return, the returned payout's id. */
  endToEndId: string | null;
  /** `TxDtls/Amt` in cents; null when the bank gave no per-transaction amount. */
  amountCents: number | null;
  /** `RtrInf/Rsn/Cd` (or `Rsn/Prtry`), e.g. `AC04`; null when none is given. */
  returnReason: string | null;
  /** `Refs/InstrId`. */
  instructionId: string | null;
  /** `RtrInf` is present: this transaction gives back an earlier payment, even when no reason is given. */
  returned: boolean;
}

export type EntryDirection = 'debit' | 'credit';

/** One booked (or pending, or information) movement on the account (camt `Ntry`). */
export interface BankEntry {
  /** `Ntry/NtryRef`. */
  entryRef: string | null;
  /** `BookgDt/Dt`, or the date part of `BookgDt/DtTm` (as the bank wrote it), `YYYY-MM-DD`. */
  bookingDate: string | null;
  /** `Ntry/Amt` in integer cents (never negative: the direction carries the sign). */
  amountCents: number;
  /** `Amt/@Ccy`; always `EUR` (anything else is refused). */
  currency: string;
  direction: EntryDirection;
  /** `RvslInd` true: this entry cancels an earlier one. */
  reversal: boolean;
  /** `Sts/Cd` (`BOOK`, `PDNG`, `INFO`) or `Sts/Prtry`. */
  status: string;
  transactions: BankTransaction[];
}

export interface ParsedBankStatement {
  /** `Stmt/Id`; for a CSV export `csv:` + the SHA-256 of its text. */
  statementId: string;
  accountIban: string | null;
  /** `Stmt/Acct/Ccy` when given. */
  currency: string | null;
  /** `Stmt/CreDtTm`, else `GrpHdr/CreDtTm`, as written. */
  createdAt: string | null;
  entries: BankEntry[];
}
