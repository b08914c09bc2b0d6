export * from './config';
export * from './config.module';
export * from './nest-logger';
