import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * `npm run build` (after vite): writes a `.br` and a `.gz` beside each built asset worth it, which the
 * API serves to browsers that accept them (@fastify/static `preCompressed`). A phone on a slow network
 * then downloads the scanner's JavaScript and its QR reader at a third of their size, with no CPU
 * spent compressing per request and no reverse proxy required.
 */
const COMPRESSIBLE = /\.(js|css|wasm|svg|json|html)$/;

function compressDir(dir: string): number {
  let files = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      files += compressDir(path);
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const body = readFileSync(path);
    if (body.length < 1024) continue;
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    );
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
    files++;
  }
  return files;
}

const dir = resolve(process.argv[2] ?? 'dist/web/assets');
const n = compressDir(dir);
process.stdout.write(`compressed ${n} web assets in ${dir}\n`);
