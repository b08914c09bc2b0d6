import { parisDate } from '../libs/common/src/clock';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApiApp } from '../apps/api/src/create-app';
import { AppConfig, loadConfig } from '../libs/config/src/config';
import { OrdersService } from '../libs/funding/src/orders/orders.service';
import { OrganisationKind, Principal } from '../libs/identity/src/access/principal';
import { TransactionRunner } from '../libs/db/src';
import { Ledger } from '../libs/ledger/src';
import { freshDatabase } from './bench-support';

/**
 * A fresh database and the real API application (not listening; jobs in-process), for benchmarks
 * that drive the domain services directly: no HTTP in the way, everything else as in production.
 */
export interface BenchApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Superuser connection to the bench database (setup and references). */
  admin: Client;
  appUrl: string;
  adminUrl: string;
  organisation(kind: OrganisationKind, siren: string): Promise<string>;
  principal(organisationId: string, kinds: OrganisationKind[], role?: Principal['role']): Principal;
  /** An order of `booklets` × `perBooklet`, confirmed, paid, and issued (every voucher ACTIVE). */
  paidOrder(operator: Principal, funderId: string, booklets: number, perBooklet: number): Promise<string>;
  close(): Promise<void>;
}

export async function benchApp(name: string, env: Record<string, string | undefined> = {}): Promise<BenchApp> {
  const urls = await freshDatabase(name);
  const admin = new Client({ connectionString: urls.adminUrl });
  await admin.connect();
  const dataDir = mkdtempSync(join(tmpdir(), 'sillage-bench-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: urls.appUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_MS: '50',
    ...env,
  });
  const app = await createApiApp(config);
  await app.init();
  return {
    app,
    config,
    admin,
    appUrl: urls.appUrl,
    adminUrl: urls.adminUrl,
    async organisation(kind, siren) {
      const r = await admin.query<{ id: string }>(
        `INSERT INTO organisation (kinds, funder_type, legal_name, siren, address_line, postcode, commune_code)
         VALUES ($1, $2, $3, $4, '1 place de la Mairie', '35000', '35238') RETURNING id`,
        [[kind], kind === 'funder' ? 'collectivity' : null, `Bench ${kind} ${siren}`, siren],
      );
      return r.rows[0].id;
    },
    principal(organisationId, kinds, role = 'admin') {
      return { type: 'user', id: randomUUID(), organisationId, organisationKinds: kinds, role };
    },
    async paidOrder(operator, funderId, booklets, perBooklet) {
      const orders = app.get(OrdersService);
      const validity = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
      const order = await orders.create(operator, {
        funderId,
        bookletCount: booklets,
        vouchersPerBooklet: perBooklet,
        validityEndDate: validity,
      });
      const confirmed = await orders.confirm(operator, order.id);
      await orders.recordPayment(operator, order.id, {
        reference: `BENCH-${order.id.slice(0, 8)}`,
        paidOn: parisDate(new Date()),
        amountCents: confirmed.amountDueCents!,
      });
      for (;;) {
        const r = await admin.query<{ activated: boolean }>(
          `SELECT activated_at IS NOT NULL AS activated FROM order_issuance WHERE order_id = $1`,
          [order.id],
        );
        if (r.rows[0]?.activated) return order.id;
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    async close() {
      await app.close();
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** SIRENs with a valid Luhn key, for seeding many organisations: 9 digits, the last one the key. */
export function benchSiren(n: number): string {
  const body = String(100_000_00 + n)
    .padStart(8, '0')
    .slice(-8);
  for (let key = 0; key < 10; key++) {
    const candidate = body + String(key);
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let d = Number(candidate[8 - i]);
      if (i % 2 === 1) d *= 2;
      sum += d > 9 ? d - 9 : d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

/**
 * Qualifies a site as the operator's decision would leave it: profile `qualified` for the workshop
 * category, a label from 30 days ago to a year ahead, its `site_payable` ledger account open.
 */
export async function qualifySite(b: BenchApp, siteId: string): Promise<void> {
  await b.admin.query(
    `INSERT INTO site_profile (organisation_id, service_category_codes, charter_version, charter_accepted_at, status)
     VALUES ($1, '{atelier-collectif}', 'v1', now(), 'qualified')`,
    [siteId],
  );
  await b.admin.query(
    `INSERT INTO site_qualification (site_id, decision, reason_code, label_name, label_valid_from, label_valid_until)
     VALUES ($1, 'qualified', 'charter_signed', 'Lieu labellisé', current_date - 30, current_date + 365)`,
    [siteId],
  );
  await b.app.get(TransactionRunner).run((tx) => b.app.get(Ledger).openAccount(tx, { kind: 'site_payable', ownerOrganisationId: siteId }));
}
