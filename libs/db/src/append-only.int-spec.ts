import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@sillage/testing';

/** The application role can add history but never rewrite it, nor switch the guard off. */
describe('append-only tables and the application role', () => {
  let db: TestDatabase;
  let app: Client;
  let owner: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = new Client({ connectionString: db.appUrl });
    owner = new Client({ connectionString: db.ownerUrl });
    await Promise.all([app.connect(), owner.connect()]);
    await app.query(
      `INSERT INTO audit_event (id, recorded_at, action, actor_type, subject_type, canonical) VALUES (gen_random_uuid(), now(), 'test.done', 'system', 'test', '\\x7b7d')`,
    );
  });
  afterAll(async () => {
    await Promise.all([app.end(), owner.end()]);
    await db.drop();
  });

  it('lets the application role insert and read audit events', async () => {
    const { rows } = await app.query(`SELECT action FROM audit_event`);
    expect(rows).toEqual([{ action: 'test.done' }]);
  });

  it.each([
    ['UPDATE', `UPDATE audit_event SET action = 'forged'`],
    ['DELETE', `DELETE FROM audit_event`],
    ['TRUNCATE', `TRUNCATE audit_event`],
    ['DISABLE TRIGGER', `ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`],
    ['DROP TRIGGER', `DROP TRIGGER audit_event_append_only ON audit_event`],
    ['CREATE TABLE', `CREATE TABLE sneaky (id int)`],
  ])('refuses %s by the application role', async (_, sql) => {
    await expect(app.query(sql)).rejects.toThrow(/permission denied|must be owner|append-only/);
    const { rows } = await app.query(`SELECT action FROM audit_event`);
    expect(rows).toEqual([{ action: 'test.done' }]);
  });

  it('refuses UPDATE and DELETE even by the owner: corrections are new rows', async () => {
    await expect(owner.query(`UPDATE audit_event SET action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
  });

  it('gives the application role full DML on working tables', async () => {
    await app.query(`INSERT INTO service_category (code, label_fr, label_en) VALUES ('atelier', 'Atelier', 'Workshop')`);
    await app.query(`UPDATE service_category SET active = false WHERE code = 'atelier'`);
    const { rows } = await app.query(`SELECT active FROM service_category WHERE code = 'atelier'`);
    expect(rows).toEqual([{ active: false }]);
  });
});
