import { OperatorBootstrapService } from '@sillage/identity';
import { createTestApp, randomTestIp, sql, TestApp } from '@sillage/testing';
import { runCli } from '../scripts/cli';

async function cli(t: TestApp, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    env: { DATABASE_URL: t.db.appUrl, PUBLIC_BASE_URL: 'https://sillage.example.fr' },
    out: (s) => (out += s),
    err: (s) => (err += s),
  });
  return { code, out, err };
}

const counts = (t: TestApp) =>
  sql(
    t,
    `SELECT (SELECT count(*) FROM organisation) AS orgs, (SELECT count(*) FROM app_user) AS users, (SELECT count(*) FROM audit_event) AS audit`,
  );

describe('npm run cli -- create-operator-admin', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('prints help with the defaults, and refuses bad usage with exit code 2', async () => {
    const help = await cli(t, '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('create-operator-admin');
    expect(help.out).toContain('--siren <9 digits>');
    expect(help.out).toContain('123456782');

    expect((await cli(t)).code).toBe(2);
    expect((await cli(t, 'create-operator-admin')).err).toContain('--email is required');
    expect((await cli(t, 'create-operator-admin', '--email', 'a@b.fr', '--colour', 'blue')).code).toBe(2);
    expect((await cli(t, 'make-coffee')).err).toContain('unknown command: make-coffee');
  });

  it('refuses invalid organisation details and weak passwords, writing nothing', async () => {
    const before = await counts(t);
    const siren = await cli(t, 'create-operator-admin', '--email', 'root@operator.example.fr', '--siren', '123456789');
    expect(siren.code).toBe(1);
    expect(siren.err).toContain('VALIDATION_FAILED');
    expect(siren.err).toContain('siren');

    const commune = await cli(t, 'create-operator-admin', '--email', 'root@operator.example.fr', '--commune', '75000');
    expect(commune.code).toBe(1);
    expect(commune.err).toContain('communeCode');

    const weak = await cli(t, 'create-operator-admin', '--email', 'root@operator.example.fr', '--password', 'azerty');
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('PASSWORD_POLICY');
    expect(weak.err).toContain('TOO_SHORT');
    expect(weak.err).toContain('COMMON');
    expect(await counts(t)).toEqual(before);
  });

  it('creates the operator and an invited admin, prints a one-time link that works, then refuses a second admin', async () => {
    const run = await cli(
      t,
      'create-operator-admin',
      '--email',
      'Root@Operator.Example.fr',
      '--legal-name',
      'Opérateur Numérique Solidaire',
      '--siren',
      '732829320',
      '--commune',
      '69123',
      '--postcode',
      '69002',
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const link = /https:\/\/sillage\.example\.fr\/set-password#token=([A-Za-z0-9_-]{43})/.exec(run.out);
    expect(link).not.toBeNull();

    const [org] = await sql<{ id: string; kinds: string[]; legal_name: string; siren: string; commune_code: string }>(
      t,
      `SELECT id, kinds, legal_name, siren, commune_code FROM organisation`,
    );
    expect(org).toMatchObject({
      kinds: ['operator'],
      legal_name: 'Opérateur Numérique Solidaire',
      siren: '732829320',
      commune_code: '69123',
    });
    const [admin] = await sql<{ id: string; email: string; role: string; status: string; password_hash: string | null }>(
      t,
      `SELECT id, email, role, status, password_hash FROM app_user WHERE organisation_id = $1`,
      [org.id],
    );
    expect(admin).toMatchObject({ email: 'root@operator.example.fr', role: 'admin', status: 'invited', password_hash: null });
    expect(run.out).toContain(org.id);
    expect(run.out).toContain(admin.id);
    const audit = await sql<{ action: string; actor_type: string; reason_code: string }>(
      t,
      `SELECT action, actor_type, reason_code FROM audit_event ORDER BY recorded_at`,
    );
    expect(audit).toEqual([
      { action: 'organisation.created', actor_type: 'system', reason_code: 'OPERATOR_BOOTSTRAP' },
      { action: 'user.created', actor_type: 'system', reason_code: 'OPERATOR_BOOTSTRAP' },
    ]);

    const password = 'Velours-Trombone-42';
    const set = await t.inject({ method: 'POST', url: '/v1/auth/set-password', payload: { token: link![1], password } });
    expect(set.statusCode).toBe(204);
    const login = await t.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'root@operator.example.fr', password },
      remoteAddress: randomTestIp(),
    });
    // Operator users must enrol a second factor before anything else.
    expect(login.json()).toMatchObject({ status: 403, code: 'TOTP_ENROLMENT_REQUIRED' });

    const again = await cli(t, 'create-operator-admin', '--email', 'second@operator.example.fr', '--password', password);
    expect(again.code).toBe(1);
    expect(again.err).toContain('OPERATOR_EXISTS');
    expect(await sql(t, `SELECT 1 FROM app_user`)).toHaveLength(1);
  });
});

