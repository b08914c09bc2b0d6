export * from './distribution.errors';
export * from './distribution.module';
export * from './categories/special-categories';
export { AGE_BANDS, AgeBand } from './handovers/handover.entity';
