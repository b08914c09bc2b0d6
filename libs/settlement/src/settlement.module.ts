import { Module } from '@nestjs/common';
import { LedgerModule } from '@sillage/ledger';
import { SettlementRunJob } from './jobs/settlement-run.job';
import { SettlementScheduleJob } from './jobs/settlement-schedule.job';
import { PricingRulesService } from './pricing/pricing-rules.service';
import { SettlementRunner } from './runs/settlement-runner';
import { SettlementRunsService } from './runs/settlement-runs.service';
import { SettlementController } from './settlement.controller';
import { StatementsService } from './statements/statements.service';

/** Settlement: pricing rules, runs and statements (issue 7; payouts, SEPA files, bank statements and expiry follow). */
@Module({
  imports: [LedgerModule],
  controllers: [SettlementController],
  providers: [PricingRulesService, SettlementRunner, SettlementRunsService, StatementsService, SettlementRunJob, SettlementScheduleJob],
  exports: [SettlementRunner, SettlementRunsService],
})
export class SettlementModule {}