describe('first start with OPERATOR_ADMIN_EMAIL (docker-compose)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_ADMIN_EMAIL: 'ops@sillage.example.fr', OPERATOR_ADMIN_PASSWORD: 'Velours-Trombone-42' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates the operator and its active admin once, even when two processes start together', async () => {
    const service = t.app.get(OperatorBootstrapService);
    const results = await Promise.all([service.bootstrapFromConfig(), service.bootstrapFromConfig()]);
    const created = results.filter((r) => r !== undefined);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ organisationCreated: true, setPasswordToken: undefined });
    expect(await service.bootstrapFromConfig()).toBeUndefined();

    const orgs = await sql<{ kinds: string[]; legal_name: string; siren: string }>(t, `SELECT kinds, legal_name, siren FROM organisation`);
    expect(orgs).toEqual([{ kinds: ['operator'], legal_name: 'Opérateur Sillage', siren: '123456782' }]);
    const users = await sql<{ email: string; role: string; status: string }>(t, `SELECT email, role, status FROM app_user`);
    expect(users).toEqual([{ email: 'ops@sillage.example.fr', role: 'admin', status: 'active' }]);
    expect(
      await sql(t, `SELECT 1 FROM audit_event WHERE action = 'auth.password_set' AND reason_code = 'OPERATOR_BOOTSTRAP'`),
    ).toHaveLength(1);

    const login = await t.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'ops@sillage.example.fr', password: 'Velours-Trombone-42' },
      remoteAddress: randomTestIp(),
    });
    expect(login.json()).toMatchObject({ code: 'TOTP_ENROLMENT_REQUIRED' });
  });

  it('gives an operator that has no admin yet (the demo dataset creates the organisation) its first admin, in it', async () => {
    await sql(t, `DELETE FROM app_user`);
    const service = t.app.get(OperatorBootstrapService);
    expect(await service.bootstrapFromConfig()).toMatchObject({ organisationCreated: false });
    expect(await sql(t, `SELECT 1 FROM organisation`)).toHaveLength(1);
    expect(await sql(t, `SELECT email FROM app_user`)).toEqual([{ email: 'ops@sillage.example.fr' }]);
    expect(await service.bootstrapFromConfig()).toBeUndefined();
  });
});

describe('first start with a weak OPERATOR_ADMIN_PASSWORD', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_ADMIN_EMAIL: 'ops@sillage.example.fr', OPERATOR_ADMIN_PASSWORD: 'sillage2025' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses to create the admin, naming the violated rules, and creates nothing', async () => {
    await expect(t.app.get(OperatorBootstrapService).bootstrapFromConfig()).rejects.toMatchObject({
      code: 'PASSWORD_POLICY',
      options: { errors: [{ code: 'TOO_SHORT' }, { code: 'TOO_FEW_CLASSES' }, { code: 'COMMON' }] },
    });
    expect(await sql(t, `SELECT 1 FROM organisation`)).toHaveLength(0);
  });
});
