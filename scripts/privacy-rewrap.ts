import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../libs/config/src/config';
import { dataSourceOptions } from '../libs/db/src/data-source-options';
import { TransactionRunner } from '../libs/db/src/transaction';
import { VaultService } from '../libs/privacy/src/store/vault.service';

/**
 * `npm run privacy:rewrap`: after adding a new master key in front of PRIVACY_MASTER_KEYS (keeping the
 * old one after it), re-wraps every person's data key under the new one. Personal data is not
 * touched. Once it reports 0 left, the old key can be removed from the configuration.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) throw new Error('privacy:rewrap needs DATABASE_URL');
  const ds = new DataSource(dataSourceOptions(config.database.url, { poolSize: 2 }));
  await ds.initialize();
  try {
    const vault = new VaultService(config);
    const tx = new TransactionRunner(ds);
    const n = await vault.rewrapAll((work) => tx.run(work));
    process.stdout.write(`re-wrapped ${n} data keys under master key ${vault.vault.currentMasterKeyId}\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`privacy:rewrap failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
