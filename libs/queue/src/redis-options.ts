/**
 * ioredis options for BullMQ connections. Reconnection is quick and capped (Redis coming back is
 * noticed within 2 s). Producers fail fast while disconnected instead of queueing commands in
 * memory: the outbox is the durable buffer, not the process.
 */
export function bullConnection(url: string, role: 'producer' | 'worker'): Record<string, unknown> {
  return {
    url,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
    ...(role === 'producer' ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null }),
  };
}
