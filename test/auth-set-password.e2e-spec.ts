import { TransactionRunner } from '@sillage/db';
import { SetPasswordTokenService } from '@sillage/identity';
import { createHash } from 'node:crypto';
import { createOrganisation, createTestApp, createUser, FixtureOrganisation, login, sql, strongPassword, TestApp } from '@sillage/testing';

describe('POST /v1/auth/set-password', () => {
  let t: TestApp;
  let org: FixtureOrganisation;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrganisation(t, { kinds: ['distributor'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const mint = (userId: string, channel: 'admin' | 'email' = 'admin') =>
    t.app.get(TransactionRunner).run((tx) => t.app.get(SetPasswordTokenService).mint(tx, userId, channel));
  const setPassword = (token: string, password: string) =>
    t.inject({ method: 'POST', url: '/v1/auth/set-password', payload: { token, password } });
  const invited = () => createUser(t, { organisationId: org.id, role: 'agent' });

  it('mints tokens stored only as SHA-256, valid for the configured time', async () => {
    const user = await invited();
    const token = await mint(user.id, 'email');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await sql<{ token_hash: Buffer; channel: string; ttl: number }>(
      t,
      `SELECT token_hash, channel, extract(epoch FROM expires_at - created_at)::int AS ttl FROM set_password_token WHERE user_id = $1`,
      [user.id],
    );
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest(), channel: 'email', ttl: 72 * 3600 }]);
  });

  it('refuses an unknown token with 400 SET_PASSWORD_TOKEN_INVALID naming the field', async () => {
    const res = await setPassword('no-such-token', strongPassword());
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'SET_PASSWORD_TOKEN_INVALID', field: 'token' });
  });

  it('refuses a weak password listing every violated rule, and leaves the link usable', async () => {
    const user = await createUser(t, { organisationId: org.id, role: 'agent', email: `marguerite@d${Date.now()}.example.test` });
    const token = await mint(user.id);
    const res = await setPassword(token, 'marguerite');
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ code: 'PASSWORD_POLICY', field: 'password' });
    expect(body.errors.map((e: { code: string }) => e.code)).toEqual(['TOO_SHORT', 'TOO_FEW_CLASSES', 'CONTAINS_EMAIL']);
    expect(body.errors.every((e: { field: string; message: string }) => e.field === 'password' && e.message.length > 0)).toBe(true);

    const common = await setPassword(token, 'Password123!');
    expect(common.json().errors.map((e: { code: string }) => e.code)).toEqual(['COMMON']);
    const tooLong = await setPassword(token, `Aa1-${'x'.repeat(200)}`);
    expect(tooLong.json()).toMatchObject({ code: 'PASSWORD_POLICY', errors: [{ code: 'TOO_LONG' }] });

    const state = await sql(t, `SELECT status, password_hash FROM app_user WHERE id = $1`, [user.id]);
    expect(state).toEqual([{ status: 'invited', password_hash: null }]);
    expect(await sql(t, `SELECT 1 FROM set_password_token WHERE user_id = $1 AND used_at IS NOT NULL`, [user.id])).toHaveLength(0);
    expect((await setPassword(token, strongPassword())).statusCode).toBe(204);
  });

  it('sets the password: argon2id hash, user active, every link spent, audited; then the user logs in', async () => {
    const user = await invited();
    const first = await mint(user.id, 'admin');
    const second = await mint(user.id, 'email');
    const password = strongPassword();

    const res = await setPassword(second, password);
    expect(res.statusCode).toBe(204);

    const [row] = await sql<{ status: string; password_hash: string; password_changed_at: Date }>(
      t,
      `SELECT status, password_hash, password_changed_at FROM app_user WHERE id = $1`,
      [user.id],
    );
    expect(row.status).toBe('active');
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_changed_at).toBeInstanceOf(Date);
    expect(await sql(t, `SELECT 1 FROM set_password_token WHERE user_id = $1 AND used_at IS NULL`, [user.id])).toHaveLength(0);
    const audit = await sql<{ actor_id: string; reason_code: string; canonical: Buffer }>(
      t,
      `SELECT actor_id, reason_code, canonical FROM audit_event WHERE action = 'auth.password_set' AND subject_id = $1`,
      [user.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: user.id, reason_code: 'SET_PASSWORD_LINK' });
    expect(audit[0].canonical.toString()).not.toContain(user.email);

    // Both links are spent now.
    for (const token of [first, second]) {
      expect((await setPassword(token, strongPassword())).json()).toMatchObject({ status: 400, code: 'SET_PASSWORD_TOKEN_INVALID' });
    }
    expect((await login(t, user.email, password)).accessToken).toEqual(expect.any(String));
  });

  it('resets the password of an active user and ends their sessions', async () => {
    const user = await createUser(t, { organisationId: org.id, role: 'agent', password: true });
    const session = await login(t, user.email, user.password!);
    const newPassword = strongPassword();
    expect((await setPassword(await mint(user.id), newPassword)).statusCode).toBe(204);

    const refresh = await t.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: session.refreshToken } });
    expect(refresh.json()).toMatchObject({ status: 401, code: 'REFRESH_TOKEN_INVALID' });
    const old = await t.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: user.password } });
    expect(old.statusCode).toBe(401);
    expect((await login(t, user.email, newPassword)).accessToken).toEqual(expect.any(String));
  });

  it('refuses expired links and links of disabled users', async () => {
    const user = await invited();
    const expired = await mint(user.id);
    await sql(t, `UPDATE set_password_token SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    expect((await setPassword(expired, strongPassword())).json()).toMatchObject({ code: 'SET_PASSWORD_TOKEN_INVALID' });

    const disabled = await createUser(t, { organisationId: org.id, role: 'agent', status: 'disabled' });
    const token = await mint(disabled.id);
    expect((await setPassword(token, strongPassword())).json()).toMatchObject({ code: 'SET_PASSWORD_TOKEN_INVALID' });
    expect(await sql(t, `SELECT status FROM app_user WHERE id = $1`, [disabled.id])).toEqual([{ status: 'disabled' }]);
  });

  it('accepts a link once when submitted twice at the same time', async () => {
    const user = await invited();
    const token = await mint(user.id);
    const results = await Promise.all([setPassword(token, strongPassword()), setPassword(token, strongPassword())]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 400]);
    expect(await sql(t, `SELECT 1 FROM audit_event WHERE action = 'auth.password_set' AND subject_id = $1`, [user.id])).toHaveLength(1);
  });
});
