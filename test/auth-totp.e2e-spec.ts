import { AccessTokenService, AUDIENCES, totpCode } from '@sillage/identity';
import { createHash, randomBytes } from 'node:crypto';
import { createOrganisation, createTestApp, createUser, FixtureOrganisation, login, randomTestIp, sql, TestApp } from '@sillage/testing';

describe('TOTP enrolment and confirmation', () => {
  let t: TestApp;
  let operator: FixtureOrganisation;
  let site: FixtureOrganisation;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await createOrganisation(t, { kinds: ['operator'] });
    site = await createOrganisation(t, { kinds: ['site'] });
  });
  afterAll(async () => {
    await t.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const postLogin = (payload: object) => t.inject({ method: 'POST', url: '/v1/auth/login', payload, remoteAddress: randomTestIp() });
  const enrol = (token: string, payload?: object) =>
    t.inject({ method: 'POST', url: '/v1/auth/totp/enrolment', headers: bearer(token), ...(payload ? { payload } : {}) });
  const confirm = (token: string, payload: object) =>
    t.inject({ method: 'POST', url: '/v1/auth/totp/confirm', headers: bearer(token), payload });
  const codeAt = (secret: string, offsetSteps = 0) => totpCode(secret, Date.now() + offsetSteps * 30_000);

  it('enrols an operator admin end to end: 403 with an enrolment token, secret, confirmation logs in, codes then required', async () => {
    const admin = await createUser(t, { organisationId: operator.id, role: 'admin', password: true });

    const first = await postLogin({ email: admin.email, password: admin.password });
    expect(first.statusCode).toBe(403);
    const { enrolmentToken } = first.json();

    const started = await enrol(enrolmentToken);
    expect(started.statusCode).toBe(200);
    expect(started.headers['cache-control']).toBe('no-store');
    const { secret, otpauthUri } = started.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(
      `otpauth://totp/Sillage:${encodeURIComponent(admin.email)}?secret=${secret}&issuer=Sillage&algorithm=SHA1&digits=6&period=30`,
    );
    const pending = await sql<{ totp_secret: string; totp_enabled_at: Date | null }>(
      t,
      `SELECT totp_secret, totp_enabled_at FROM app_user WHERE id = $1`,
      [admin.id],
    );
    expect(pending).toEqual([{ totp_secret: secret, totp_enabled_at: null }]);

    // Still not enrolled: a login keeps asking for enrolment.
    expect((await postLogin({ email: admin.email, password: admin.password })).statusCode).toBe(403);

    const wrong = await confirm(enrolmentToken, {
      code: ['123456', '654321', '111111'].find((c) => ![-1, 0, 1].some((k) => codeAt(secret, k) === c))!,
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'TOTP_INVALID', field: 'code' });

    const code = codeAt(secret);
    const confirmed = await confirm(enrolmentToken, { code, refreshTokenDelivery: 'body' });
    expect(confirmed.statusCode).toBe(200);
    const tokens = confirmed.json();
    expect(tokens).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.any(String) });
    const me = await t.inject({ method: 'GET', url: '/v1/me', headers: bearer(tokens.accessToken) });
    expect(me.json()).toMatchObject({ id: admin.id, totpEnabled: true });

    const audit = await sql<{ action: string }>(t, `SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY recorded_at`, [admin.id]);
    expect(audit.map((a) => a.action)).toEqual(['auth.totp_enrolment_started', 'auth.totp_enabled', 'auth.login_succeeded']);

    // The enrolment token is spent: TOTP is on.
    expect((await enrol(enrolmentToken)).json()).toMatchObject({ status: 409, code: 'TOTP_ALREADY_ENABLED' });
    expect((await confirm(enrolmentToken, { code: codeAt(secret, 1) })).json()).toMatchObject({ code: 'TOTP_ALREADY_ENABLED' });

    // From now on a login needs a code, and the code used to confirm cannot be replayed.
    const noCode = await postLogin({ email: admin.email, password: admin.password });
    expect(noCode.json()).toMatchObject({ status: 401, code: 'TOTP_REQUIRED' });
    const replay = await postLogin({ email: admin.email, password: admin.password, totpCode: code });
    expect(replay.json()).toMatchObject({ status: 401, code: 'TOTP_INVALID' });
    const later = await login(t, admin.email, admin.password!, secret);
    expect(later.accessToken).toEqual(expect.any(String));
  });

  it('replaces a pending secret when enrolment is started again, and only the latest one confirms', async () => {
    const admin = await createUser(t, { organisationId: operator.id, role: 'finance', password: true });
    const { enrolmentToken } = (await postLogin({ email: admin.email, password: admin.password })).json();
    const old = (await enrol(enrolmentToken)).json().secret;
    const latest = (await enrol(enrolmentToken)).json().secret;
    expect(latest).not.toBe(old);
    const stale = await confirm(enrolmentToken, { code: codeAt(old) });
    // Unless both secrets happen to give the same code (1 in 10^6).
    if (codeAt(old) !== codeAt(latest)) expect(stale.json()).toMatchObject({ code: 'TOTP_INVALID' });
    expect((await confirm(enrolmentToken, { code: codeAt(latest) })).statusCode).toBe(200);
  });

  it('lets a site agent enrol voluntarily with an access token; codes are then always required', async () => {
    const agent = await createUser(t, { organisationId: site.id, role: 'agent', password: true });
    const { accessToken } = await login(t, agent.email, agent.password!);
    const started = await enrol(accessToken, {});
    expect(started.statusCode).toBe(200);
    const { secret } = started.json();
    const confirmed = await confirm(accessToken, { code: codeAt(secret) });
    expect(confirmed.statusCode).toBe(204);
    expect(confirmed.body).toBe('');
    expect(confirmed.headers['set-cookie']).toBeUndefined();

    const audit = await sql<{ action: string }>(t, `SELECT action FROM audit_event WHERE subject_id = $1 AND action LIKE 'auth.totp%'`, [
      agent.id,
    ]);
    expect(audit.map((a) => a.action).sort()).toEqual(['auth.totp_enabled', 'auth.totp_enrolment_started']);

    expect((await postLogin({ email: agent.email, password: agent.password })).json()).toMatchObject({ code: 'TOTP_REQUIRED' });
    expect((await login(t, agent.email, agent.password!, secret)).accessToken).toEqual(expect.any(String));
  });

  it('refuses confirmation before enrolment started', async () => {
    const agent = await createUser(t, { organisationId: site.id, role: 'agent', password: true });
    const { accessToken } = await login(t, agent.email, agent.password!);
    const res = await confirm(accessToken, { code: '123456' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'TOTP_ENROLMENT_NOT_STARTED' });
  });

  it('refuses missing, malformed, expired and API-key bearers', async () => {
    expect((await t.inject({ method: 'POST', url: '/v1/auth/totp/enrolment' })).json()).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect((await enrol('not-a-jwt')).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

    const admin = await createUser(t, { organisationId: operator.id, role: 'admin', password: true });
    const expired = t.app.get(AccessTokenService).sign({ sub: admin.id }, AUDIENCES.totpEnrolment, -5);
    const res = await enrol(expired);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('log in again');

    // A token for another purpose (the queues board) is not an enrolment token.
    const board = t.app.get(AccessTokenService).sign({ sub: admin.id }, AUDIENCES.queuesBoard, 60);
    expect((await enrol(board)).statusCode).toBe(401);

    const secret = `slg_${randomBytes(32).toString('base64url')}`;
    await sql(t, `INSERT INTO api_key (organisation_id, name, role, prefix, secret_hash) VALUES ($1, 'Scanner', 'agent', 'slg_xx', $2)`, [
      site.id,
      createHash('sha256').update(secret).digest(),
    ]);
    expect((await enrol(secret)).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await sql(t, `SELECT 1 FROM app_user WHERE id = $1 AND totp_secret IS NOT NULL`, [admin.id])).toHaveLength(0);
  });

  it('refuses a disabled user holding an enrolment token', async () => {
    const admin = await createUser(t, { organisationId: operator.id, role: 'admin', password: true });
    const { enrolmentToken } = (await postLogin({ email: admin.email, password: admin.password })).json();
    await sql(t, `UPDATE app_user SET status = 'disabled' WHERE id = $1`, [admin.id]);
    expect((await enrol(enrolmentToken)).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});
