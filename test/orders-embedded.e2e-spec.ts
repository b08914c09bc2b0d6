import { parisDate } from '@sillage/common';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@sillage/config';
import { runMigrations, TransactionRunner } from '@sillage/db';
import { OrdersService } from '../libs/funding/src/orders/orders.service';
import { Principal } from '@sillage/identity';
import { Ledger, LedgerChecker } from '@sillage/ledger';
import { IssuanceKeys, signVoucherToken } from '@sillage/issuance';
import { RedemptionsService } from '@sillage/redemption';
import { PrintFilesService } from '../libs/issuance/src/print-files/print-files.service';
import { createApiApp } from '../apps/api/src/create-app';
import { AuditSealer } from '@sillage/audit';
import { FunnelService, MoneyService, ReportConsumer } from '@sillage/reporting';
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
      paidOn: parisDate(new Date()),
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

    // A site redeems a voucher through the one-statement redemption (named prepared statement on the
    // single embedded connection), exactly once, and the ledger still balances.
    await tx.manager.query(`UPDATE purchase_order SET redeemable_before_distribution = true WHERE id = $1`, [order.id]);
    const [site]: { id: string }[] = await tx.manager.query(
      `INSERT INTO organisation (kinds, legal_name, siren, address_line, postcode, commune_code)
       VALUES ('{site}', 'Espace numérique', '552100554', '2 rue C', '35000', '35238') RETURNING id`,
    );
    await tx.manager.query(
      `INSERT INTO site_profile (organisation_id, service_category_codes, charter_version, charter_accepted_at, status)
       VALUES ($1, '{atelier-collectif}', 'v1', now(), 'qualified')`,
      [site.id],
    );
    await tx.manager.query(
      `INSERT INTO site_qualification (site_id, decision, reason_code, label_name, label_valid_from, label_valid_until)
       VALUES ($1, 'qualified', 'charter_signed', 'Label', current_date - 1, current_date + 30)`,
      [site.id],
    );
    await tx.run((m) => app.get(Ledger).openAccount(m, { kind: 'site_payable', ownerOrganisationId: site.id }));
    const [voucher]: { serial: string }[] = await tx.manager.query(
      `SELECT b.serial || '-' || lpad(v.idx::text, 2, '0') AS serial FROM voucher v JOIN booklet b ON b.id = v.booklet_id
       WHERE v.order_id = $1 ORDER BY v.id LIMIT 1`,
      [order.id],
    );
    const keys = app.get(IssuanceKeys);
    const qrToken = signVoucherToken(keys.signing, { s: voucher.serial, v: Number(confirmed.faceValueCents) });
    const agent: Principal = { type: 'user', id: randomUUID(), organisationId: site.id, organisationKinds: ['site'], role: 'agent' };
    const redemptions = app.get(RedemptionsService);
    const input = { vouchers: [{ qrToken }], serviceCategoryCode: 'atelier-collectif', occurredAt: new Date().toISOString() };
    const redeemed = await redemptions.redeem(agent, input, 'embedded-scan-1', 'online');
    expect(redeemed.vouchers).toEqual([{ serial: voucher.serial, amountCents: Number(confirmed.faceValueCents) }]);
    expect(await redemptions.redeem(agent, input, 'embedded-scan-1', 'online')).toEqual(redeemed);
    await expect(redemptions.redeem(agent, input, 'embedded-scan-2', 'online')).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
    const report = await new LedgerChecker(tx.manager).run();
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);

    // Reports (issue 8) on PGlite too: the sealed log consumed into the aggregates, then read.
    await app.get(AuditSealer).sealPending();
    const consumed = await app.get(ReportConsumer).consume();
    expect(consumed.treeSize).toBeGreaterThan(0);
    const funnel = await app.get(FunnelService).report(principal, { groupBy: 'order' });
    expect(funnel.checkpoint?.treeSize).toBe(consumed.treeSize);
    expect(funnel.total.steps).toMatchObject({ issued: { vouchers: 60 }, active: { vouchers: 60 }, redeemed: { vouchers: 1 } });
    expect(funnel.timeToFirstUse).toEqual({ booklets: 0, medianDays: null, p90Days: null });
    const money = await app.get(MoneyService).report(undefined, 'month');
    expect(money.receivedCents).toBe(confirmed.amountDueCents);
    const rebuilt = await app.get(ReportConsumer).rebuild();
    expect(rebuilt.treeSize).toBe(consumed.treeSize);
    expect((await app.get(FunnelService).report(principal, { groupBy: 'order' })).total).toEqual(funnel.total);
  });
});
