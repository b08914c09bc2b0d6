import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Embedded PostgreSQL for running Sillage with no database server: PGlite (PostgreSQL 18 compiled to
 * WASM, single user, single backend) keeps its files in `dataDir`, and `@electric-sql/pglite-socket`
 * speaks the wire protocol so the ordinary `pg` driver and TypeORM connect to it over TCP.
 *
 * PGlite is ONE backend session. The socket server queues the messages of all its connections into
 * that one engine, so two client connections would share a session and interleave their
 * transactions. Hence exactly one client at a time: callers use a pool of one
 * (`poolSize: 1`), and this module puts a small gate in front of the socket server that holds any
 * further connection until the previous one is gone, then resets the session, like a fresh
 * backend would be. Without the gate, a client that connects while the previous one is still
 * closing (pg-pool replacing an idle or broken client does exactly that) is refused by the
 * socket server with a non-protocol "Too many connections" line, which `pg` reports as
 * "Connection terminated unexpectedly".
 *
 * Extensions: `gen_random_uuid()` is built into PostgreSQL 13+ and works in PGlite 0.5 without
 * pgcrypto (as does PG 18's `uuidv7()`); only plpgsql is installed, so a migration must not
 * `CREATE EXTENSION pgcrypto` (PGlite ships it as a separately loaded bundle we do not load).
 */

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps its files; created if missing and reused, with its data, on the next start. */
  dataDir: string;
  /** Interface to listen on. Default 127.0.0.1: the embedded database has no password at all. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one, so an installed PostgreSQL on 5432 never clashes. */
  port?: number;
  /** Receives non-fatal problems (a session that could not be reset); silent by default. */
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, for `pg` and TypeORM (with a pool of one). */
  url: string;
  /** Absolute path of the data directory. */
  dataDir: string;
  /** Closes client connections, the socket servers and PGlite (flushing it); safe to call twice. */
  stop(): Promise<void>;
}

/** Kept inside the data directory so it travels with it; PGlite ignores files it does not know. */
const LOCK_FILE = '.sillage-embedded.lock';
/** How long a hand-over waits for the socket server to notice a closed connection before going on. */
const DETACH_WAIT_MS = 5_000;
/** A half-closed socket that never finishes closing is destroyed after this long. */
const CLOSE_GRACE_MS = 2_000;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const log = opts.log ?? (() => undefined);
  await fs.promises.mkdir(dataDir, { recursive: true });
  const releaseLock = lockDataDir(dataDir);

  let db: PGlite | undefined;
  let engine: PGLiteSocketServer | undefined;
  let gate: ConnectionGate | undefined;
  try {
    const { PGlite, PGLiteSocketServer } = loadPglite();

    db = await PGlite.create({ dataDir });
    // The engine's own listener is private to the gate (loopback, random port); maxConnections 1 is
    // the library default, spelled out because everything here depends on it.
    engine = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await engine.start();

    gate = new ConnectionGate(db, engine, portOf(engine.getServerConn()), log);
    const host = opts.host ?? '127.0.0.1';
    const port = await gate.listen(opts.port ?? 0, host);

    const started = { db, engine, gate };
    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://postgres@${urlHost(host)}:${port}/postgres`,
      dataDir,
      stop: () => (stopping ??= shutDown(started.gate, started.engine, started.db, releaseLock)),
    };
  } catch (e) {
    await shutDown(gate, engine, db, releaseLock).catch(() => undefined);
    throw e;
  }
}

/**
 * Both packages ship CommonJS builds that load with a plain require() on Node 20 (checked), so no
 * `new Function('s', 'return import(s)')` trick is needed for our own code. But PGlite's CJS build
 * itself calls `import()` internally ('module', 'fs/promises', 'zlib') while loading its WASM, and
 * inside Jest's vm sandbox that throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG (unless node runs
 * with --experimental-vm-modules); Jest also swaps `require('node:module').createRequire` for its
 * own. `process.getBuiltinModule` (Node >= 20.16) returns the real module loader even there, so
 * PGlite loads through Node's own require, outside the sandbox. In a normal process this is
 * exactly `require`. Loaded on first use: with an external database the WASM engine never loads.
 */
