import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { MailTransport } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { JobHandler, JobHandlerRegistry, JobPayloads, Outbox, PermanentJobError } from '@sillage/queue';
import { NoticeKind } from './notice.entity';
import { noticeEmail } from './notice-text';

/**
 * Daily: for every paid order whose validity ends in 30, 15 or 7 days, or whose distribution stops
 * today, a notice to its funder and to each distributor holding its booklets (dashboard), and one
 * email job per notice. Notices are unique per (organisation, order, kind): a rerun adds nothing.
 */
@Injectable()
export class DistributionNoticesJob implements JobHandler<'distribution.notices'>, OnModuleInit {
  readonly name = 'distribution.notices' as const;
  private readonly logger = new Logger('DistributionNotices');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly tx: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ day }: JobPayloads['distribution.notices']): Promise<void> {
    const created = await this.tx.run(async (tx) => {
      const rows: { id: string }[] = await tx.query(
        `WITH due AS (
           SELECT o.id, o.funder_id, o.validity_end_date, o.validity_end_date - o.stop_distribution_days AS stops_on,
                  CASE WHEN $1::date = o.validity_end_date - o.stop_distribution_days THEN 'distribution_stop'
                       WHEN $1::date = o.validity_end_date - 30 THEN 'validity_30'
                       WHEN $1::date = o.validity_end_date - 15 THEN 'validity_15'
                       ELSE 'validity_7' END AS kind
           FROM purchase_order o
           WHERE o.status = 'paid' AND NOT o.historical
             AND $1::date IN (o.validity_end_date - 30, o.validity_end_date - 15, o.validity_end_date - 7, o.validity_end_date - o.stop_distribution_days))
         INSERT INTO notice (organisation_id, order_id, kind, due_on, remaining_booklets, distribution_ends_on, validity_end_date)
         SELECT r.org, d.id, d.kind, $1::date, r.remaining, d.stops_on, d.validity_end_date
         FROM due d CROSS JOIN LATERAL (
           SELECT d.funder_id AS org,
                  (SELECT count(*)::int FROM booklet b WHERE b.order_id = d.id AND b.state <> 'DISTRIBUTED' AND b.blocked_at IS NULL) AS remaining
           UNION ALL
           SELECT b.holder_distributor_id, count(*)::int FROM booklet b
           WHERE b.order_id = d.id AND b.state = 'ALLOCATED' AND b.blocked_at IS NULL GROUP BY b.holder_distributor_id
         ) r
         ON CONFLICT (organisation_id, order_id, kind) DO NOTHING
         RETURNING id`,
        [day],
      );
      for (const r of rows) await this.outbox.enqueue(tx, 'distribution.send-notice-email', { noticeId: r.id }, `notice-email:${r.id}`);
      if (rows.length > 0) {
        await this.audit.append(tx, {
          action: 'distribution.notices_created',
          actor: { type: 'system' },
          subject: { type: 'day', id: day },
          facts: { notices: rows.length },
        });
      }
      return rows.length;
    });
    this.logger.log(`notices ${day}: ${created} created`);
  }
}

/** Emails one notice to the organisation's active admins (plain text, French then English). */
@Injectable()
export class SendNoticeEmailJob implements JobHandler<'distribution.send-notice-email'>, OnModuleInit {
  readonly name = 'distribution.send-notice-email' as const;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly tx: TransactionRunner,
    private readonly mail: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ noticeId }: JobPayloads['distribution.send-notice-email']): Promise<void> {
    const rows: {
      organisationId: string;
      kind: NoticeKind;
      orderReference: string;
      remainingBooklets: number;
      distributionEndsOn: string;
      validityEndDate: string;
    }[] = await this.tx.manager.query(
      `SELECT n.organisation_id AS "organisationId", n.kind, o.reference AS "orderReference", n.remaining_booklets AS "remainingBooklets",
                to_char(n.distribution_ends_on, 'YYYY-MM-DD') AS "distributionEndsOn", to_char(n.validity_end_date, 'YYYY-MM-DD') AS "validityEndDate"
         FROM notice n JOIN purchase_order o ON o.id = n.order_id WHERE n.id = $1`,
      [noticeId],
    );
    const n = rows[0];
    if (!n) throw new PermanentJobError(`notice ${noticeId} does not exist`);
    const admins: { email: string }[] = await this.tx.manager.query(
      `SELECT email FROM app_user WHERE organisation_id = $1 AND role = 'admin' AND status = 'active' ORDER BY email`,
      [n.organisationId],
    );
    const dashboard = `${this.config.http.publicBaseUrl.replace(/\/$/, '')}/`;
    for (const a of admins) await this.mail.send(noticeEmail(a.email, n, dashboard));
  }
}
