import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { verifyAuditLog } from '../libs/audit/src/audit-verifier';
import { auditKeyId } from '../libs/audit/src/checkpoint';

/**
 * `npm run audit:verify [-- --key public.pem ...]`: rebuilds the audit tree from the stored canonical
 * bytes and checks every checkpoint (root, chain, signature). Connects to DATABASE_OWNER_URL, else
 * DATABASE_URL. `--key` pins the trusted public keys (otherwise the keys registered in the database
 * are used). Exit 0 when everything verifies, 1 naming the first bad leaf index otherwise.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { key: { type: 'string', multiple: true } } });
  const url = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('audit:verify needs DATABASE_OWNER_URL or DATABASE_URL\n');
    return 2;
  }
  const trustedKeys = values.key?.length
    ? new Map(
        values.key.map((path) => {
          const pem = readFileSync(path, 'utf8');
          return [auditKeyId(createPublicKey(pem)), pem] as const;
        }),
      )
    : undefined;
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  try {
    const report = await verifyAuditLog(client, { trustedKeys });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `audit log: ${report.leaves} leaves, ${report.checkpoints} checkpoints, ${report.unsealedEvents} events not sealed yet (${seconds} s)\n`,
    );
    if (report.ok) {
      process.stdout.write('OK: every leaf hash, checkpoint root, chain link and signature verifies\n');
      return 0;
    }
    process.stdout.write(`FAILED: first bad leaf index ${report.firstBadLeafIndex ?? '(none: checkpoint metadata)'}\n`);
    for (const p of report.problems) process.stdout.write(`  - ${p}\n`);
    return 1;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
