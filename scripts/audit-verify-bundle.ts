import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditBundle, verifyAuditBundle } from '../libs/audit/src/audit-verifier';

/**
 * `npm run audit:verify-bundle -- FILE [--key public.pem]`: verifies a bundle from
 * GET /v1/audit/bundle with no database: the checkpoint signature (against `--key` when given, which
 * you should take from GET /v1/audit/keys or a copy you trust, else the key inside the bundle) and
 * every event's inclusion proof. Exit 0 when all verify, 1 otherwise.
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
  const result = verifyAuditBundle(bundle, values.key ? readFileSync(values.key, 'utf8') : undefined);
  if (result.ok) {
    process.stdout.write(
      `OK: ${bundle.events.length} events included in checkpoint ${bundle.checkpoint.treeSize} (key ${bundle.checkpoint.keyId})\n`,
    );
    if (!values.key) process.stdout.write('note: checked against the key inside the bundle; pass --key to pin a key you trust\n');
    return 0;
  }
  process.stdout.write('FAILED:\n');
  for (const p of result.problems) process.stdout.write(`  - ${p}\n`);
  return 1;
}

process.exit(main());
