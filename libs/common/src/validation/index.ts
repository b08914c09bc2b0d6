export * from './siren';
export * from './insee-commune';
export * from './decorators';
export * from './validation-problems';
export * from './fast-body-check';
export * from './date-time-with-offset';
