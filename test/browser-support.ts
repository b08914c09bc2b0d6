/** Browser tests (issue 9): Debian's Chromium through playwright-core, against the API on a real port. */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { TestApp } from '@sillage/testing';
import { Browser, chromium, Page } from 'playwright-core';

/** Where tests save screenshots for review (git-ignored). */
export const SCREENSHOTS = 'var/screenshots';

/** French number formats use narrow and ordinary no-break spaces: compare with plain spaces. */
export const plain = (s: string | null) => (s ?? '').replace(/[\s\u202f\u00a0]+/g, ' ').trim();

/** Debian's Chromium (`.ci/run` installs it), headless, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
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
