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
 *
 * `--heap-growing-percent=100`: after a major collection the old generation may double before the
 * next one. V8 had set the limit at about 1.1 × the live heap (~71 MB), so the ~1 MB/s still promoted
 * at half load (the booklet cache, in-flight requests) brought a major collection every ~7 s. With
 * twice the live heap as the limit, one came in 30 s. It costs up to one more live heap of memory.
 *
 * `--no-allocation-site-pretenuring`: V8 watches which object literals outlive a scavenge and, when
 * most from one allocation site do, allocates that site's objects straight in the old generation. The
 * redemption writer's and the code resolver's per-request objects were allocated there (a heap profile
 * of what outlived scavenges, taken at a steady 1,580 redemptions/s after a burst at full speed),
 * though each lives a few milliseconds: ~8 MB/s of dead requests reached the old generation, and a
 * major collection (both cores for ~50 ms) came every ~3.7 s, with the slowest answers of the run.
 * Without pretenuring they die young: one major collection in 30 s, and the p99 at that rate fell
 * from 25.2–50.4 ms to 14.8–22.6 ms (ADR 22).
 */
export const API_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=32',
  '--heap-growing-percent=100',
  '--no-allocation-site-pretenuring',
];
