import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { OutboxRelay, QueueWorkers, RedisConnection } from '@sillage/queue';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';

export interface WorkerReadiness {
  status: 'ok' | 'unavailable';
  checks: Record<'database' | 'redis', { status: 'ok' | 'failed'; detail?: string }>;
  queues: string[];
  relay: { mode: string; running: boolean };
}

const CHECK_TIMEOUT_MS = 1500;

function bounded<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Plain node:http on WORKER_HEALTH_PORT (the worker has no HTTP API): `/health/live` answers while
 * the process runs; `/health/ready` is 503 when PostgreSQL or Redis is unreachable.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerHealth');
  private server: Server | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    private readonly workers: QueueWorkers,
    @Optional() private readonly redis?: RedisConnection,
  ) {}

  /** The bound port (differs from the configured one only when that was 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.config.worker.healthPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.worker.healthPort, this.config.http.host, () => resolve());
    });
    server.on('error', (e) => this.logger.error(`health server: ${e.message}`));
    this.server = server;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async readiness(): Promise<WorkerReadiness> {
    const [database, redis] = await Promise.all([
      bounded(this.dataSource.query('SELECT 1'), 'PostgreSQL').then(
        () => ({ status: 'ok' as const }),
        (e: Error) => ({ status: 'failed' as const, detail: e.message }),
      ),
      this.redis
        ? this.redis.ping().then(
            () => ({ status: 'ok' as const }),
            (e: Error) => ({ status: 'failed' as const, detail: e.message }),
          )
        : Promise.resolve({ status: 'failed' as const, detail: 'REDIS_URL is not set' }),
    ]);
    const ok = database.status === 'ok' && redis.status === 'ok';
    return {
      status: ok ? 'ok' : 'unavailable',
      checks: { database, redis },
      queues: this.workers.queueNames,
      relay: { mode: this.relay.mode, running: this.relay.running },
    };
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { status: 405, detail: 'use GET' });
    if (path === '/health/live') return send(200, { status: 'ok' });
    if (path === '/health/ready') {
      const report = await this.readiness();
      return send(report.status === 'ok' ? 200 : 503, report);
    }
    send(
      404,
      { type: 'about:blank', title: 'Not Found', status: 404, detail: `no route ${path}`, code: 'ROUTE_NOT_FOUND' },
      'application/problem+json',
    );
  }
}
