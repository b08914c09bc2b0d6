import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Optional, Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Outbox } from './outbox';
import { RedisConnection } from './redis-connection';

@Global()
@Module({})
export class QueueModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(RedisConnection) private readonly redis?: RedisConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }

  static forRoot(): DynamicModule {
    const redis: Provider = {
      provide: RedisConnection,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.redis.url ? new RedisConnection(config.redis.url) : undefined),
    };
    return { module: QueueModule, providers: [Outbox, redis], exports: [Outbox, RedisConnection] };
  }
}
