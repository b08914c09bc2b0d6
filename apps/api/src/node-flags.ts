/**
 * The Node flags the API process runs with, wherever it is started: `npm start` (scripts/start.ts),
 * `npm run start:api`, the Dockerfile, docker-compose.yml, and the http and redemption benchmarks.
 * A test (node-flags.spec.ts) checks that each launcher carries them.
 *
 * `--max-semi-space-size=32` (MB; V8's default tops out at 16): a scanner's request allocates ~80 KB
 * and lives ~1 ms, so with a larger young generation almost nothing outlives it into the old
 * generation. With 16 MB a little of every request was promoted, and a major collection ran every ~9 s
 * at half load, its marking taking both cores for ~50 ms: the slowest redemptions (ADR 19,
 * docs/benchmarks.md). It costs at most 3 × 32 MB of memory.
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
