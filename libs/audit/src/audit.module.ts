import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { AuditLog } from './audit-log';
import { AuditProofsService } from './audit-proofs.service';
import { AuditSealer, AuditSealLoop } from './audit-sealer';
import { AUDIT_SIGNING_KEY, loadAuditSigningKey } from './audit-signing-key';
import { AuditRepository } from './audit.repository';

@Global()
@Module({
  providers: [
    AuditLog,
    AuditRepository,
    { provide: AUDIT_SIGNING_KEY, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadAuditSigningKey(config) },
    AuditSealer,
    AuditSealLoop,
    AuditProofsService,
  ],
  exports: [AuditLog, AuditSealer, AuditProofsService],
})
export class AuditModule {}
