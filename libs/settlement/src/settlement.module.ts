import { Module } from '@nestjs/common';
import { LedgerModule } from '@sillage/ledger';
import { CreditNotesController, EXPIRY_PROVIDERS } from './expiry';
import { CorrectionsController } from './corrections/corrections.controller';
import { CorrectionsService } from './corrections/corrections.service';
import { PAYOUT_PROVIDERS, PayoutsController } from './payouts';
import { BankStatementsController, RECONCILIATION_PROVIDERS } from './reconciliation';
import { SettlementRunJob } from './jobs/settlement-run.job';
import { SettlementScheduleJob } from './jobs/settlement-schedule.job';
import { PricingRulesService } from './pricing/pricing-rules.service';
import { SettlementRunner } from './runs/settlement-runner';
import { SettlementRunsService } from './runs/settlement-runs.service';
import { SettlementController } from './settlement.controller';
import { StatementsService } from './statements/statements.service';

/** Settlement (issue 7): pricing rules, runs, statements and corrections, payouts and SEPA batches, bank statements, expiry and credit notes. */
@Module({
  imports: [LedgerModule],
  controllers: [SettlementController, CreditNotesController, PayoutsController, BankStatementsController, CorrectionsController],
  providers: [
    PricingRulesService,
    SettlementRunner,
    SettlementRunsService,
    StatementsService,
    SettlementRunJob,
    SettlementScheduleJob,
    ...EXPIRY_PROVIDERS,
    ...PAYOUT_PROVIDERS,
    CorrectionsService,
    ...RECONCILIATION_PROVIDERS,
  ],
  exports: [SettlementRunner, SettlementRunsService],
})
export class SettlementModule {}
