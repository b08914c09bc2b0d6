import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { dataSourceOptions } from './data-source-options';
import { TransactionRunner } from './transaction';

@Global()
@Module({})
export class DbModule {
  /** `applicationName` names the process's sessions in `pg_stat_activity` (the API's, the worker's). */
  static forRoot(applicationName = 'sillage-api'): DynamicModule {
    return {
      module: DbModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            if (!config.database.url) throw new Error('database URL not resolved (embedded launcher not started?)');
            // Embedded PostgreSQL serves one connection: a pool of one keeps transactions apart.
            const poolSize = config.database.mode === 'embedded' ? 1 : config.database.poolSize;
            return {
              ...dataSourceOptions(config.database.url, {
                poolSize,
                applicationName,
                // PGlite (embedded) has no page cache of its own to flush.
                backendFlushAfter: config.database.mode === 'external' ? config.database.backendFlushAfter : undefined,
              }),
              retryAttempts: 3,
              retryDelay: 1000,
            };
          },
        }),
      ],
      providers: [TransactionRunner],
      exports: [TransactionRunner],
    };
  }
}
