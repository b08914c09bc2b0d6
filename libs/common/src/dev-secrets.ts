import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Development secrets kept in a JSON file under DATA_DIR, generated on first use, for a bare machine
 * where none is configured (never in production: the configuration requires them there). Written
 * atomically: `link` fails when the file exists, so if two processes race, both read the winner's.
 */
export function loadOrCreateDevSecrets<T>(path: string, generate: () => T): T {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(generate()), { mode: 0o600 });
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
