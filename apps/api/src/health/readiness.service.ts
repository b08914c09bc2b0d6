import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { pendingMigrationCount } from '@sillage/db';
import { RedisConnection } from '@sillage/queue';
import { DataSource } from 'typeorm';

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  mode: { database: AppConfig['database']['mode']; queue: AppConfig['redis']['mode'] };
  checks: Record<string, { status: 'ok' | 'failed'; detail?: string }>;
}

@Injectable()
export class ReadinessService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly redis?: RedisConnection,
  ) {}

  async check(): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {};
    try {
      await this.dataSource.query('SELECT 1');
      checks.database = { status: 'ok' };
      const pending = await pendingMigrationCount(this.dataSource);
      checks.migrations = pending === 0 ? { status: 'ok' } : { status: 'failed', detail: `${pending} migration(s) not applied` };
    } catch (e) {
      checks.database = { status: 'failed', detail: (e as Error).message };
    }
    if (this.config.redis.mode === 'redis') {
      try {
        await this.redis!.ping();
        checks.redis = { status: 'ok' };
      } catch (e) {
        checks.redis = { status: 'failed', detail: (e as Error).message };
      }
    }
    const ok = Object.values(checks).every((c) => c.status === 'ok');
    return { status: ok ? 'ok' : 'unavailable', mode: { database: this.config.database.mode, queue: this.config.redis.mode }, checks };
  }
}
