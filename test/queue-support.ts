/**
 * Helpers shared by the queue and outbox end-to-end tests: people to call the API as, a private
 * Redis server that a test may stop and start, the .eml files the file mail transport writes, and
 * bounded polling (never fixed sleeps).
 */
import { Outbox, JobName, JobPayloads } from '@sillage/queue';
import { TransactionRunner } from '@sillage/db';
import { AccessTokenService } from '@sillage/identity';
import { decodeQuotedPrintable } from '@sillage/common';
import { TestApp, withAdminClient } from '@sillage/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The BullMQ queues a worker consumes and Bull Board lists, as the operator sees them. */
export const EXPECTED_QUEUES = ['distribution', 'email', 'issuance', 'ledger', 'maintenance', 'print', 'privacy', 'settlement'];

export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own, on a fixed port so it can be stopped and started again. */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.resume();
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

export interface Person {
  userId: string;
  organisationId: string;
  token: string;
}

export interface People {
  operatorAdmin: Person;
  operatorAgent: Person;
  funderAdmin: Person;
}

async function insertOrganisation(t: TestApp, kinds: string[]): Promise<string> {
  return withAdminClient(t.db, async (c) => {
    const siren = String(randomInt(100_000_000, 999_999_999));
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO organisation (kinds, funder_type, legal_name, siren, address_line, postcode, commune_code)
       VALUES ($1, $2, $3, $4, '1 rue de la Paix', '75002', '75102') RETURNING id`,
      [kinds, kinds.includes('funder') ? 'collectivity' : null, `Org ${siren}`, siren],
    );
    return rows[0].id;
  });
}

export async function insertUser(
  t: TestApp,
  organisationId: string,
  role: string,
  status = 'active',
  email = uniqueEmail(),
): Promise<string> {
  return withAdminClient(t.db, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO app_user (organisation_id, email, display_name, role, status) VALUES ($1, $2, 'Test Person', $3, $4) RETURNING id`,
      [organisationId, email, role, status],
    );
    return rows[0].id;
  });
}

export function uniqueEmail(): string {
  return `q-${randomBytes(6).toString('hex')}@example.org`;
}

export async function seedPeople(t: TestApp): Promise<People> {
  const tokens = t.app.get(AccessTokenService);
  const operator = await insertOrganisation(t, ['operator']);
  const funder = await insertOrganisation(t, ['funder']);
  const person = async (organisationId: string, kinds: ('operator' | 'funder')[], role: 'admin' | 'agent'): Promise<Person> => {
    const userId = await insertUser(t, organisationId, role);
    return { userId, organisationId, token: tokens.issue({ id: userId, organisationId, organisationKinds: kinds, role }) };
  };
  return {
    operatorAdmin: await person(operator, ['operator'], 'admin'),
    operatorAgent: await person(operator, ['operator'], 'agent'),
    funderAdmin: await person(funder, ['funder'], 'admin'),
  };
}

export async function operatorOrganisation(t: TestApp): Promise<string> {
  return insertOrganisation(t, ['operator']);
}

/**
 * A business transaction, as a service would write it: a user row and, in the same transaction,
 * the job that emails them. Returns the new user's id.
 */
export async function createInvitedUserWithJob(t: TestApp, organisationId: string, email: string, jobId: string): Promise<string> {
  const db = t.app.get(TransactionRunner);
  const outbox = t.app.get(Outbox);
  return db.run(async (tx) => {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO app_user (organisation_id, email, display_name, role, status) VALUES ($1, $2, 'Zoé Élodie', 'agent', 'invited') RETURNING id`,
      [organisationId, email],
    );
    await outbox.enqueue(tx, 'identity.send-set-password-email', { userId: rows[0].id }, jobId);
    return rows[0].id;
  });
}

export async function enqueue<N extends JobName>(t: TestApp, name: N, payload: JobPayloads[N], jobId: string): Promise<void> {
  await t.app.get(TransactionRunner).run((tx) => t.app.get(Outbox).enqueue(tx, name, payload, jobId));
}

export interface OutboxState {
  id: string;
  attempts: number;
  last_error: string | null;
  published_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
  payload: unknown;
}

export async function outboxRow(t: TestApp, jobId: string): Promise<OutboxState | undefined> {
  return withAdminClient(t.db, async (c) => {
    const { rows } = await c.query<OutboxState>(
      `SELECT id, attempts, last_error, published_at, failed_at, created_at, payload FROM outbox_message WHERE job_id = $1`,
      [jobId],
    );
    return rows[0];
  });
}

export interface Email {
  file: string;
  headers: Record<string, string>;
  body: string;
}

export async function tempDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sillage-queue-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function emailsTo(mailDir: string, address: string): Promise<Email[]> {
  if (!existsSync(mailDir)) return [];
  const out: Email[] = [];
  for (const file of (await readdir(mailDir)).filter((f) => f.endsWith('.eml')).sort()) {
    const raw = await readFile(join(mailDir, file), 'utf8');
    const [head, ...rest] = raw.split('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    if (headers.to !== address) continue;
    out.push({ file, headers, body: decodeQuotedPrintable(rest.join('\r\n\r\n')) });
  }
  return out;
}

/** RFC 2047 B-encoded words back to text. */
export function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]+)\?=\s*/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8')).trim();
}
