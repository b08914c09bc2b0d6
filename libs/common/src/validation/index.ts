export * from './siren';
export * from './insee-commune';
export * from './decorators';
export * from './validation-problems';
