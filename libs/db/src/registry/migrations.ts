/** Every migration in order. A migration, once landed, is never edited: add a new one. */
export { allMigrations } from '../../../../migrations';
