export * from './print-types';
export { renderPrintPdf } from './print-pdf';
export type { PrintPdfResult } from './print-pdf';
export { writePrintCsv, PRINT_CSV_HEADER, csvField, csvRecord } from './print-csv';
export { passPageLink, formatEuros, formatFrenchDate } from './print-format';
export {
  expectedPageCount,
  bookletPageCount,
  CHEQUES_PER_PAGE,
  chequeQrBox,
  COVER_QR_BOX,
  A4_WIDTH,
  A4_HEIGHT,
} from './print-layout';
export type { Box } from './print-layout';
export { measurePrintThroughput } from './print-throughput';
export type { PrintThroughput } from './print-throughput';
export { toWinAnsi } from './win-ansi-text';
