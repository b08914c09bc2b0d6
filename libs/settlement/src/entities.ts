import { CreditNoteEntity, CreditNoteIncidentEntity } from './credit-notes/credit-note.entity';
import { SettlementCorrectionEntity } from './corrections/settlement-correction.entity';
import { PayoutBatchEntity } from './payouts/payout-batch.entity';
import { PayoutEntity, PayoutStatementEntity } from './payouts/payout.entity';
import { BankStatementEntryEntity, BankStatementImportEntity } from './reconciliation/bank-statement-import.entity';
import { PricingRuleEntity } from './pricing/pricing-rule.entity';
import { SettlementRunEntity } from './runs/settlement-run.entity';
import { SettlementStatementEntity, SettlementStatementLineEntity } from './statements/statement.entity';

export const settlementEntities = [
  PricingRuleEntity,
  SettlementRunEntity,
  SettlementStatementEntity,
  SettlementStatementLineEntity,
  PayoutEntity,
  PayoutStatementEntity,
  PayoutBatchEntity,
  CreditNoteEntity,
  CreditNoteIncidentEntity,
  BankStatementImportEntity,
  BankStatementEntryEntity,
  SettlementCorrectionEntity,
];
