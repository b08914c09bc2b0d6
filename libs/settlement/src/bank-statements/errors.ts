/** Why a bank statement file is refused. */
export type BankStatementErrorCode =
  | 'TOO_LARGE'
  | 'INVALID_ENCODING'
  | 'DOCTYPE_FORBIDDEN'
  | 'NOT_XML'
  | 'NOT_CAMT053'
  | 'UNSUPPORTED_VERSION'
  | 'NO_STATEMENT'
  | 'MULTIPLE_STATEMENTS'
  | 'INVALID_STATEMENT'
  | 'INVALID_ENTRY'
  | 'INVALID_AMOUNT'
  | 'WRONG_CURRENCY'
  | 'INVALID_CSV';

/**
 * A statement file refused as a whole: nothing of it is returned, so an import never applies half a
 * file. `message` says where (entry, transaction or CSV line) and why; `line` is the 1-based CSV line.
 */
export class BankStatementError extends Error {
  constructor(
    readonly code: BankStatementErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'BankStatementError';
  }
}
