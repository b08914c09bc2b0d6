export { renderStatementPdf, StatementPdfError } from './statement-pdf';
export { loadStatementPdfDocument } from './statement-pdf-source';
export type {
  StatementPdfDocument,
  StatementPdfLine,
  StatementPdfParty,
  StatementPdfAccount,
  StatementPdfStatus,
} from './statement-pdf-types';
