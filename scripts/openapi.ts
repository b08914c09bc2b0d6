import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppModule } from '../apps/api/src/app.module';
import { buildOpenApi } from '../apps/api/src/openapi/openapi';
import { loadConfig } from '../libs/config/src/config';

/**
 * `npm run openapi` writes openapi.json from the code; `npm run openapi:check` fails when the
 * committed file differs (CI). Preview mode scans controllers without connecting to anything.
 */
async function main(): Promise<void> {
  const config = loadConfig({ DATABASE_URL: 'postgres://preview@127.0.0.1/preview', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const text = `${JSON.stringify(buildOpenApi(app), null, 2)}\n`;
  const path = resolve(__dirname, '../../openapi.json');
  if (process.argv.includes('--check')) {
    const committed = readFileSync(path, 'utf8');
    if (committed !== text) {
      process.stderr.write('openapi.json is out of date: run `npm run build && npm run openapi` and commit it\n');
      process.exit(1);
    }
    process.stdout.write('openapi.json matches the code\n');
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
  await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
