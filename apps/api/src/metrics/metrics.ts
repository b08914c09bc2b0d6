import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RedemptionWriterStats } from '@sillage/redemption';

/** One registry per process; tests create several apps, so nothing is registered globally. */
export function createMetrics(redemptions: { stats: RedemptionWriterStats }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'sillage_http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // How many redemptions each statement carried (ADR 20): counters read from the writer when scraped.
  const fromWriter = (name: string, help: string, read: (s: RedemptionWriterStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(redemptions.stats));
      },
    });
  fromWriter('sillage_redemption_statements_total', 'Redemption statements run, alone or grouped', (s) => s.statements);
  fromWriter('sillage_redemptions_grouped_total', 'Redemptions written in a statement of two or more', (s) => s.grouped);
  fromWriter(
    'sillage_redemption_groups_retried_total',
    'Grouped statements that failed, each redemption then written alone',
    (s) => s.groupsRetried,
  );
  return { registry, httpDuration };
}
export type Metrics = ReturnType<typeof createMetrics>;
export const METRICS = Symbol('METRICS');
