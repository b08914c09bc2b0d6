import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@sillage/config';
import { runMigrations, TransactionRunner } from '@sillage/db';
import { OrdersService } from '../libs/funding/src/orders/orders.service';
import { Principal } from '@sillage/identity';
import { LedgerChecker } from '@sillage/ledger';
import { PrintFilesService } from '../libs/issuance/src/print-files/print-files.service';
import { createApiApp } from '../apps/api/src/create-app';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../libs/db/src/embedded/embedded-postgres';
import { eventually } from './queue-support';

jest.setTimeout(180_000);

/**
 * The order → issuance → payment → print path on embedded PostgreSQL (PGlite, one connection, jobs
 * in-process), as `npm start` runs it on a bare machine: the set-based SQL and the pipelined job
 * must work there too, without deadlocking on the single connection.
 */
describe('orders on embedded PostgreSQL (PGlite)', () => {
  let dataDir: string;
  let pg: EmbeddedPostgres;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sillage-orders-pglite-'));
    pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pglite') });
    await runMigrations(pg.url, { useLock: false });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: pg.url,
      SILLAGE_EMBEDDED: '1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      OUTBOX_POLL_MS: '50',
      ISSUANCE_CHUNK_BOOKLETS: '7',
    });
    app = await createApiApp(config);
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await pg?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('confirms, issues in chunks, activates on payment, renders a CSV, and the ledger check passes', async () => {
    const tx = app.get(TransactionRunner);
    const [operator, funder]: { id: string }[] = await tx.manager.query(
      `INSERT INTO organisation (kinds, funder_type, legal_name, siren, address_line, postcode, commune_code)
       VALUES ('{operator}', NULL, 'Opérateur', '130025265', '1 rue A', '35000', '35238'),
              ('{funder}', 'collectivity', 'Ville de Rennes', '213502388', '1 place B', '35000', '35238')
       RETURNING id`,
    );
    const principal: Principal = {
      type: 'user',
      id: randomUUID(),
      organisationId: operator.id,
      organisationKinds: ['operator'],
      role: 'admin',
    };
    const orders = app.get(OrdersService);
    const validity = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const order = await orders.create(principal, {
      funderId: funder.id,
      bookletCount: 20,
      vouchersPerBooklet: 3,
      validityEndDate: validity,
    });
    const confirmed = await orders.confirm(principal, order.id);
    await orders.recordPayment(principal, order.id, {
      reference: 'VIR-EMB',
      paidOn: new Date().toISOString().slice(0, 10),
      amountCents: confirmed.amountDueCents!,
    });
    const done = await eventually(async () => {
      const o = await orders.get(principal, order.id);
      return o.issuance?.activatedAt ? o : undefined;
    }, 'activation');
    expect(done.issuance).toMatchObject({ bookletCount: 20, bookletsIssued: 20, vouchersIssued: 60 });
    const statuses: { status: string; n: number }[] = await tx.manager.query(
      `SELECT status, count(*)::int AS n FROM voucher WHERE order_id = $1 GROUP BY status`,
      [order.id],
    );
    expect(statuses).toEqual([{ status: 'ACTIVE', n: 60 }]);

    const printFiles = app.get(PrintFilesService);
    await printFiles.request(principal, order.id, 'csv');
    const [file] = await eventually(async () => {
      const list = await printFiles.list(principal, order.id);
      return list.items.every((f) => f.status === 'ready') ? list.items : undefined;
    }, 'print file');
    expect(file.vouchersDone).toBe(60);
    const report = await new LedgerChecker(tx.manager).run();
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
