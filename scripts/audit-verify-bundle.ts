import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditBundle, verifyAuditBundle } from '../libs/audit/src/audit-verifier';
import { verifyOrderEvidence } from '../libs/reporting/src/orders/evidence-verifier';
import type { OrderEvidenceBundle } from '../libs/reporting/src/orders/order-figures.service';

/**
 * `npm run audit:verify-bundle -- FILE [--key public.pem]`: verifies a bundle from
 * GET /v1/audit/bundle with no database: the checkpoint signature (against `--key` when given, which
 * you should take from GET /v1/audit/keys or a copy you trust, else the key inside the bundle) and
 * every event's inclusion proof. Exit 0 when all verify, 1 otherwise.
 *
 * An evidence file from GET /v1/reports/orders/evidence (format sillage.report.evidence.v1) is also
 * recomputed: every order's figures from its events, compared with the report's (issue 8).
 */
function main(): number {
  const { values, positionals } = parseArgs({ options: { key: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) {
    process.stderr.write('usage: npm run audit:verify-bundle -- FILE [--key public.pem]\n');
    return 2;
  }
  let bundle: AuditBundle;
  try {
    bundle = JSON.parse(readFileSync(positionals[0], 'utf8')) as AuditBundle;
  } catch (e) {
    process.stdout.write(`FAILED: ${positionals[0]} is not a readable JSON bundle (${e instanceof Error ? e.message : String(e)})\n`);
    return 1;
  }
  const key = values.key ? readFileSync(values.key, 'utf8') : undefined;
  if ((bundle as { format?: string }).format === 'sillage.report.evidence.v1') {
    const evidence = bundle as unknown as OrderEvidenceBundle;
    const checked = verifyOrderEvidence(evidence, key);
    if (checked.ok) {
      process.stdout.write(
        `OK: ${evidence.events.length} events included in checkpoint ${evidence.checkpoint.treeSize} (key ${evidence.checkpoint.keyId}); ` +
          `the figures of ${checked.orders} orders as of ${evidence.asOf} recomputed from them\n`,
      );
      if (!key) process.stdout.write('note: checked against the key inside the bundle; pass --key to pin a key you trust\n');
      return 0;
    }
    process.stdout.write('FAILED:\n');
    for (const p of checked.problems) process.stdout.write(`  - ${p}\n`);
    return 1;
  }
  const result = verifyAuditBundle(bundle, key);
  if (result.ok) {
    process.stdout.write(
      `OK: ${bundle.events.length} events included in checkpoint ${bundle.checkpoint.treeSize} (key ${bundle.checkpoint.keyId})\n`,
    );
    if (!key) process.stdout.write('note: checked against the key inside the bundle; pass --key to pin a key you trust\n');
    return 0;
  }
  process.stdout.write('FAILED:\n');
  for (const p of result.problems) process.stdout.write(`  - ${p}\n`);
  return 1;
}

process.exit(main());
