import { QueryRunner } from 'typeorm';

/**
 * The application role (`sillage_app` unless configured) owns nothing. Migrations grant it what each
 * table needs: full DML on working tables, INSERT/SELECT only on append-only ones, so not even a bug
 * in the app can rewrite history or disable a trigger (only an owner can). In embedded mode there is
 * one role and the role does not exist: the grant is skipped.
 */
export const APP_ROLE = 'sillage_app';

export type TableAccess = 'read-write' | 'append-only' | 'read-only';

export async function grantAppAccess(q: QueryRunner, table: string, access: TableAccess): Promise<void> {
  const privileges = access === 'read-write' ? 'SELECT, INSERT, UPDATE, DELETE' : access === 'append-only' ? 'SELECT, INSERT' : 'SELECT';
  await q.query(`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        EXECUTE 'GRANT ${privileges} ON TABLE ${table} TO ${APP_ROLE}';
      END IF;
    END $$`);
}

/** Sequences behind identity/serial columns need USAGE for INSERTs by the app role. */
export async function grantSequenceUsage(q: QueryRunner, sequence: string): Promise<void> {
  await q.query(`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE ${sequence} TO ${APP_ROLE}';
      END IF;
    END $$`);
}

/**
 * Refuses UPDATE and DELETE (and TRUNCATE) on an append-only table, whoever asks: corrections are
 * new rows. The shared function is created by the first migration.
 */
export async function makeAppendOnly(q: QueryRunner, table: string): Promise<void> {
  await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  await grantAppAccess(q, table, 'append-only');
}
