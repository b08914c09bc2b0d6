import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@sillage/audit';
import { DomainError } from '@sillage/common';
import { AppConfig, ConfigError, ConfigModule, loadConfig } from '@sillage/config';
import { DbModule, runMigrations } from '@sillage/db';
import {
  DEFAULT_OPERATOR_ADMIN_DISPLAY_NAME,
  DEFAULT_OPERATOR_ORGANISATION,
  OperatorBootstrapService,
  setPasswordLink,
} from '@sillage/identity';
import { parseArgs } from 'node:util';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../libs/db/src/embedded';
import { OperatorBootstrapModule } from '../libs/identity/src/auth/operator-bootstrap.module';

const d = DEFAULT_OPERATOR_ORGANISATION;
export const CLI_HELP = `Usage: npm run cli -- <command> [options]

Commands:
  create-operator-admin   Create the operator organisation (if there is none yet) and its first admin.

create-operator-admin options:
  --email <email>           the admin's email (required)
  --password <password>     the admin's password (12+ characters, 3 character classes, not common).
                            Without it the admin is invited and a one-time set-password link is
                            printed (recommended: a password given here stays in your shell history).
  --display-name <name>     the admin's display name (default "${DEFAULT_OPERATOR_ADMIN_DISPLAY_NAME}")
  Operator organisation, used only when it does not exist yet:
  --legal-name <name>       legal name (default "${d.legalName}")
  --siren <9 digits>        SIREN, Luhn-checked (default ${d.siren}, a placeholder: set the real one)
  --siret <14 digits>       head-office SIRET, optional (must start with the SIREN)
  --address <line>          street address (default "${d.addressLine}")
  --postcode <5 digits>     postcode (default ${d.postcode})
  --commune <INSEE code>    official INSEE commune code (default ${d.communeCode}, Paris)
  -h, --help                show this help

Connects to DATABASE_URL. Without DATABASE_URL it opens the embedded database under DATA_DIR, which
only one process may use: stop \`npm start\` first. Fails (exit 1) if the operator already has an admin.
`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
}

@Module({})
class CliModule {}

async function withBootstrapService<T>(config: AppConfig, work: (service: OperatorBootstrapService) => Promise<T>): Promise<T> {
  let embedded: EmbeddedPostgres | undefined;
  if (!config.database.url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.database.embeddedDataDir, port: 0 });
    await runMigrations(embedded.url, { useLock: false });
    config = { ...config, database: { ...config.database, url: embedded.url, ownerUrl: embedded.url } };
  }
  try {
    const app = await NestFactory.createApplicationContext(
      { module: CliModule, imports: [ConfigModule.forRoot(config), DbModule.forRoot(), AuditModule, OperatorBootstrapModule] },
      { logger: false, abortOnError: false },
    );
    try {
      return await work(app.get(OperatorBootstrapService));
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}

/** Runs one CLI command; returns the process exit code (0 done, 1 refused or failed, 2 bad usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        'display-name': { type: 'string' },
        'legal-name': { type: 'string' },
        siren: { type: 'string' },
        siret: { type: 'string' },
        address: { type: 'string' },
        postcode: { type: 'string' },
        commune: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${CLI_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(CLI_HELP);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'create-operator-admin') {
    io.err(`${positionals.length === 0 ? 'no command given' : `unknown command: ${positionals.join(' ')}`}\n\n${CLI_HELP}`);
    return 2;
  }
  if (!values.email) {
    io.err(`--email is required\n\n${CLI_HELP}`);
    return 2;
  }

  let config: AppConfig;
  try {
    config = loadConfig({ ...io.env, LOG_LEVEL: 'silent' });
  } catch (e) {
    io.err(`${e instanceof ConfigError ? e.message : String(e)}\n`);
    return 1;
  }
  try {
    const result = await withBootstrapService(config, (service) =>
      service.createOperatorAdmin({
        email: values.email!,
        password: values.password,
        displayName: values['display-name'],
        organisation: {
          legalName: values['legal-name'],
          siren: values.siren,
          siret: values.siret,
          addressLine: values.address,
          postcode: values.postcode,
          communeCode: values.commune,
        },
      }),
    );
    io.out(
      result.organisationCreated
        ? `Created the operator organisation ${result.organisationId}.\n`
        : `Using the existing operator organisation ${result.organisationId}.\n`,
    );
    io.out(`Created the operator admin ${result.userId}${result.setPasswordToken ? ' (invited)' : ''}.\n`);
    if (result.setPasswordToken) {
      const hours = Math.round(config.auth.setPasswordTokenTtlSeconds / 3600);
      io.out(
        `One-time set-password link, valid ${hours} h — hand it to the admin:\n  ${setPasswordLink(config.http.publicBaseUrl, result.setPasswordToken)}\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof DomainError) {
      const details = e.options.errors?.map((p) => `  - ${p.field}: ${p.code} (${p.message})`).join('\n');
      io.err(`${e.code}: ${e.message}${details ? `\n${details}` : ''}\n`);
      return 1;
    }
    io.err(`failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    env: process.env,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
