import 'reflect-metadata';

/**
 * `npm run bench -- <name>`: runs one benchmark against real services and prints one JSON line.
 * Benchmarks compare against a reference measured in the same run (see docs/benchmarks.md).
 */
const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  http: async () => (await import('./http.bench')).runHttpBench(),
  audit: async () => (await import('./audit.bench')).runAuditBench(),
  ledger: async () => (await import('./ledger.bench')).runLedgerBench(),
  issuance: async () => (await import('./issuance.bench')).runIssuanceBench(),
  distribution: async () => (await import('./distribution.bench')).runDistributionBench(),
  redemption: async () => (await import('./redemption.bench')).runRedemptionBench(),
  settlement: async () => (await import('./settlement.bench')).runSettlementBench(),
  reports: async () => (await import('./reports.bench')).runReportsBench(),
  web: async () => (await import('./web.bench')).runWebBench(),
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}>\n`);
    process.exit(2);
  }
  const result = await bench();
  process.stdout.write(`${JSON.stringify({ bench: name, ...result })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
