export * from './settlement.errors';
export * from './settlement.module';
export * from './runs/settlement-runner';
export * from './runs/settlement-runs.service';
export * from './pricing/pricing-rules.service';
export * from './statements/statements.service';
export * from './sepa';
export * from './bank-statements';
export { isSettlementDay, SettlementScheduleJob } from './jobs/settlement-schedule.job';
