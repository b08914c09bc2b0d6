import 'reflect-metadata';
import { loadConfig } from '@sillage/config';
import { createApiApp } from './create-app';

/** The API process. `npm start` runs migrations first (scripts/start), then this. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen({ host: config.http.host, port: config.http.port });
  const mode = `database: ${config.database.mode}, jobs: ${config.redis.mode === 'redis' ? 'Redis (BullMQ)' : 'in-process'}`;
  process.stdout.write(`Sillage API listening on ${config.http.publicBaseUrl} (${mode}); API docs at ${config.http.publicBaseUrl}/docs\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
