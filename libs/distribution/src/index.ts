export * from './distribution.errors';
export * from './distribution.module';
export * from './categories/special-categories';
