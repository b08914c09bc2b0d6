export * from './jobs';
export * from './outbox';
export * from './redis-connection';
export * from './queue.module';
export { OutboxMessageEntity } from './outbox-message.entity';
