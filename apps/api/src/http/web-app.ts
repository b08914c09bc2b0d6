import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The paths the browser app's router answers: each gets its page, the app then renders the route. */
export const WEB_APP_PATHS = ['/', '/p', '/transparence/:slug', '/login', '/set-password', '/app', '/app/*'];

/**
 * Serves the browser app (apps/web, issue 9) built by `npm run build` into WEB_DIR: its hashed
 * assets under /assets/ (cached for a year), its page on the app's paths (never cached, so a new
 * release is picked up). Without a build (an API-only deployment) it serves nothing and says so.
 */
export async function serveWebApp(app: NestFastifyApplication, webDir: string): Promise<void> {
  const root = resolve(webDir);
  const page = join(root, 'index.html');
  if (!existsSync(page)) {
    new Logger('WebApp').warn(`no browser app at ${root} (run npm run build): the API alone is served`);
    return;
  }
  const html = readFileSync(page);
  // preCompressed: the .br/.gz files the build writes (scripts/finish-web-build.ts) go to browsers that accept them.
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    index: false,
    preCompressed: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // The service worker, at the root so it may serve the app's pages offline; never cached by HTTP,
  // so a release replaces it (it then replaces its own cache).
  const serviceWorker = join(root, 'sw.js');
  if (existsSync(serviceWorker)) {
    const code = readFileSync(serviceWorker);
    fastify.get('/sw.js', (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').header('service-worker-allowed', '/').send(code),
    );
  }
  for (const path of WEB_APP_PATHS) {
    fastify.get(path, (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html));
  }
}
