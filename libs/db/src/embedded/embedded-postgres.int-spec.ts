import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

// Runs PGlite in-process: needs no PostgreSQL server. Starting the WASM engine takes seconds on a
// fresh directory (initdb), hence the generous timeouts.
jest.setTimeout(120_000);

describe('startEmbeddedPostgres', () => {
  let dataDir: string;
  let pgEmbedded: EmbeddedPostgres | undefined;

  const connect = async (url: string): Promise<Client> => {
    const client = new Client({ connectionString: url });
    // An 'error' event with no listener would crash the worker when a test drops a connection.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sillage-pglite-'));
    pgEmbedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'nested', 'pglite'), port: 0 });
  });

  afterAll(async () => {
    await pgEmbedded?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a postgres:// URL on loopback and creates the data directory', async () => {
    expect(pgEmbedded!.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(pgEmbedded!.dataDir).toBe(path.join(dataDir, 'nested', 'pglite'));
    expect(fs.existsSync(path.join(pgEmbedded!.dataDir, 'PG_VERSION'))).toBe(true);
  });

  it('runs constraints, plpgsql triggers, transactions, time zones, advisory locks and gen_random_uuid()', async () => {
    const c = await connect(pgEmbedded!.url);
    try {
      await c.query(
        `CREATE TABLE ledger (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), cents bigint NOT NULL CHECK (cents > 0), at timestamptz NOT NULL DEFAULT now())`,
      );
      await c.query(`CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ledger is append-only (% refused)', TG_OP; END $$`);
      await c.query(`CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

      const { rows } = await c.query(`INSERT INTO ledger (cents, at) VALUES (1500, '2024-03-31T01:30:00Z') RETURNING id`);
      expect(rows[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);

      await expect(c.query(`INSERT INTO ledger (cents) VALUES (0)`)).rejects.toMatchObject({ code: '23514' });
      await expect(c.query(`UPDATE ledger SET cents = 1`)).rejects.toThrow('ledger is append-only (UPDATE refused)');
      await expect(c.query(`DELETE FROM ledger`)).rejects.toThrow('ledger is append-only (DELETE refused)');

      await c.query('BEGIN');
      await c.query(`INSERT INTO ledger (cents) VALUES (99)`);
      await c.query('ROLLBACK');
      expect((await c.query(`SELECT cents FROM ledger ORDER BY at`)).rows).toEqual([{ cents: '1500' }]);

      // Paris switches to summer time at 01:00 UTC on 2024-03-31: the tz database is there.
      const tz = await c.query(`SELECT at, (at AT TIME ZONE 'Europe/Paris')::text AS paris,
        ('2024-03-31T00:30:00Z'::timestamptz AT TIME ZONE 'Europe/Paris')::text AS before_switch,
        ('2024-01-15 12:00'::timestamp AT TIME ZONE 'Europe/Paris') AS noon FROM ledger`);
      expect(tz.rows[0].at).toEqual(new Date('2024-03-31T01:30:00Z'));
      expect(tz.rows[0].paris).toBe('2024-03-31 03:30:00');
      expect(tz.rows[0].before_switch).toBe('2024-03-31 01:30:00');
      expect(tz.rows[0].noon).toEqual(new Date('2024-01-15T11:00:00Z'));

      expect((await c.query(`SELECT pg_advisory_lock(4242)`)).rowCount).toBe(1);
      expect((await c.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`)).rows[0].n).toBe(1);
      expect((await c.query(`SELECT pg_advisory_unlock(4242) AS ok`)).rows[0].ok).toBe(true);
      expect((await c.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`)).rows[0].n).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('lets a second client in once the first has gone, and sees its data', async () => {
    const first = await connect(pgEmbedded!.url);
    await first.query(`CREATE TABLE handover (n int)`);
    await first.query(`INSERT INTO handover VALUES (1)`);
    await first.end();

    const second = await connect(pgEmbedded!.url);
    try {
      expect((await second.query(`SELECT n FROM handover`)).rows).toEqual([{ n: 1 }]);
    } finally {
      await second.end();
    }
  });

  it('holds a second concurrent client until the first one leaves (one backend, one client)', async () => {
    const first = await connect(pgEmbedded!.url);
    await first.query('BEGIN');
    await first.query(`INSERT INTO handover VALUES (2)`);

    let secondIn = false;
    const second = connect(pgEmbedded!.url).then((c) => {
      secondIn = true;
      return c;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(secondIn).toBe(false);

    await first.query('COMMIT');
    await first.end();
    const c = await second;
    try {
      expect((await c.query(`SELECT n FROM handover ORDER BY n`)).rows).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await c.end();
    }
  });

  it('does not let a client that was not awaited (pool replacing a connection) be refused', async () => {
    for (let i = 0; i < 5; i++) {
      const c = await connect(pgEmbedded!.url);
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      void c.end();
    }
    const last = await connect(pgEmbedded!.url);
    await last.end();
  });

  it('rolls back and resets the session of a client that disconnects mid-transaction', async () => {
    const dropped = await connect(pgEmbedded!.url);
    await dropped.query(`SET TimeZone = 'Asia/Tokyo'`);
    await dropped.query(`SELECT pg_advisory_lock(7)`);
    await dropped.query({ name: 'probe', text: 'SELECT 1' });
    await dropped.query('BEGIN');
    await dropped.query(`INSERT INTO handover VALUES (3)`);
    // Abrupt: no Terminate message, no COMMIT.
    (dropped as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();

    const next = await connect(pgEmbedded!.url);
    try {
      expect((await next.query(`SELECT n FROM handover ORDER BY n`)).rows).toEqual([{ n: 1 }, { n: 2 }]);
      expect((await next.query(`SHOW TimeZone`)).rows[0].TimeZone).toBe('UTC');
      expect((await next.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`)).rows[0].n).toBe(0);
      // Same statement name again: would fail with "already exists" if the session were shared.
      expect((await next.query({ name: 'probe', text: 'SELECT 2 AS two' })).rows).toEqual([{ two: 2 }]);
    } finally {
      await next.end();
    }
  });

  it('refuses a second engine on the same data directory, in this process or another one', async () => {
    await expect(startEmbeddedPostgres({ dataDir: pgEmbedded!.dataDir })).rejects.toThrow(/already running/);

    const other = fs.mkdtempSync(path.join(dataDir, 'other-'));
    // The Jest parent process is alive and is not us: it stands for another Sillage on the directory.
    fs.writeFileSync(path.join(other, '.sillage-embedded.lock'), `${process.ppid}\n`);
    await expect(startEmbeddedPostgres({ dataDir: other })).rejects.toThrow(`in use by process ${process.ppid}`);
  });

  it('works with a TypeORM DataSource (pool of one) including dataSource.transaction()', async () => {
    const ds = new DataSource({ type: 'postgres', url: pgEmbedded!.url, poolSize: 1, synchronize: false, logging: false });
    await ds.initialize();
    try {
      const inside = await ds.transaction(async (tx) => {
        await tx.query(`INSERT INTO handover VALUES ($1)`, [10]);
        return tx.query(`SELECT count(*)::int AS n FROM handover`);
      });
      expect(inside).toEqual([{ n: 3 }]);
      await expect(
        ds.transaction(async (tx) => {
          await tx.query(`INSERT INTO handover VALUES ($1)`, [11]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await ds.query(`SELECT n FROM handover ORDER BY n`)).toEqual([{ n: 1 }, { n: 2 }, { n: 10 }]);
    } finally {
      await ds.destroy();
    }
  });

  it('keeps the data across stop and start on the same directory (even after a crash left its lock file)', async () => {
    const dir = pgEmbedded!.dataDir;
    await pgEmbedded!.stop();
    await pgEmbedded!.stop(); // idempotent
    expect(fs.existsSync(path.join(dir, '.sillage-embedded.lock'))).toBe(false);

    // As left by a crashed run: a dead pid does not block the next start.
    fs.writeFileSync(path.join(dir, '.sillage-embedded.lock'), '999999999\n');
    pgEmbedded = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
    const c = await connect(pgEmbedded.url);
    try {
      expect((await c.query(`SELECT n FROM handover ORDER BY n`)).rows).toEqual([{ n: 1 }, { n: 2 }, { n: 10 }]);
      expect((await c.query(`SELECT count(*)::int AS n FROM ledger`)).rows).toEqual([{ n: 1 }]);
    } finally {
      await c.end();
    }
  });

  it('rolls back a transaction left open by a client when stopped', async () => {
    const dir = pgEmbedded!.dataDir;
    const c = await connect(pgEmbedded!.url);
    await c.query('BEGIN');
    await c.query(`INSERT INTO handover VALUES (99)`);
    await pgEmbedded!.stop();

    pgEmbedded = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
    const again = await connect(pgEmbedded.url);
    try {
      expect((await again.query(`SELECT count(*)::int AS n FROM handover WHERE n = 99`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await again.end();
    }
  });
});