function loadPglite(): {
  PGlite: typeof import('@electric-sql/pglite').PGlite;
  PGLiteSocketServer: typeof import('@electric-sql/pglite-socket').PGLiteSocketServer;
} {
  const realCreateRequire = process.getBuiltinModule?.('module').createRequire ?? createRequire;
  const nodeRequire = realCreateRequire(__filename);
  const { PGlite } = nodeRequire('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const { PGLiteSocketServer } = nodeRequire('@electric-sql/pglite-socket') as typeof import('@electric-sql/pglite-socket');
  return { PGlite, PGLiteSocketServer };
}

async function shutDown(
  gate: ConnectionGate | undefined,
  engine: PGLiteSocketServer | undefined,
  db: PGlite | undefined,
  releaseLock: () => void,
): Promise<void> {
  try {
    // Clients first, so that an open transaction is rolled back through the normal disconnect path
    // before the engine goes away.
    await gate?.close();
    await engine?.stop();
    if (db && !db.closed) {
      if (db.isInTransaction()) await db.exec('ROLLBACK');
      await db.close();
    }
  } finally {
    releaseLock();
  }
}

interface Waiting {
  socket: net.Socket;
  /** Bytes the client sent (its startup message) while it waited for its turn. */
  received: Buffer[];
  onData: (chunk: Buffer) => void;
}

/**
 * Accepts any number of TCP connections but lets exactly one through to the socket server at a
 * time, in arrival order, like a pool handing out its one connection. Between two clients it waits
 * until the socket server has let go of the previous one (which rolls back a transaction left open)
 * and then runs DISCARD ALL: because there is only one backend, SET, session advisory locks, temp
 * tables and named prepared statements would otherwise leak from one client into the next.
 */
class ConnectionGate {
  private readonly server = net.createServer((socket) => this.admit(socket));
  private readonly waiting: Waiting[] = [];
  private current: { client: net.Socket; upstream: net.Socket } | undefined;
  private turn: Promise<void> = Promise.resolve();
  private busy = false;
  private closing = false;

  constructor(
    private readonly db: PGlite,
    private readonly engine: PGLiteSocketServer,
    private readonly enginePort: number,
    private readonly log: (message: string) => void,
  ) {}

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.server.on('error', (e) => this.log(`embedded PostgreSQL listener: ${e.message}`));
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const w of this.waiting.splice(0)) w.socket.destroy();
    // Ending the client side makes the socket server see a disconnection, hence a rollback.
    this.current?.client.destroy();
    while (this.busy) await this.turn;
    await closed;
  }

  private admit(socket: net.Socket): void {
    // A client that vanishes is routine; its 'close' does the bookkeeping.
    socket.on('error', () => undefined);
    if (this.closing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    // Buffered by hand rather than paused: a paused socket would not notice that the client gave
    // up waiting (connection timeout) and we would replay a dead client into the engine.
    const w: Waiting = { socket, received: [], onData: (chunk) => w.received.push(chunk) };
    socket.on('data', w.onData);
    socket.once('close', () => {
      const i = this.waiting.indexOf(w);
      if (i >= 0) this.waiting.splice(i, 1);
    });
    this.waiting.push(w);
    this.pump();
  }

  private pump(): void {
    if (this.busy || this.closing) return;
    const next = this.waiting.shift();
    if (!next) return;
    this.busy = true;
    this.turn = this.serve(next)
      .catch((e: unknown) => this.log(`embedded PostgreSQL connection hand-over: ${String(e)}`))
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  private async serve(w: Waiting): Promise<void> {
    const client = w.socket;
    if (client.destroyed) return;
    const upstream = net.connect({ host: '127.0.0.1', port: this.enginePort });
    upstream.setNoDelay(true);
    upstream.on('error', () => undefined);
    this.current = { client, upstream };

    const clientClosed = whenClosed(client);
    const upstreamClosed = whenClosed(upstream);
    // Close each side gracefully when the other one goes, so that a last message in flight (a
    // COMMIT followed by a disconnect) still reaches the engine, as it would reach a real server.
    client.once('close', () => endThenDestroy(upstream));
    upstream.once('close', () => endThenDestroy(client));

    // Synchronously, in one tick: no 'data' event can slip between the buffer and the pipe.
    client.off('data', w.onData);
    for (const chunk of w.received) upstream.write(chunk);
    client.pipe(upstream);
    upstream.pipe(client);

    await Promise.all([clientClosed, upstreamClosed]);
    this.current = undefined;

    // The socket server forgets a connection a tick or two after the TCP close (and issues the
    // ROLLBACK of an open transaction then). A new connection before that is refused, hence the wait.
    const detached = await waitFor(() => this.engine.getStats().activeConnections === 0, DETACH_WAIT_MS);
    if (!detached) this.log('embedded PostgreSQL: the socket server still holds the previous connection');
    await this.resetSession();
  }

  private async resetSession(): Promise<void> {
    try {
      // Normally already done by the socket server's own disconnect handling (queued ahead of us on
      // PGlite's mutex); a second ROLLBACK outside a transaction is only a warning.
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      await this.db.exec('DISCARD ALL');
    } catch (e) {
      this.log(`embedded PostgreSQL: could not reset the session between clients: ${String(e)}`);
    }
  }
}

/**
 * PGlite does not lock its data directory: two engines on one directory (a second `npm start`)
 * would silently overwrite each other's pages. A pid file refuses the second one.
 */
const heldDirs = new Set<string>();

function lockDataDir(dataDir: string): () => void {
  if (heldDirs.has(dataDir)) throw new Error(`embedded PostgreSQL is already running on ${dataDir} in this process`);
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      // Our own pid in the file is a leftover from an earlier run that reused it (pid 1 in a container).
      if (owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `${dataDir} is in use by process ${owner} (PGlite cannot share a data directory); stop it, or delete ${file} if that process is not Sillage`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  heldDirs.add(dataDir);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldDirs.delete(dataDir);
    fs.rmSync(file, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portOf(hostAndPort: string): number {
  const port = Number(hostAndPort.slice(hostAndPort.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`unexpected socket server address ${hostAndPort}`);
  return port;
}

/** The address clients should dial: a wildcard bind is reached on loopback; IPv6 needs brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function whenClosed(socket: net.Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

function endThenDestroy(socket: net.Socket): void {
  if (socket.destroyed) return;
  socket.end();
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}
