import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { JobHandler, JobHandlerRegistry, JobPayloads } from '@sillage/queue';
import { BeneficiariesService } from './beneficiaries.service';

type Name = 'privacy.retention';

const BATCH = 500;

/**
 * Daily: erases the people whose booklet's order ended its validity more than
 * PERSONAL_DATA_RETENTION_MONTHS ago (crypto-shredding and unlinking, as an erasure request does),
 * in batches of 500, and purges access-log entries older than ACCESS_LOG_RETENTION_MONTHS.
 * Idempotent: a second run finds nothing left to do.
 */
@Injectable()
export class PersonalDataRetentionJob implements JobHandler<Name>, OnModuleInit {
  readonly name = 'privacy.retention' as const;
  private readonly logger = new Logger('PersonalDataRetention');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly tx: TransactionRunner,
    private readonly beneficiaries: BeneficiariesService,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ day }: JobPayloads[Name]): Promise<void> {
    const months = this.config.privacy.retentionMonths;
    let erased = 0;
    for (;;) {
      const n = await this.tx.run(async (tx) => {
        const due: { id: string; personPseudonym: string }[] = await tx.query(
          `SELECT p.id, p.person_pseudonym AS "personPseudonym" FROM beneficiary_profile p
           WHERE p.person_pseudonym IS NOT NULL
             AND EXISTS (SELECT 1 FROM handover h JOIN purchase_order o ON o.id = h.order_id
                         WHERE h.profile_id = p.id AND o.validity_end_date + make_interval(months => $2) < $1::date)
           LIMIT ${BATCH} FOR UPDATE OF p SKIP LOCKED`,
          [day, months],
        );
        for (const p of due) await this.beneficiaries.eraseProfile(tx, p, 'retention');
        return due.length;
      });
      erased += n;
      if (n < BATCH) break;
    }
    const purged = await this.tx.run(async (tx) => {
      const rows: { n: number }[] = await tx.query(
        `WITH d AS (DELETE FROM personal_data_access WHERE accessed_at < $1::date - make_interval(months => $2) RETURNING 1) SELECT count(*)::int AS n FROM d`,
        [day, this.config.privacy.accessLogRetentionMonths],
      );
      await this.audit.append(tx, {
        action: 'privacy.retention_applied',
        actor: { type: 'system' },
        subject: { type: 'day', id: day },
        facts: { erased, accessLogPurged: rows[0].n, retentionMonths: months },
      });
      return rows[0].n;
    });
    this.logger.log(`retention ${day}: ${erased} people erased, ${purged} access-log entries purged`);
  }
}
