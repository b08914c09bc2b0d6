export * from './funding.errors';
export * from './funding.module';
export * from './shared/validation';
export { pdfSafe } from './invoices/documents/text-safety';
export * as pdfLayout from './invoices/documents/pdf-layout';
export { InvoiceIssuer } from './invoices/invoice-issuer';
export { renderInvoicePdf, renderUbl } from './invoices/documents';
export type { InvoiceDocument, InvoiceLine } from './invoices/documents';
