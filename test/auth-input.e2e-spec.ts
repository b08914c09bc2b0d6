import { TransactionRunner } from '@sillage/db';
import { SetPasswordTokenService } from '@sillage/identity';
import { createOrganisation, createTestApp, createUser, FixtureUser, randomTestIp, sql, TestApp } from '@sillage/testing';

/**
 * Bad input on every auth route: a 4xx problem+json naming the field, never a 500, and nothing
 * written (audit events, refresh tokens, spent links, TOTP secrets, user rows).
 */
describe('auth routes refuse bad input', () => {
  let t: TestApp;
  let user: FixtureUser;
  let enrolmentToken: string;
  let setPasswordToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await createOrganisation(t, { kinds: ['operator'] });
    user = await createUser(t, { organisationId: operator.id, role: 'admin', password: true });
    const res = await t.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: user.password } });
    enrolmentToken = res.json().enrolmentToken;
    const invited = await createUser(t, { organisationId: operator.id, role: 'viewer' });
    setPasswordToken = await t.app.get(TransactionRunner).run((tx) => t.app.get(SetPasswordTokenService).mint(tx, invited.id, 'admin'));
  });
  afterAll(async () => {
    await t.close();
  });

  async function state(): Promise<unknown> {
    const [row] = await sql(
      t,
      `SELECT (SELECT count(*) FROM audit_event) AS audit, (SELECT count(*) FROM refresh_token) AS refresh,
              (SELECT count(*) FROM set_password_token WHERE used_at IS NOT NULL) AS spent,
              (SELECT count(*) FROM app_user WHERE totp_secret IS NOT NULL) AS totp,
              (SELECT max(updated_at) FROM app_user) AS updated,
              (SELECT string_agg(coalesce(password_hash, '-'), ',' ORDER BY id) FROM app_user) AS hashes`,
    );
    return row;
  }

  const good = {
    login: () => ({ email: user.email, password: user.password }),
    setPassword: () => ({ token: setPasswordToken, password: 'Velours-Trombone-42' }),
    confirm: () => ({ code: '123456' }),
  };

  type Case = [label: string, url: string, body: string, field: string, status?: number, code?: string];
  const json = (v: unknown) => JSON.stringify(v);
  const cases = (): Case[] => [
    ['login: malformed JSON', '/v1/auth/login', '{"email":', 'body', 400, 'MALFORMED_JSON'],
    ['login: body is an array', '/v1/auth/login', '[]', 'body'],
    ['login: body is null', '/v1/auth/login', 'null', 'body'],
    ['login: body is a number', '/v1/auth/login', '42', 'body'],
    ['login: email is a number', '/v1/auth/login', json({ ...good.login(), email: 42 }), 'email'],
    ['login: email is not an email', '/v1/auth/login', json({ ...good.login(), email: 'alice' }), 'email'],
    ['login: password is a number', '/v1/auth/login', json({ ...good.login(), password: 12345678 }), 'password'],
    ['login: password over 128 characters', '/v1/auth/login', json({ ...good.login(), password: 'x'.repeat(129) }), 'password'],
    ['login: empty password', '/v1/auth/login', json({ ...good.login(), password: '' }), 'password'],
    ['login: totpCode is a number', '/v1/auth/login', json({ ...good.login(), totpCode: 123456 }), 'totpCode'],
    ['login: totpCode of 5 digits', '/v1/auth/login', json({ ...good.login(), totpCode: '12345' }), 'totpCode'],
    ['login: totpCode with letters', '/v1/auth/login', json({ ...good.login(), totpCode: '12345a' }), 'totpCode'],
    ['login: unknown delivery', '/v1/auth/login', json({ ...good.login(), refreshTokenDelivery: 'both' }), 'refreshTokenDelivery'],
    ['login: unknown field', '/v1/auth/login', json({ ...good.login(), role: 'admin' }), 'role'],
    ['login: missing password', '/v1/auth/login', json({ email: user.email }), 'password'],
    ['login: missing email', '/v1/auth/login', json({ password: 'x' }), 'email'],
    ['refresh: malformed JSON', '/v1/auth/refresh', '{', 'body', 400, 'MALFORMED_JSON'],
    ['refresh: token is a number', '/v1/auth/refresh', json({ refreshToken: 42 }), 'refreshToken'],
    ['refresh: empty token', '/v1/auth/refresh', json({ refreshToken: '' }), 'refreshToken'],
    ['refresh: unknown delivery', '/v1/auth/refresh', json({ refreshToken: 'x', refreshTokenDelivery: 'sms' }), 'refreshTokenDelivery'],
    ['refresh: unknown field', '/v1/auth/refresh', json({ userId: 'x' }), 'userId'],
    ['logout: token is an array', '/v1/auth/logout', json({ refreshToken: [] }), 'refreshToken'],
    ['logout: unknown field', '/v1/auth/logout', json({ all: true }), 'all'],
    ['logout: malformed JSON', '/v1/auth/logout', 'nope', 'body', 400, 'MALFORMED_JSON'],
    ['set-password: malformed JSON', '/v1/auth/set-password', '{"token"', 'body', 400, 'MALFORMED_JSON'],
    ['set-password: token is a number', '/v1/auth/set-password', json({ ...good.setPassword(), token: 1 }), 'token'],
    ['set-password: password is null', '/v1/auth/set-password', json({ ...good.setPassword(), password: null }), 'password'],
    ['set-password: missing password', '/v1/auth/set-password', json({ token: setPasswordToken }), 'password'],
    ['set-password: missing token', '/v1/auth/set-password', json({ password: 'Velours-Trombone-42' }), 'token'],
    ['set-password: unknown field', '/v1/auth/set-password', json({ ...good.setPassword(), status: 'active' }), 'status'],
    [
      'set-password: password over 1 KB',
      '/v1/auth/set-password',
      json({ ...good.setPassword(), password: 'Aa1-'.repeat(300) }),
      'password',
    ],
    ['totp/enrolment: unknown field', '/v1/auth/totp/enrolment', json({ secret: 'AAAA' }), 'secret'],
    ['totp/enrolment: array body', '/v1/auth/totp/enrolment', '[1]', 'body'],
    ['totp/enrolment: malformed JSON', '/v1/auth/totp/enrolment', '{]', 'body', 400, 'MALFORMED_JSON'],
    ['totp/confirm: code is a number', '/v1/auth/totp/confirm', json({ code: 123456 }), 'code'],
    ['totp/confirm: code of 7 digits', '/v1/auth/totp/confirm', json({ code: '1234567' }), 'code'],
    ['totp/confirm: missing code', '/v1/auth/totp/confirm', json({}), 'code'],
    ['totp/confirm: unknown field', '/v1/auth/totp/confirm', json({ ...good.confirm(), secret: 'AAAA' }), 'secret'],
    [
      'totp/confirm: unknown delivery',
      '/v1/auth/totp/confirm',
      json({ ...good.confirm(), refreshTokenDelivery: 1 }),
      'refreshTokenDelivery',
    ],
  ];

  it('answers each bad body with a problem naming the field, and writes nothing', async () => {
    const before = await state();
    for (const [label, url, payload, field, status = 400, code = 'VALIDATION_FAILED'] of cases()) {
      const res = await t.inject({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${enrolmentToken}` },
        remoteAddress: randomTestIp(),
      });
      const body = res.json();
      expect({ label, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        label,
        status,
        type: expect.stringContaining('application/problem+json'),
      });
      expect({ label, code: body.code, field: body.field }).toEqual({ label, code, field });
    }
    expect(await state()).toEqual(before);
  });

  it.each([
    '/v1/auth/login',
    '/v1/auth/refresh',
    '/v1/auth/logout',
    '/v1/auth/set-password',
    '/v1/auth/totp/enrolment',
    '/v1/auth/totp/confirm',
  ])('refuses an oversized body on %s with 413, and a body that is not JSON with 415 or 400', async (url) => {
    const before = await state();
    const big = await t.inject({
      method: 'POST',
      url,
      payload: JSON.stringify({ email: user.email, password: 'x'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${enrolmentToken}` },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'body' });

    const form = await t.inject({ method: 'POST', url, payload: '<email>a</email>', headers: { 'content-type': 'application/xml' } });
    expect(form.statusCode).toBe(415);
    expect(form.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'body' });

    // The API speaks JSON only: text/plain is an unsupported media type.
    const text = await t.inject({
      method: 'POST',
      url,
      payload: 'email=a',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${enrolmentToken}` },
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'body' });
    expect(await state()).toEqual(before);
  });
});
