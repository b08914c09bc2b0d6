import { Foundation1795824210240 } from './1795824210240-Foundation';

/** Every migration, in order. Generated files are reviewed, then registered here. */
export const allMigrations = [Foundation1795824210240];
