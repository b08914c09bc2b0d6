import { totpCode } from '@sillage/identity';
import { bearer, createTestApp, createUser, seedOrganisation, seedUser, sql, TestApp, tokenFor } from '@sillage/testing';
import type { Browser, Page } from 'playwright-core';
import { browserUser, launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations, signInAs } from './browser-support';

/**
 * Everyone's way in (issue 9), in Chromium: login with a TOTP code, TOTP enrolment with a QR code
 * when the role requires a second factor, a session that survives a reload (the access token in
 * memory, the refresh token in the HttpOnly cookie), sign-out, and the set-password link.
 */
describe('web: login, TOTP, profile and set-password, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let operatorId: string;
  let funderId: string;

  beforeAll(async () => {
    t = await createTestApp();
    operatorId = (await seedOrganisation(t, { kinds: ['operator'], legalName: 'Opérateur du pass' })).id;
    funderId = (await seedOrganisation(t, { kinds: ['funder'], legalName: 'Métropole de Lyon' })).id;
    base = await listening(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const page = async (): Promise<Page> => (await browser.newContext()).newPage();

  it('signs an operator admin in with a TOTP code, keeps the session across a reload, and signs out', async () => {
    const admin = await browserUser(t, operatorId, 'admin', { displayName: 'Alice Martin' });
    const p = await page();
    await p.goto(`${base}/login`);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/login.png` });
    await signInAs(p, base, t, admin, '/app/profile');
    await p.getByRole('heading', { level: 1, name: 'Mon profil' }).waitFor();
    expect(plain(await p.locator('.facts').textContent())).toContain(admin.email);
    expect(plain(await p.locator('.facts').textContent())).toContain('Opérateur du pass (opérateur)');
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/profile.png`, fullPage: true });
    // The access token is in memory only: nothing in the page's storage holds it.
    expect(await p.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })')).not.toMatch(/eyJ/);
    const cookies = await p.context().cookies();
    expect(cookies.find((c) => c.name === 'sillage_refresh')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/v1/auth' });

    await p.reload();
    await p.getByRole('heading', { level: 1, name: 'Mon profil' }).waitFor();
    await p.getByRole('button', { name: 'Se déconnecter' }).click();
    await p.getByRole('heading', { level: 1, name: 'Se connecter' }).waitFor();
    await p.goto(`${base}/app/profile`);
    await p.getByRole('heading', { level: 1, name: 'Se connecter' }).waitFor();
    expect(new URL(p.url()).searchParams.get('next')).toBe('/app/profile');
    await p.context().close();
  });

  it('has an accessible home page, and the portals speak English on request (remembered)', async () => {
    const viewer = await browserUser(t, funderId, 'viewer', { totp: false });
    const p = await page();
    await p.goto(`${base}/`);
    await p.getByRole('heading', { level: 1, name: 'Sillage : des chèques traçables' }).waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/home.png` });
    await signInAs(p, base, t, viewer, '/app/profile');
    await p.getByRole('button', { name: 'Switch to English' }).press('Enter');
    await p.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    expect(await p.evaluate('document.documentElement.lang')).toBe('en');
    expect(plain(await p.locator('.facts').textContent())).toContain('Read only');
    await p.reload();
    await p.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    await p.getByRole('navigation', { name: 'Main menu' }).getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.goto(`${base}/app/no-such-page`);
    expect(plain(await p.getByRole('alert').textContent())).toBe('This page does not exist or your account may not open it.');
    await p.context().close();
  });

  it('says plainly when the password or the code is wrong', async () => {
    const admin = await browserUser(t, operatorId, 'admin');
    const p = await page();
    await p.goto(`${base}/login`);
    await p.getByLabel('Adresse e-mail').fill(admin.email);
    await p.getByLabel('Mot de passe').fill('not-the-password');
    await p.getByRole('button', { name: 'Se connecter' }).click();
    expect(plain(await p.getByRole('alert').textContent())).toBe('Adresse e-mail ou mot de passe incorrect.');
    await p.getByLabel('Mot de passe').fill(admin.password!);
    await p.getByRole('button', { name: 'Se connecter' }).click();
    await p.getByLabel('Code de double authentification').waitFor();
    expect(plain(await p.getByRole('alert').textContent())).toBe(
      'Votre compte demande aussi le code de votre application d’authentification.',
    );
    await p.getByLabel('Code de double authentification').fill('000000');
    await p.getByRole('button', { name: 'Se connecter' }).click();
    await p.getByText('Ce code ne correspond pas. Saisissez le code affiché maintenant.').waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.context().close();
  });

  it('enrols a finance user who has no second factor yet with a QR code, then lets them in', async () => {
    const finance = await createUser(t, { organisationId: funderId, role: 'finance', password: true });
    const p = await page();
    await p.goto(`${base}/login`);
    await p.getByLabel('Adresse e-mail').fill(finance.email);
    await p.getByLabel('Mot de passe').fill(finance.password!);
    await p.getByRole('button', { name: 'Se connecter' }).click();
    await p.getByRole('heading', { name: 'Activer la double authentification' }).waitFor();
    await p.getByRole('img', { name: 'QR code à scanner avec votre application d’authentification' }).waitFor();
    const secret = plain(await p.locator('.secret').textContent());
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/totp-enrolment.png`, fullPage: true });
    await p.getByLabel('Code à 6 chiffres').fill(totpCode(secret, Date.now()));
    await p.getByRole('button', { name: 'Activer' }).click();
    await p.getByRole('navigation', { name: 'Menu principal' }).waitFor();
    const [row] = await sql<{ on: boolean }>(t, `SELECT totp_enabled_at IS NOT NULL AS on FROM app_user WHERE id = $1`, [finance.id]);
    expect(row.on).toBe(true);
    await p.context().close();
  });

  it('lets an invited user choose a password with the link, explaining the rules it breaks', async () => {
    const invited = await seedUser(t, { id: funderId, kinds: ['funder'] }, { role: 'viewer', status: 'invited' });
    const admin = await seedUser(t, { id: funderId, kinds: ['funder'] }, { role: 'admin' });
    const res = await t.inject({ method: 'POST', url: `/v1/users/${invited.id}/set-password-link`, headers: bearer(tokenFor(t, admin)) });
    expect(res.statusCode).toBe(201);
    const link = new URL(res.json<{ setPasswordUrl: string }>().setPasswordUrl);
    const p = await page();
    await p.goto(`${base}/set-password${link.hash}`);
    await p.getByRole('heading', { level: 1, name: 'Choisir mon mot de passe' }).waitFor();
    await p.getByLabel('Nouveau mot de passe').fill('court');
    await p.getByLabel('Le même, une seconde fois').fill('court');
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    await p.getByText(/^Ce mot de passe ne convient pas : il est trop court/).waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    const password = 'Cerf-volant-Bleu-2026!';
    await p.getByLabel('Nouveau mot de passe').fill(password);
    await p.getByLabel('Le même, une seconde fois').fill(password);
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    expect(plain(await p.getByRole('status').textContent())).toBe('Votre mot de passe est enregistré. Vous pouvez vous connecter.');
    // The link is spent: a second use says so (a reload: only the fragment would not load the page again).
    await p.reload();
    await p.getByLabel('Nouveau mot de passe').fill(`${password}x`);
    await p.getByLabel('Le même, une seconde fois').fill(`${password}x`);
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    await p.getByText(/^Ce lien n’est plus valable/).waitFor();
    // And the new password works.
    await signInAs(p, base, t, { ...invited, password, totpSecret: undefined });
    await p.context().close();
  });

  it('serves the app’s scripts compressed (brotli or gzip, as the browser accepts), cached for a year', async () => {
    const html = await (await fetch(`${base}/login`)).text();
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/assets\/index-[\w-]+\.js$/);
    const br = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toContain('immutable');
    const gz = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    // fetch decodes both: the same script either way.
    expect(await br.text()).toBe(await gz.text());
  });
});
