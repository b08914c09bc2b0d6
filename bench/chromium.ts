/** Debian's Chromium through playwright-core, for the browser tests (test/browser-support.ts) and `npm run bench -- web`. */
import { Browser, chromium } from 'playwright-core';

/** Headless, never a downloaded browser (`.ci/run` installs Debian's `chromium`); `args` adds flags (a fake camera). */
export function launchChromium(args: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
  });
}

/** Chromium's flags for a camera that films the given Y4M file (see qr-video.ts), with no permission prompt. */
export const fakeCameraArgs = (y4mPath: string) => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-video-capture=${y4mPath}`,
];
