import { Redis } from 'ioredis';

/**
 * The process's Redis connection, present only when REDIS_URL is configured. BullMQ needs
 * `maxRetriesPerRequest: null` on connections used by workers.
 */
export class RedisConnection {
  readonly client: Redis;

  constructor(url: string) {
    this.client = new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
    // Errors surface through readiness and the relay; an unhandled 'error' event would crash the process.
    this.client.on('error', () => undefined);
  }

  async ping(): Promise<void> {
    await Promise.race([
      this.client.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('redis ping timed out')), 1000).unref()),
    ]);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
