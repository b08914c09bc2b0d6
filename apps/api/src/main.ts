import 'reflect-metadata';
import { AppConfig, loadConfig } from '@sillage/config';
import { OperatorBootstrapService, setPasswordLink } from '@sillage/identity';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from './create-app';

/** The API process. `npm start` runs migrations first (scripts/start), then this. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await bootstrapOperator(app, config);
  await app.listen({ host: config.http.host, port: config.http.port });
  const mode = `database: ${config.database.mode}, jobs: ${config.redis.mode === 'redis' ? 'Redis (BullMQ)' : 'in-process'}`;
  process.stdout.write(`Sillage API listening on ${config.http.publicBaseUrl} (${mode}); API docs at ${config.http.publicBaseUrl}/docs\n`);
}

/**
 * First start (docker-compose): with OPERATOR_ADMIN_EMAIL set and no operator organisation yet,
 * creates it and its admin (OPERATOR_ADMIN_PASSWORD, policy-checked; without one, a one-time
 * set-password link is printed). Does nothing once an operator exists. A refused password stops the
 * start with the rules it breaks.
 */
async function bootstrapOperator(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  let created;
  try {
    created = await app.get(OperatorBootstrapService).bootstrapFromConfig();
  } catch (e) {
    await app.close();
    throw new Error(`cannot create the operator admin from OPERATOR_ADMIN_EMAIL / OPERATOR_ADMIN_PASSWORD: ${(e as Error).message}`);
  }
  if (!created) return;
  process.stdout.write('Created the operator organisation and its first admin (OPERATOR_ADMIN_EMAIL).\n');
  if (created.setPasswordToken) {
    const link = setPasswordLink(config.http.publicBaseUrl, created.setPasswordToken);
    process.stdout.write(`No OPERATOR_ADMIN_PASSWORD: the admin chooses a password with this one-time link:\n  ${link}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
