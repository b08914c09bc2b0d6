export * from './data-source-options';
export * from './transaction';
export * from './grants';
export * from './migrate';
export * from './db.module';
export * from './snake-naming.strategy';
