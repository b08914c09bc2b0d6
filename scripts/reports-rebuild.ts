import { DataSource } from 'typeorm';
import { dataSourceOptions, TransactionRunner } from '../libs/db/src';
import { ReportConsumer } from '../libs/reporting/src/consumer/report-consumer';

/**
 * `npm run reports:rebuild`: empties the report aggregates and consumes the sealed audit log again,
 * from leaf 0 to the latest checkpoint (ADR 16). The result must equal what the running consumer
 * built incrementally (the reporting tests compare them row by row). Uses DATABASE_URL.
 */
export async function rebuildReports(url: string): Promise<{ treeSize: number; consumed: number }> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
  await ds.initialize();
  try {
    return await new ReportConsumer(new TransactionRunner(ds)).rebuild();
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('reports:rebuild needs DATABASE_URL\n');
    process.exit(2);
  }
  rebuildReports(url).then(
    (r) => {
      process.stdout.write(`report aggregates rebuilt from ${r.consumed} sealed events (tree size ${r.treeSize})\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`reports:rebuild failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
