import { InvoiceIssuer } from '@sillage/funding';
import { CreditNoteIssuedJob } from '../credit-notes/credit-note-email.job';
import { CreditNoteIssuer } from '../credit-notes/credit-note-issuer';
import { CreditNotesService } from '../credit-notes/credit-notes.service';
import { SettlementExpireJob } from './expiry.job';
import { VoucherExpiry } from './voucher-expiry';

export { CreditNotesController } from '../credit-notes/credit-notes.controller';
export { SettlementExpireJob } from './expiry.job';
export { VoucherExpiry } from './voucher-expiry';
export type { ExpiryResult } from './voucher-expiry';

/**
 * Expiry and credit notes (issue 7). The funding module's `InvoiceIssuer` is provided here too (it
 * is stateless): credit notes and incident invoices take their numbers and documents from it.
 */
export const EXPIRY_PROVIDERS = [
  InvoiceIssuer,
  CreditNoteIssuer,
  CreditNotesService,
  CreditNoteIssuedJob,
  VoucherExpiry,
  SettlementExpireJob,
];
