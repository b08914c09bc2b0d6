/** A structured postal address (EPC: structured addresses only from November 2026). */
export interface PostalAddress {
  streetName?: string;
  buildingNumber?: string;
  postCode: string;
  townName: string;
  /** ISO 3166 alpha-2, upper case. */
  country: string;
}

/** An account holder: the operator (debtor) or a field site (creditor). */
export interface Party {
  name: string;
  /** Any usual form: spaces and lower case are accepted and written in electronic form. */
  iban: string;
  bic?: string;
  address: PostalAddress;
}

export interface PayoutInstruction {
  /** The payout reference, written as `EndToEndId`: ≤ 35 characters of the SEPA identifier set. */
  endToEndId: string;
  /** Positive safe integer, at most 99,999,999,999 (999,999,999.99 €). */
  amountCents: number;
  creditor: Party;
  /** Unstructured remittance information; reduced to the SEPA character set and cut to 140. */
  remittance: string;
}

export interface PayoutBatchFile {
  /** `GrpHdr/MsgId`: ≤ 35 characters of the SEPA identifier set. */
  messageId: string;
  createdAt: Date;
  /** `YYYY-MM-DD`. */
  requestedExecutionDate: string;
  /** The operator's account. */
  debtor: Party;
  /** `PmtInf/PmtInfId`: ≤ 35 characters of the SEPA identifier set. */
  paymentInformationId: string;
  /** At least one. */
  payments: PayoutInstruction[];
}
