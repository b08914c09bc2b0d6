export * from './ledger.errors';
export * from './ledger.types';
export * from './ledger';
export * from './ledger-checker';
export * from './ledger-snapshotter';
export { SqlRunner, BARRIER_LOCK_CLASS } from './ledger-sql';
export * from './ledger.module';
export { LedgerDailyCheckJob } from './jobs/ledger-daily-check.job';
