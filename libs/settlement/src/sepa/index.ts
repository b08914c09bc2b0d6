export { buildPain001, PAIN_001_001_09_NAMESPACE } from './pain001';
export { buildPayoutCsv, PAYOUT_CSV_HEADER } from './payout-csv';
export { formatAmount, MAX_SEPA_AMOUNT_CENTS } from './money-format';
export { SepaFileError, type SepaFileErrorCode } from './sepa-file.errors';
export type { Party, PayoutBatchFile, PayoutInstruction, PostalAddress } from './types';
