export * from './test-env';
export * from './test-database';
export * from './test-config';
export * from './test-app';
export * from './directory-fixtures';
export * from './identity-fixtures';
export * from './seeded-random';
export * from './pdf-text';
