export * from './funding.errors';
export * from './funding.module';
export * from './shared/validation';
