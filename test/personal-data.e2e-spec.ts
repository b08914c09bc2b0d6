import { parisDate } from '@sillage/common';
import { AuditSealer, verifyAuditLog } from '@sillage/audit';
import { seedOrganisation, seedPartnership, seedUser, sql, tokenFor } from '@sillage/testing';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransactionRunner } from '@sillage/db';
import { VaultService } from '@sillage/privacy';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { api, createOrderWorld, OrderWorld, paidOrder } from './order-support';

jest.setTimeout(120_000);

const SENTINEL = { name: 'Philibertine Vrakzoldt', email: 'philibertine.vrakzoldt@sentinel.example', phone: '+33 7 11 22 33 44' };

interface ExportJson {
  erased: boolean;
  openedRecords: Record<string, { record: Record<string, string | null> | null }>;
  tables: Record<string, Record<string, unknown>[]>;
}

/** A beneficiary's personal data: restricted reads with a purpose, access export, consent withdrawal, erasure. */
describe('personal data', () => {
  let w: OrderWorld;
  let agent: string;
  let distributorAdmin: string;
  let dpo: string;
  let siteUser: string;
  let beneficiaryId: string;
  let distributorId: string;

  beforeAll(async () => {
    w = await createOrderWorld();
    const distributor = await seedOrganisation(w.t, { kinds: ['distributor'] });
    distributorId = distributor.id;
    await seedPartnership(w.t, { id: w.funderId }, distributor);
    agent = tokenFor(w.t, await seedUser(w.t, distributor, { role: 'agent' }));
    distributorAdmin = tokenFor(w.t, await seedUser(w.t, distributor, { role: 'admin' }));
    dpo = tokenFor(w.t, await seedUser(w.t, { id: w.operatorId, kinds: ['operator'] }, { role: 'dpo' }));
    siteUser = tokenFor(w.t, await seedUser(w.t, await seedOrganisation(w.t, { kinds: ['site'] }), { role: 'admin' }));
    await paidOrder(w, { bookletCount: 2, vouchersPerBooklet: 2 });
    const alloc = await api<{ ranges: { fromSerial: string; toSerial: string }[] }>(w.t, 'POST', '/v1/allocations', w.tokens.funder, {
      toDistributorId: distributor.id,
      count: 2,
    });
    const handed = await api<{ beneficiaryId: string }>(w.t, 'POST', '/v1/handovers', agent, {
      bookletSerial: alloc.body.ranges[0].fromSerial,
      profile: { ageBand: '26_44', communeCode: '35238' },
      contact: SENTINEL,
      consent: { purpose: 'reminders', givenOn: parisDate(new Date()), textVersion: 'v1' },
    });
    expect(handed.status).toBe(201);
    beneficiaryId = handed.body.beneficiaryId;
  });
  afterAll(async () => {
    await w.close();
  });

  it('only the recording distributor’s admins and the DPO read it, with a purpose that is logged', async () => {
    const path = `/v1/beneficiaries/${beneficiaryId}?purpose=follow_up`;
    const read = await api<{ records: { contact: { record: Record<string, string> } } }>(w.t, 'GET', path, distributorAdmin);
    expect(read.status).toBe(200);
    expect(read.body.records.contact.record).toEqual(SENTINEL);
    expect((await api(w.t, 'GET', path, dpo)).status).toBe(200);
    // agents, funders, sites, the operator's other roles: no
    for (const token of [agent, w.tokens.funder, w.tokens.op, siteUser])
      expect([403, 404]).toContain((await api(w.t, 'GET', path, token)).status);
    expect((await api(w.t, 'GET', `/v1/beneficiaries/${beneficiaryId}`, distributorAdmin)).status).toBe(400); // purpose required
    const log = await sql<{ what: string; purpose: string; organisation_id: string }>(
      w.t,
      `SELECT what, purpose, organisation_id FROM personal_data_access ORDER BY id`,
    );
    expect(log).toEqual([
      { what: 'profile+records', purpose: 'follow_up', organisation_id: distributorId },
      { what: 'profile+records', purpose: 'follow_up', organisation_id: w.operatorId },
    ]);
  });

  it('exports every column of every table that references the beneficiary (from information_schema)', async () => {
    const exp = await api<ExportJson>(w.t, 'GET', `/v1/beneficiaries/${beneficiaryId}/export`, distributorAdmin);
    expect(exp.status).toBe(200);
    expect(exp.body.openedRecords.contact.record).toEqual(SENTINEL);
    const linked = await sql<{ table_name: string; column_name: string }>(
      w.t,
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       WHERE c.table_schema = 'public' AND c.table_name IN (
         SELECT table_name FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name IN ('profile_id', 'person_pseudonym', 'pseudonym', 'vault_id')
         UNION SELECT 'beneficiary_profile')`,
    );
    const exported = new Set(Object.keys(exp.body.tables));
    // every table linked to a beneficiary holds rows for this person here, so every one must be in the
    // export, and each exported row must carry every column of its table
    for (const { table_name, column_name } of linked) {
      expect(exported).toContain(table_name);
      for (const row of exp.body.tables[table_name]) expect(Object.keys(row)).toContain(column_name);
    }
    expect(new Set(linked.map((l) => l.table_name))).toEqual(
      new Set(['beneficiary_profile', 'handover', 'vault_person', 'vault_record', 'personal_data_access']),
    );
    expect(await sql(w.t, `SELECT 1 FROM audit_event WHERE action = 'beneficiary.exported'`)).toHaveLength(1);
  });

  it('shows the DPO who read the data; a master-key rotation re-wraps every key and the data still opens', async () => {
    const log = await api<{ items: { what: string; purpose: string }[] }>(w.t, 'GET', `/v1/beneficiaries/${beneficiaryId}/access-log`, dpo);
    expect(log.status).toBe(200);
    expect(log.body.items.map((e) => e.what)).toEqual(['profile+records', 'profile+records', 'export']);
    expect((await api(w.t, 'GET', `/v1/beneficiaries/${beneficiaryId}/access-log`, distributorAdmin)).status).toBe(404); // kind mismatch: 404 (ADR 5)

    const dev = JSON.parse(readFileSync(join(w.dataDir, 'dev-privacy-keys.json'), 'utf8')) as { masterKey: string; pseudonymKey: string };
    const newKey = randomBytes(32);
    const rotated = new VaultService({
      ...w.t.config,
      privacy: {
        ...w.t.config.privacy,
        masterKeys: [
          { id: 7, key: newKey },
          { id: 0, key: Buffer.from(dev.masterKey, 'base64') },
        ],
        pseudonymKey: Buffer.from(dev.pseudonymKey, 'base64'),
      },
    });
    const sealedBefore = await sql<{ sealed: Buffer }>(w.t, `SELECT sealed FROM vault_record`);
    const tx = w.t.app.get(TransactionRunner);
    expect(await rotated.rewrapAll((work) => tx.run(work))).toBeGreaterThan(0);
    expect(await sql(w.t, `SELECT DISTINCT get_byte(wrapped_key, 1) AS id FROM vault_person WHERE wrapped_key IS NOT NULL`)).toEqual([
      { id: 7 },
    ]);
    expect(await sql<{ sealed: Buffer }>(w.t, `SELECT sealed FROM vault_record`)).toEqual(sealedBefore); // data untouched
    // the old master key can now go: the new ring alone opens the records
    const newOnly = new VaultService({
      ...w.t.config,
      privacy: { ...w.t.config.privacy, masterKeys: [{ id: 7, key: newKey }], pseudonymKey: Buffer.from(dev.pseudonymKey, 'base64') },
    });
    const [profile] = await sql<{ person_pseudonym: string }>(w.t, `SELECT person_pseudonym FROM beneficiary_profile WHERE id = $1`, [
      beneficiaryId,
    ]);
    const opened = await tx.run((t) => newOnly.records(t, profile.person_pseudonym));
    expect(opened.records.contact.record).toEqual(SENTINEL);
    expect(await rotated.rewrapAll((work) => tx.run(work))).toBe(0);
  });

  it('after consent withdrawal the contact is gone at once; after erasure nothing decrypts, counts stay, audit verifies', async () => {
    const countsBefore = await sql(
      w.t,
      `SELECT (SELECT count(*) FROM beneficiary_profile)::int AS p, (SELECT count(*) FROM handover)::int AS h`,
    );
    const withdrawn = await api<{ deleted: boolean }>(
      w.t,
      'POST',
      `/v1/beneficiaries/${beneficiaryId}/withdraw-consent`,
      distributorAdmin,
      {
        field: 'contact',
      },
    );
    expect(withdrawn.body).toEqual({ deleted: true });
    expect(await sql(w.t, `SELECT 1 FROM vault_record`)).toHaveLength(0);

    const erased = await api(w.t, 'POST', `/v1/beneficiaries/${beneficiaryId}/erase`, dpo, { reasonCode: 'data_subject_request' });
    expect(erased.status).toBe(200);
    const person = await sql<{ wrapped_key: Buffer | null; erased_at: Date | null }>(
      w.t,
      `SELECT wrapped_key, erased_at FROM vault_person`,
    );
    expect(person).toHaveLength(1);
    expect(person[0].wrapped_key).toBeNull();
    expect(person[0].erased_at).not.toBeNull();
    expect(await sql(w.t, `SELECT person_pseudonym FROM beneficiary_profile WHERE id = $1`, [beneficiaryId])).toEqual([
      { person_pseudonym: null },
    ]);
    const exp = await api<ExportJson>(w.t, 'GET', `/v1/beneficiaries/${beneficiaryId}/export`, dpo);
    expect(exp.body.erased).toBe(true);
    expect(exp.body.openedRecords).toEqual({});
    expect(
      await sql(w.t, `SELECT (SELECT count(*) FROM beneficiary_profile)::int AS p, (SELECT count(*) FROM handover)::int AS h`),
    ).toEqual(countsBefore);

    // the sentinel is nowhere in plain text: every table, every audit event
    const tables = await sql<{ table_name: string }>(
      w.t,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const dump = await sql<{ t: string }>(w.t, `SELECT coalesce(string_agg(x::text, E'\\n'), '') AS t FROM ${table_name} x`);
      for (const value of Object.values(SENTINEL)) expect(dump[0].t).not.toContain(value);
    }
    // nor in Redis: every key of this run's queues (job payloads carry ids only)
    const redis = new Redis(w.t.config.redis.url!);
    try {
      const keys = await redis.keys(`${w.t.config.queue.prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const type = await redis.type(key);
        const content =
          type === 'string'
            ? await redis.get(key)
            : type === 'hash'
              ? JSON.stringify(await redis.hgetall(key))
              : type === 'list'
                ? JSON.stringify(await redis.lrange(key, 0, -1))
                : type === 'set'
                  ? JSON.stringify(await redis.smembers(key))
                  : type === 'zset'
                    ? JSON.stringify(await redis.zrange(key, 0, -1))
                    : type === 'stream'
                      ? JSON.stringify(await redis.xrange(key, '-', '+'))
                      : '';
        for (const value of Object.values(SENTINEL)) expect(content ?? '').not.toContain(value);
      }
    } finally {
      redis.disconnect();
    }
    await w.t.app.get(AuditSealer).sealPending({});
    const c = new Client({ connectionString: w.t.db.adminUrl });
    await c.connect();
    try {
      const report = await verifyAuditLog(c, {});
      expect(report.ok).toBe(true);
    } finally {
      await c.end();
    }
  });
});
