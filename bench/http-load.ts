import { connect, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A lean HTTP/1.1 load generator for benchmarks whose requests all differ (a new body and key per
 * request): keep-alive sockets, requests written as one buffer, responses parsed only as far as
 * status line, Content-Length and chunked end. It costs the machine a fraction of what a general
 * client does, so the CPU goes to the system under test rather than to the load. Latency is taken
 * from when a request was due (fixed-rate mode: its scheduled time), so queueing counts
 * (no coordinated omission).
 */
export interface LoadOptions {
  host: string;
  port: number;
  connections: number;
  /** Stop after this many seconds… */
  seconds?: number;
  /** …or after this many requests (whichever comes first when both are given). */
  amount?: number;
  /** Fixed rate (requests per second over all connections); closed loop when absent. */
  rate?: number;
  /** The raw request for the i-th request (a complete HTTP/1.1 message with Content-Length); undefined ends the run. */
  request(i: number): Buffer | string | undefined;
}

export interface LoadReport {
  requests: number;
  seconds: number;
  perSecond: number;
  statuses: Record<number, number>;
  errors: number;
  latenciesMs: number[];
  /** When each answered request was due, in ms from the start (same order as latenciesMs). */
  dueMs: number[];
}

export function httpRequest(method: string, path: string, headers: Record<string, string>, body?: string): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'host: bench', 'connection: keep-alive'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== undefined) lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const statuses: Record<number, number> = {};
  const latencies: number[] = [];
  const dues: number[] = [];
  let errors = 0;
  let issued = 0;
  let done = 0;
  const started = performance.now();
  const deadline = o.seconds !== undefined ? started + o.seconds * 1000 : Infinity;
  const limit = o.amount ?? Infinity;
  const interval = o.rate ? 1000 / o.rate : 0;
  /** The due time of the next request (fixed rate) or undefined (closed loop). */
  const dueOf = (i: number) => (o.rate ? started + i * interval : undefined);
  const more = () => issued < limit && (o.rate ? (dueOf(issued) as number) < deadline : performance.now() < deadline);

  const worker = (socket: Socket) =>
    new Promise<void>((resolve) => {
      let buffer: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        socket.destroy();
        resolve();
      };
      const sendNext = () => {
        if (!more()) return finish();
        const i = issued++;
        const due = dueOf(i);
        const write = () => {
          const message = o.request(i);
          if (message === undefined) {
            issued = limit === Infinity ? Number.MAX_SAFE_INTEGER : limit;
            return finish();
          }
          sentAt = due ?? performance.now();
          socket.write(message);
        };
        const wait = due === undefined ? 0 : due - performance.now();
        if (wait > 1) setTimeout(write, wait);
        else write();
      };
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        for (;;) {
          const headEnd = buffer.indexOf('\r\n\r\n');
          if (headEnd < 0) return;
          const head = buffer.subarray(0, headEnd).toString('latin1');
          const status = Number(head.slice(9, 12));
          const length = /\r\ncontent-length: *(\d+)/i.exec(head);
          let end: number;
          if (length) {
            end = headEnd + 4 + Number(length[1]);
          } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
            const last = buffer.indexOf('\r\n0\r\n\r\n', headEnd);
            if (last < 0) return;
            end = last + 7;
          } else {
            end = headEnd + 4;
          }
          if (buffer.length < end) return;
          buffer = buffer.subarray(end);
          statuses[status] = (statuses[status] ?? 0) + 1;
          latencies.push(performance.now() - sentAt);
          dues.push(sentAt - started);
          done++;
          sendNext();
        }
      });
      socket.on('error', () => {
        errors++;
        finish();
      });
      socket.on('close', finish);
      socket.setNoDelay(true);
      sendNext();
    });

  const sockets = await Promise.all(
    Array.from(
      { length: o.connections },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const s = connect(o.port, o.host, () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  await Promise.all(sockets.map(worker));
  const seconds = (performance.now() - started) / 1000;
  return { requests: done, seconds, perSecond: done / seconds, statuses, errors, latenciesMs: latencies, dueMs: dues };
}
