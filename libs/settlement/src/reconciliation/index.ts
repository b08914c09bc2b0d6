import { BankStatementImporter } from './bank-statement-importer';
import { BankStatementsService } from './bank-statements.service';

export { BANK_STATEMENT_MEDIA_TYPES, BANK_STATEMENTS_ROUTE, BankStatementsController } from './bank-statements.controller';
export { BankStatementImporter, BankStatementsService };

export const RECONCILIATION_PROVIDERS = [BankStatementsService, BankStatementImporter];
