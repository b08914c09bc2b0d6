import { createHash } from 'node:crypto';
import { AccessTokenService, AUDIENCES, generateTotpSecret, totpCode } from '@sillage/identity';
import {
  auditEventsDuring,
  createOrganisation,
  createTestApp,
  createUser,
  FixtureOrganisation,
  login,
  randomTestIp,
  sql,
  TestApp,
} from '@sillage/testing';

/** A well-formed code that matches none of the steps the server accepts now (±1 step). */
function wrongCode(secret: string): string {
  const accepted = [-1, 0, 1].map((k) => totpCode(secret, Date.now() + k * 30_000));
  return ['000000', '111111', '222222', '333333'].find((c) => !accepted.includes(c))!;
}

describe('POST /v1/auth/login', () => {
  let t: TestApp;
  let funder: FixtureOrganisation;
  let operator: FixtureOrganisation;
  let site: FixtureOrganisation;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await createOrganisation(t, { kinds: ['operator'] });
    funder = await createOrganisation(t, { kinds: ['funder'] });
    site = await createOrganisation(t, { kinds: ['distributor', 'site'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (payload: object, ip = randomTestIp()) => t.inject({ method: 'POST', url: '/v1/auth/login', payload, remoteAddress: ip });

  it('logs an agent in: access token in the body, refresh token in a strict HttpOnly cookie', async () => {
    const user = await createUser(t, { organisationId: funder.id, role: 'agent', password: true });
    const { result: res, events } = await auditEventsDuring(t, () => post({ email: user.email, password: user.password }));

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });

    const setCookie = String(res.headers['set-cookie']);
    const cookie = setCookie.split(';').map((p) => p.trim());
    expect(cookie[0]).toMatch(/^sillage_refresh=[A-Za-z0-9_-]{43}$/);
    expect(cookie).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/v1/auth', `Max-Age=${30 * 86400}`]));

    const principal = t.app.get(AccessTokenService).verify(body.accessToken);
    expect(principal).toEqual({ type: 'user', id: user.id, organisationId: funder.id, organisationKinds: ['funder'], role: 'agent' });
    const me = await t.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.json()).toMatchObject({ id: user.id, email: user.email });

    // One refresh token stored as a SHA-256 digest, never in clear.
    const rows = await sql<{ token_hash: Buffer; family_id: string }>(
      t,
      `SELECT token_hash, family_id FROM refresh_token WHERE user_id = $1`,
      [user.id],
    );
    expect(rows).toHaveLength(1);
    const raw = cookie[0].split('=')[1];
    expect(rows[0].token_hash.equals(createHash('sha256').update(raw).digest())).toBe(true);

    expect(events.map((e) => e.action)).toEqual(['auth.login_succeeded']);
    expect(events[0]).toMatchObject({
      actor: { type: 'user', id: user.id, organisationId: funder.id },
      subject: { type: 'user', id: user.id },
    });
    expect(events[0].canonical).not.toContain(user.email);
  });

  it('compares the email case-insensitively and can deliver the refresh token in the body instead', async () => {
    const user = await createUser(t, { organisationId: site.id, role: 'agent', password: true });
    const res = await post({ email: `  ${user.email.toUpperCase()} `, password: user.password, refreshTokenDelivery: 'body' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.json()).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.any(String) });
  });

  it('answers a wrong password and an unknown email identically, and audits both without the email', async () => {
    const user = await createUser(t, { organisationId: funder.id, role: 'agent', password: true });
    const unknownEmail = `nobody-${Date.now()}@example.test`;
    const { result, events } = await auditEventsDuring(t, async () => ({
      wrong: await post({ email: user.email, password: `${user.password}x` }),
      unknown: await post({ email: unknownEmail, password: user.password }),
    }));
    for (const res of [result.wrong, result.unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(result.wrong.json())).toEqual(strip(result.unknown.json()));
    expect(result.wrong.json()).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', detail: 'the email or password is incorrect' });

    expect(events.map((e) => [e.action, e.reason, e.actor.id ?? null])).toEqual([
      ['auth.login_failed', 'INVALID_PASSWORD', user.id],
      ['auth.login_failed', 'UNKNOWN_ACCOUNT', null],
    ]);
    for (const e of events) {
      expect(e.canonical).not.toContain(user.email);
      expect(e.canonical).not.toContain(unknownEmail);
      expect(e.canonical).not.toMatch(/10\.\d+\.\d+\.\d+/);
    }
    expect(await sql(t, `SELECT 1 FROM refresh_token WHERE user_id = $1`, [user.id])).toHaveLength(0);
  });

  it('spends an argon2 verification on unknown emails too, so timing does not reveal accounts', async () => {
    const user = await createUser(t, { organisationId: funder.id, role: 'agent', password: true });
    const time = async (email: string) => {
      const started = process.hrtime.bigint();
      const res = await post({ email, password: 'Wrong-password-123' });
      expect(res.statusCode).toBe(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time(user.email));
      unknown.push(await time(`ghost-${i}-${Date.now()}@example.test`));
    }
    // argon2id (19 MiB, t=2) takes tens of ms; a lookup without hashing takes a few.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it.each([
    ['an invited user (no password yet)', 'invited'],
    ['a disabled user', 'disabled'],
  ] as const)('refuses %s with the same answer as a wrong password', async (_label, status) => {
    const user = await createUser(t, { organisationId: funder.id, role: 'agent', password: true, status });
    if (status === 'invited') await sql(t, `UPDATE app_user SET password_hash = NULL WHERE id = $1`, [user.id]);
    const res = await post({ email: user.email, password: user.password });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', detail: 'the email or password is incorrect' });
    const audit = await sql<{ reason_code: string }>(
      t,
      `SELECT reason_code FROM audit_event WHERE action = 'auth.login_failed' AND actor_id = $1`,
      [user.id],
    );
    expect(audit.map((a) => a.reason_code)).toEqual([status === 'invited' ? 'INVALID_PASSWORD' : 'ACCOUNT_INACTIVE']);
  });

  describe('second factor requirement', () => {
    it.each([
      ['an operator agent', () => operator, 'agent'],
      ['an operator viewer', () => operator, 'viewer'],
      ['an operator dpo', () => operator, 'dpo'],
      ['a funder admin', () => funder, 'admin'],
      ['a funder finance officer', () => funder, 'finance'],
      ['a site admin', () => site, 'admin'],
    ] as const)('is required for %s: 403 TOTP_ENROLMENT_REQUIRED with an enrolment token', async (_label, org, role) => {
      const user = await createUser(t, { organisationId: org().id, role, password: true });
      const res = await post({ email: user.email, password: user.password });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json();
      expect(body).toMatchObject({
        status: 403,
        code: 'TOTP_ENROLMENT_REQUIRED',
        type: expect.stringContaining('totp-enrolment-required'),
      });
      expect(res.headers['set-cookie']).toBeUndefined();
      const claims = t.app
        .get(AccessTokenService)
        .verifyFor<{ sub: string; exp: number; iat: number }>(body.enrolmentToken, AUDIENCES.totpEnrolment);
      expect(claims.sub).toBe(user.id);
      expect(claims.exp - claims.iat).toBe(600);
      // The enrolment token opens nothing else.
      const me = await t.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${body.enrolmentToken}` } });
      expect(me.statusCode).toBe(401);
      expect(await sql(t, `SELECT 1 FROM refresh_token WHERE user_id = $1`, [user.id])).toHaveLength(0);
    });

    it.each([
      ['a funder agent', () => funder, 'agent'],
      ['a funder viewer', () => funder, 'viewer'],
      ['a site agent', () => site, 'agent'],
    ] as const)('is not required for %s', async (_label, org, role) => {
      const user = await createUser(t, { organisationId: org().id, role, password: true });
      expect((await post({ email: user.email, password: user.password })).statusCode).toBe(200);
    });

    it('asks an enrolled user for the code (401 TOTP_REQUIRED), refuses a wrong one and accepts the right one', async () => {
      const secret = generateTotpSecret();
      const user = await createUser(t, { organisationId: funder.id, role: 'finance', password: true, totpSecret: secret });
      const missing = await post({ email: user.email, password: user.password });
      expect(missing.statusCode).toBe(401);
      expect(missing.json()).toMatchObject({ code: 'TOTP_REQUIRED', field: 'totpCode' });

      const wrong = await post({
        email: user.email,
        password: user.password,
        totpCode: wrongCode(secret),
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ code: 'TOTP_INVALID', field: 'totpCode' });

      const tokens = await login(t, user.email, user.password!, secret);
      expect(tokens.accessToken).toEqual(expect.any(String));
    });

    it('refuses a code that was already used (replay), even with the right password', async () => {
      const secret = generateTotpSecret();
      const user = await createUser(t, { organisationId: operator.id, role: 'admin', password: true, totpSecret: secret });
      const code = totpCode(secret, Date.now());
      expect((await post({ email: user.email, password: user.password, totpCode: code })).statusCode).toBe(200);
      const replay = await post({ email: user.email, password: user.password, totpCode: code });
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toMatchObject({ code: 'TOTP_INVALID' });
      const reasons = await sql<{ reason_code: string }>(
        t,
        `SELECT reason_code FROM audit_event WHERE action = 'auth.login_failed' AND actor_id = $1`,
        [user.id],
      );
      expect(reasons.map((r) => r.reason_code)).toEqual(['TOTP_REPLAYED']);
    });

    it('lets exactly one of two concurrent logins with the same code through', async () => {
      const secret = generateTotpSecret();
      const user = await createUser(t, { organisationId: funder.id, role: 'admin', password: true, totpSecret: secret });
      const code = totpCode(secret, Date.now());
      const results = await Promise.all([1, 2].map(() => post({ email: user.email, password: user.password, totpCode: code })));
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    });
  });

  it('answers 401 TOKEN_EXPIRED for an expired access token', async () => {
    const user = await createUser(t, { organisationId: funder.id, role: 'agent', password: true });
    const expired = t.app
      .get(AccessTokenService)
      .sign({ sub: user.id, org: funder.id, kinds: ['funder'], role: 'agent' }, AUDIENCES.access, -30);
    const res = await t.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${expired}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });
});
