/** Browser tests (issue 9): Debian's Chromium through playwright-core, against the API on a real port. */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { generateTotpSecret, type Role } from '@sillage/identity';
import { createUser, FixtureUser, nextTotpCode, type TestApp } from '@sillage/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium as launchBrowser } from '../bench/chromium';
export { fakeCameraArgs } from '../bench/chromium';

/** Where tests save screenshots for review (git-ignored). */
export const SCREENSHOTS = 'var/screenshots';

/** French number formats use narrow and ordinary no-break spaces: compare with plain spaces. */
export const plain = (s: string | null) => (s ?? '').replace(/[\s\u202f\u00a0]+/g, ' ').trim();

/** Debian's Chromium, headless (shared with the web benchmark); screenshots' folder made first. */
export function launchChromium(args: string[] = []): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launchBrowser(args);
}

/** The test app listening on a free local port; its base URL. */
export async function listening(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
}

/** axe's serious and critical violations on the page, as "rule: help" (none expected). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

/** A user who signs in through the login page: a real password, and a TOTP secret when the role needs one. */
export async function browserUser(
  t: TestApp,
  organisationId: string,
  role: Role,
  o: { totp?: boolean; displayName?: string } = {},
): Promise<FixtureUser> {
  // Operator users, admins and finance must have a second factor (TOTP_POLICY); others may.
  return createUser(t, {
    organisationId,
    role,
    password: true,
    displayName: o.displayName,
    totpSecret: o.totp === false ? undefined : generateTotpSecret(),
  });
}

/** Signs in through the login page (email, password, then the TOTP code when asked) and waits for the portal. */
export async function signInAs(page: Page, base: string, t: TestApp, user: FixtureUser, next = '/app'): Promise<void> {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/^(Adresse e-mail|Email address)$/).fill(user.email);
  await page.getByLabel(/^(Mot de passe|Password)$/).fill(user.password!);
  await page.getByRole('button', { name: /^(Se connecter|Sign in)$/ }).click();
  if (user.totpSecret) {
    const code = page.getByLabel(/^(Code de double authentification|Two-factor code)$/);
    await code.waitFor();
    await code.fill(await nextTotpCode(t, user.email, user.totpSecret));
    await page.getByRole('button', { name: /^(Se connecter|Sign in)$/ }).click();
  }
  await page.getByRole('navigation', { name: /^(Menu principal|Main menu)$/ }).waitFor();
}
