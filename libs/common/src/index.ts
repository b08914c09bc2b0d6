export * from './domain-error';
export * from './pagination';
export * from './clock';
export * from './secrets';
export * from './validation';
export * from './mail';
export * from './page-query.dto';
export * from './http-docs';
