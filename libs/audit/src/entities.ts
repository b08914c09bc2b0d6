import { AuditCheckpointEntity } from './audit-checkpoint.entity';
import { AuditCommentEntity } from './audit-comment.entity';
import { AuditEventEntity } from './audit-event.entity';
import { AuditLeafEntity } from './audit-leaf.entity';
import { AuditSigningKeyEntity } from './audit-signing-key.entity';

export const auditEntities = [AuditEventEntity, AuditLeafEntity, AuditCheckpointEntity, AuditSigningKeyEntity, AuditCommentEntity];
