import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * Data source for the TypeORM CLI (`npm run db:migration:generate -- Name`), run against the build.
 * It connects as the owner role.
 */
const url = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL;
if (!url) {
  throw new Error('Set DATABASE_OWNER_URL (or DATABASE_URL) to a PostgreSQL database to generate migrations against');
}
export default new DataSource(dataSourceOptions(url, { poolSize: 2, applicationName: 'sillage-cli' }));
