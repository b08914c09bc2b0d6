import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/** HTTP routes of the audit trail; the services come from the global AuditModule. */
@Module({ controllers: [AuditController] })
export class AuditApiModule {}
