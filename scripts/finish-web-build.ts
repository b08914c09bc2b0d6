import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * `npm run build`, after vite, on dist/web:
 * - the service worker (sw.js) gets the list of the release's assets to keep for offline use, in
 *   place of its placeholder (a new release, a new list, a new cache);
 * - a `.br` and a `.gz` are written beside each asset worth it, which the API serves to browsers that
 *   accept them (@fastify/static `preCompressed`): a phone on a slow network downloads the scanner's
 *   JavaScript and its QR reader at a third of their size, with no CPU spent per request and no
 *   reverse proxy required.
 */
const COMPRESSIBLE = /\.(js|css|wasm|svg|json|html)$/;
/** A free global name in the built worker (a minifier never renames those), see apps/web/sw/sw.ts. */
const PLACEHOLDER = /\b__SILLAGE_PRECACHE__\b/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function compress(path: string): boolean {
  const body = readFileSync(path);
  if (!COMPRESSIBLE.test(path) || body.length < 1024) return false;
  const brotli = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length };
  writeFileSync(`${path}.br`, brotliCompressSync(body, { params: brotli }));
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  return true;
}

const webDir = resolve(process.argv[2] ?? 'dist/web');
const assets = files(join(webDir, 'assets')).filter((f) => !/\.(br|gz)$/.test(f));
const sw = join(webDir, 'sw.js');
if (existsSync(sw)) {
  const code = readFileSync(sw, 'utf8');
  if (!code.match(PLACEHOLDER)) throw new Error(`${sw} has no precache placeholder: was it built from apps/web/sw/sw.ts?`);
  const list = assets.map((f) => `/assets/${f.slice(join(webDir, 'assets').length + 1)}`).sort();
  writeFileSync(sw, code.replace(PLACEHOLDER, JSON.stringify(list)));
}
const compressed = assets.filter(compress).length;
process.stdout.write(`web build: ${assets.length} assets, ${compressed} compressed (.br, .gz), service worker ready\n`);
