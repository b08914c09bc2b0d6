export * from './audit-log';
export * from './audit.module';
export * from './canonical-json';
export { AuditEventEntity } from './audit-event.entity';
