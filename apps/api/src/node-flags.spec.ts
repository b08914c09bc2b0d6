import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { API_NODE_FLAGS } from './node-flags';

const root = resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(resolve(root, file), 'utf8');

describe('the API’s Node flags', () => {
  it('are the ones every launcher starts the API with (npm, Docker image, docker-compose)', () => {
    const startApi = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start:api'];
    const dockerCmd = read('Dockerfile')
      .split('\n')
      .find((l) => l.startsWith('CMD '));
    const composeApi = read('docker-compose.yml')
      .split('\n')
      .find((l) => l.includes("'dist/apps/api/src/main.js'"));
    expect(API_NODE_FLAGS.length).toBeGreaterThan(0);
    expect(startApi).toBe(`node ${API_NODE_FLAGS.join(' ')} dist/apps/api/src/main.js`);
    for (const flag of API_NODE_FLAGS) {
      expect(dockerCmd).toContain(`"${flag}"`);
      expect(composeApi).toContain(`'${flag}'`);
    }
  });

  it('are passed by `npm start` and the redemption benchmark', () => {
    expect(read('scripts/start.ts')).toMatch(/run\('apps\/api\/src\/main\.js', env, \[\], API_NODE_FLAGS\)/);
    expect(read('bench/redemption.bench.ts')).toContain('...API_NODE_FLAGS');
  });
});
