export { parseBankCsv } from './bank-csv';
export { CAMT053_NAMESPACE, parseCamt053 } from './camt053';
export { decimalToCents, MAX_STATEMENT_BYTES } from './amount';
export { BankStatementError } from './errors';
export type { BankStatementErrorCode } from './errors';
export { statementFingerprint } from './fingerprint';
export type { BankEntry, BankTransaction, EntryDirection, ParsedBankStatement } from './types';
