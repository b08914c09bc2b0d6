import { randomBytes, randomInt } from 'node:crypto';
import type { OrganisationKind, Role } from '../../identity/src/access/principal';
import { hashPassword } from '../../identity/src/auth/password-hasher';
import { totpCode } from '../../identity/src/auth/totp';
import { TestApp } from './test-app';
import { withAdminClient } from './test-database';

/**
 * Identity fixtures for end-to-end tests: organisations and users written with superuser SQL (real
 * argon2id hashes, optional confirmed TOTP), and a real login through `POST /v1/auth/login`.
 *
 * Login failures are counted per client address too, so every `login()` comes from its own random
 * address (`randomTestIp()`): tests that make logins fail should do the same, or they will
 * throttle each other (the counters live in the shared test Redis).
 */

export interface FixtureOrganisation {
  id: string;
  kinds: OrganisationKind[];
  legalName: string;
}

export interface FixtureUser {
  id: string;
  organisationId: string;
  organisationKinds: OrganisationKind[];
  role: Role;
  email: string;
  displayName: string;
  /** The clear password, when one was set. */
  password?: string;
  /** The confirmed TOTP secret, when one was set. */
  totpSecret?: string;
}

export interface LoginTokens {
  accessToken: string;
  refreshToken: string;
}

/** A strong password the policy accepts (random, so two users never share one). */
export function strongPassword(): string {
  return `Velours-${randomBytes(6).toString('hex')}-Trombone`;
}

/** A random address in 10.0.0.0/8, so one test's failed logins never throttle another's. */
export function randomTestIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}`;
}

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(2).toString('hex')}`;

/** Luhn check digit appended to 8 random digits (never La Poste's 356000000 range). */
function randomSiren(): string {
  for (;;) {
    const base = `${1 + randomInt(9)}${String(randomInt(10_000_000)).padStart(7, '0')}`;
    for (let c = 0; c <= 9; c++) {
      const s = `${base}${c}`;
      let sum = 0;
      for (let i = 0; i < 9; i++) {
        let d = s.charCodeAt(8 - i) - 48;
        if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
      }
      if (sum % 10 === 0 && !s.startsWith('356000000')) return s;
    }
  }
}

export async function createOrganisation(
  t: TestApp,
  o: { kinds: OrganisationKind[]; legalName?: string; funderType?: string | null; siren?: string; communeCode?: string; postcode?: string },
): Promise<FixtureOrganisation> {
  const legalName = o.legalName ?? `Organisation ${unique()}`;
  const funderType = o.funderType !== undefined ? o.funderType : o.kinds.includes('funder') ? 'collectivity' : null;
  const rows = await withAdminClient(t.db, async (c) =>
    c.query<{ id: string }>(
      `INSERT INTO organisation (kinds, funder_type, legal_name, siren, address_line, postcode, commune_code)
       VALUES ($1::text[], $2, $3, $4, '2 rue des Tests', $5, $6) RETURNING id`,
      [o.kinds, funderType, legalName, o.siren ?? randomSiren(), o.postcode ?? '69001', o.communeCode ?? '69123'],
    ),
  );
  return { id: rows.rows[0].id, kinds: o.kinds, legalName };
}

/**
 * A user. With `password` (or `password: true` for a random strong one) the user is active with a
 * real argon2id hash; without, invited. `totpSecret` (base32, e.g. from `generateTotpSecret()`)
 * makes TOTP confirmed.
 */
export async function createUser(
  t: TestApp,
  u: {
    organisationId: string;
    role: Role;
    password?: string | true;
    totpSecret?: string;
    email?: string;
    displayName?: string;
    status?: 'invited' | 'active' | 'disabled';
  },
): Promise<FixtureUser> {
  const password = u.password === true ? strongPassword() : u.password;
  const email = (u.email ?? `user-${unique()}@example.test`).toLowerCase();
  const displayName = u.displayName ?? `User ${unique()}`;
  const status = u.status ?? (password ? 'active' : 'invited');
  const passwordHash = password ? await hashPassword(password) : null;
  const { rows } = await withAdminClient(t.db, (c) =>
    c.query<{ id: string; kinds: OrganisationKind[] }>(
      `WITH u AS (
         INSERT INTO app_user (organisation_id, email, display_name, role, status, password_hash, password_changed_at, totp_secret, totp_enabled_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE now() END, $7, CASE WHEN $7::text IS NULL THEN NULL ELSE now() END)
         RETURNING id, organisation_id)
       SELECT u.id, o.kinds FROM u JOIN organisation o ON o.id = u.organisation_id`,
      [u.organisationId, email, displayName, u.role, status, passwordHash, u.totpSecret ?? null],
    ),
  );
  return {
    id: rows[0].id,
    organisationId: u.organisationId,
    organisationKinds: rows[0].kinds,
    role: u.role,
    email,
    displayName,
    password,
    totpSecret: u.totpSecret,
  };
}

/**
 * A TOTP code the server will accept now for this user: the current 30 s step, or the next one
 * (within the ±1 step window) when the current step was already used — a code is never accepted
 * twice. Uses the real time.
 */
export async function nextTotpCode(t: TestApp, email: string, secret: string): Promise<string> {
  const { rows } = await withAdminClient(t.db, (c) =>
    c.query<{ step: string | null }>(`SELECT totp_last_step AS step FROM app_user WHERE email = $1`, [email.toLowerCase()]),
  );
  const current = Math.floor(Date.now() / 30_000);
  const last = rows[0]?.step == null ? -1 : Number(rows[0].step);
  const step = Math.max(current, last + 1);
  if (step > current + 1) throw new Error('this user already used the next TOTP step: wait for the next 30 s window');
  return totpCode(secret, step * 30_000);
}

/** Logs in through the API (refresh token delivered in the body) and returns both tokens. */
export async function login(t: TestApp, email: string, password: string, totpSecret?: string): Promise<LoginTokens> {
  const payload: Record<string, string> = { email, password, refreshTokenDelivery: 'body' };
  if (totpSecret) payload.totpCode = await nextTotpCode(t, email, totpSecret);
  const res = await t.inject({ method: 'POST', url: '/v1/auth/login', payload, remoteAddress: randomTestIp() });
  if (res.statusCode !== 200) throw new Error(`login of ${email} failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ accessToken: string; refreshToken: string }>();
  return { accessToken: body.accessToken, refreshToken: body.refreshToken };
}
