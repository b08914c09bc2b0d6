import { randomInt, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { OrganisationKind, Role } from '../../identity/src/access/principal';
import { newApiKeySecret } from '../../identity/src/api-keys/api-key-secret';
import { AccessTokenService } from '../../identity/src/auth/access-token.service';
import { TestApp } from './test-app';
import { withAdminClient } from './test-database';

/**
 * Directory fixtures for end-to-end tests: organisations, users, API keys and partnerships written
 * with superuser SQL (no dependency on the routes under test), and access tokens minted with the
 * app's own `AccessTokenService`, exactly as a login would.
 */

export interface SeededOrganisation {
  id: string;
  kinds: OrganisationKind[];
  legalName: string;
  siren: string;
  siret: string | null;
  communeCode: string;
}

export interface SeededUser {
  id: string;
  organisationId: string;
  organisationKinds: OrganisationKind[];
  role: Role;
  email: string;
  displayName: string;
}

export interface SeededApiKey {
  id: string;
  organisationId: string;
  role: Role;
  secret: string;
}

/** Appends the Luhn check digit that makes `digits` + check valid. */
function withLuhnCheckDigit(digits: string): string {
  for (let c = 0; c <= 9; c++) {
    const candidate = `${digits}${c}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = candidate.charCodeAt(candidate.length - 1 - i) - 48;
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

function randomDigits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

/** A random SIREN with a valid check digit (never La Poste's 356000000 range). */
export function validSiren(): string {
  for (;;) {
    const siren = withLuhnCheckDigit(`${1 + randomInt(9)}${randomDigits(7)}`);
    if (!siren.startsWith('356000000')) return siren;
  }
}

/** A random SIRET of the given SIREN, valid for the 14-digit Luhn check. */
export function validSiret(siren: string = validSiren()): string {
  return withLuhnCheckDigit(`${siren}${randomDigits(4)}`);
}

/** Sequence number making fixture names and emails unique within a test file. */
let seq = 0;
const next = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function seedOrganisation(
  t: TestApp,
  o: {
    kinds: OrganisationKind[];
    funderType?: string | null;
    legalName?: string;
    siren?: string;
    siret?: string | null;
    communeCode?: string;
    postcode?: string;
  },
): Promise<SeededOrganisation> {
  const funderType = o.funderType !== undefined ? o.funderType : o.kinds.includes('funder') ? 'collectivity' : null;
  const legalName = o.legalName ?? `Organisation ${next()}`;
  const siren = o.siren ?? validSiren();
  const siret = o.siret === undefined ? null : o.siret;
  const communeCode = o.communeCode ?? '69123';
  const rows = await sql<{ id: string }>(
    t,
    `INSERT INTO organisation (kinds, funder_type, legal_name, siren, siret, address_line, postcode, commune_code)
     VALUES ($1::text[], $2, $3, $4, $5, '1 place de la Comédie', $6, $7) RETURNING id`,
    [o.kinds, funderType, legalName, siren, siret, o.postcode ?? '69001', communeCode],
  );
  return { id: rows[0].id, kinds: o.kinds, legalName, siren, siret, communeCode };
}

export async function seedUser(
  t: TestApp,
  organisation: Pick<SeededOrganisation, 'id' | 'kinds'>,
  u: { role: Role; status?: 'invited' | 'active' | 'disabled'; email?: string; displayName?: string; passwordHash?: string | null },
): Promise<SeededUser> {
  const email = (u.email ?? `user-${next()}@example.test`).toLowerCase();
  const displayName = u.displayName ?? `User ${next()}`;
  const status = u.status ?? 'active';
  // Active users normally have a password; the hash is never checked by these tests.
  const passwordHash = u.passwordHash !== undefined ? u.passwordHash : status === 'invited' ? null : '$argon2id$fixture';
  const rows = await sql<{ id: string }>(
    t,
    `INSERT INTO app_user (organisation_id, email, display_name, role, status, password_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [organisation.id, email, displayName, u.role, status, passwordHash],
  );
  return { id: rows[0].id, organisationId: organisation.id, organisationKinds: organisation.kinds, role: u.role, email, displayName };
}

/** An access token for the user, signed by the app under test. */
export function tokenFor(t: TestApp, user: Pick<SeededUser, 'id' | 'organisationId' | 'organisationKinds' | 'role'>): string {
  return t.app.get(AccessTokenService).issue({
    id: user.id,
    organisationId: user.organisationId,
    organisationKinds: user.organisationKinds,
    role: user.role,
  });
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export async function seedApiKey(
  t: TestApp,
  organisation: Pick<SeededOrganisation, 'id'>,
  k: { role: Role; revoked?: boolean; name?: string },
): Promise<SeededApiKey> {
  const { secret, hash, displayPrefix } = newApiKeySecret();
  const rows = await sql<{ id: string }>(
    t,
    `INSERT INTO api_key (organisation_id, name, role, prefix, secret_hash, revoked_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [organisation.id, k.name ?? `Key ${next()}`, k.role, displayPrefix, hash, k.revoked ? new Date() : null],
  );
  return { id: rows[0].id, organisationId: organisation.id, role: k.role, secret };
}

export async function seedPartnership(
  t: TestApp,
  funder: Pick<SeededOrganisation, 'id'>,
  distributor: Pick<SeededOrganisation, 'id'>,
  p: { ended?: boolean } = {},
): Promise<string> {
  const rows = await sql<{ id: string }>(
    t,
    `INSERT INTO partnership (funder_id, distributor_id, ended_at) VALUES ($1, $2, $3) RETURNING id`,
    [funder.id, distributor.id, p.ended ? new Date() : null],
  );
  return rows[0].id;
}

/** Runs one statement as superuser on the test database. */
export async function sql<R extends object = Record<string, unknown>>(t: TestApp, text: string, params: unknown[] = []): Promise<R[]> {
  return withAdminClient(t.db, async (c) => (await c.query<R>(text, params)).rows);
}

/** Row counts of the given tables, read as superuser. */
export async function tableCounts(t: TestApp, tables: readonly string[]): Promise<Record<string, number>> {
  return withAdminClient(t.db, async (c: Client) => {
    const out: Record<string, number> = {};
    for (const table of tables) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
      const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      out[table] = Number(rows[0].n);
    }
    return out;
  });
}

/** An audit event as stored: the parsed canonical bytes plus the raw text. */
export interface StoredAuditEvent {
  id: string;
  action: string;
  actor: { type: string; id?: string; organisationId?: string };
  subject: { type: string; id?: string };
  reason: string | null;
  facts: Record<string, string | number | boolean | null>;
  requestId: string | null;
  canonical: string;
}

/** Runs `work` and returns the audit events appended meanwhile (the test owns its database). */
export async function auditEventsDuring<T>(t: TestApp, work: () => Promise<T>): Promise<{ result: T; events: StoredAuditEvent[] }> {
  const before = new Set((await sql<{ id: string }>(t, `SELECT id FROM audit_event`)).map((r) => r.id));
  const result = await work();
  const rows = await sql<{ id: string; canonical: Buffer }>(t, `SELECT id, canonical FROM audit_event ORDER BY recorded_at, id`);
  const events = rows
    .filter((r) => !before.has(r.id))
    .map((r) => {
      const canonical = r.canonical.toString('utf8');
      return { ...(JSON.parse(canonical) as Omit<StoredAuditEvent, 'canonical'>), canonical };
    });
  return { result, events };
}

/** How many audit events contain `needle` anywhere in their canonical bytes. */
export async function auditEventsContaining(t: TestApp, needle: string): Promise<number> {
  const rows = await sql<{ n: string }>(
    t,
    `SELECT count(*) AS n FROM audit_event WHERE position(convert_to($1, 'UTF8') IN canonical) > 0`,
    [needle],
  );
  return Number(rows[0].n);
}

/** A fresh UUID that names nothing. */
export const unknownId = (): string => randomUUID();
