import { PayloadValidator, uuidField, objectPayload, stringField } from './payload-validation';

/**
 * Every job the platform knows, with its payload type. Payloads carry ids only: a job that needs a
 * secret (a set-password link) mints it when it runs. Each job name maps to one BullMQ queue.
 *
 * Adding a job: its payload type here, its queue in JOB_QUEUE, its validator in JOB_PAYLOAD_VALIDATORS
 * (the Records make all three exhaustive), then a `JobHandler` in the owning domain's `jobs/` folder.
 */
export interface JobPayloads {
  /** Send the set-password email to a user an admin created; the job mints its own token. */
  'identity.send-set-password-email': { userId: string };
  /** Snapshot ledger balances, then run the ledger invariant check; `day` (YYYY-MM-DD) makes the job id. */
  'ledger.daily-check': { day: string };
  /** Write a confirmed order's booklets and vouchers, chunk by chunk (resumes after a crash). */
  'issuance.issue-order': { orderId: string };
  /** Render one part of an order's print file (PDF or CSV) under DATA_DIR. */
  'issuance.render-print-file': { printFileId: string };
  /** Render a report PDF too large to render in the request (funnel or money, issue 8) under DATA_DIR, with progress. */
  'reporting.render-pdf': { exportId: string };
  /** Erase personal data past its retention period and purge the old access log; `day` makes the job id. */
  'privacy.retention': { day: string };
  /** Create the day's distribution notices (validity ending, distribution stopping) and queue their emails. */
  'distribution.notices': { day: string };
  /** Email one notice to its organisation's admins. */
  'distribution.send-notice-email': { noticeId: string };
  /** After a redemption: the satisfaction-survey email, if its beneficiary consented to one (written by the redemption statement). */
  'redemption.voucher-redeemed': { redemptionId: string };
  /** On the schedule's days (SETTLEMENT_SCHEDULE), start the settlement run whose cutoff is that day, 00:00 Paris; `day` makes the job id. */
  'settlement.schedule': { day: string };
  /** Execute (or resume after a crash) a settlement run: one statement per site. */
  'settlement.run': { runId: string };
  /** Expire the vouchers of orders 8 days past their redemption deadline, issue their credit notes; `day` makes the job id. */
  'settlement.expire': { day: string };
  /** Email an issued credit note's funder (its admin and finance users). */
  'settlement.credit-note-issued': { creditNoteId: string };
  /** Delete outbox rows published more than OUTBOX_RETENTION_DAYS ago; `day` makes the job id. */
  'queue.outbox-retention': { day: string };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, string> = {
  'identity.send-set-password-email': 'email',
  'ledger.daily-check': 'ledger',
  'issuance.issue-order': 'issuance',
  'issuance.render-print-file': 'print',
  'reporting.render-pdf': 'print',
  'privacy.retention': 'privacy',
  'distribution.notices': 'distribution',
  'distribution.send-notice-email': 'email',
  'redemption.voucher-redeemed': 'email',
  'settlement.run': 'settlement',
  'settlement.schedule': 'settlement',
  'settlement.expire': 'settlement',
  'settlement.credit-note-issued': 'email',
  'queue.outbox-retention': 'maintenance',
};

/** Payloads are validated when consumed: a row written by an older release, or by hand, is refused. */
export const JOB_PAYLOAD_VALIDATORS: { [N in JobName]: PayloadValidator<JobPayloads[N]> } = {
  'identity.send-set-password-email': objectPayload({ userId: uuidField }),
  'ledger.daily-check': objectPayload({ day: stringField(10) }),
  'issuance.issue-order': objectPayload({ orderId: uuidField }),
  'issuance.render-print-file': objectPayload({ printFileId: uuidField }),
  'reporting.render-pdf': objectPayload({ exportId: uuidField }),
  'privacy.retention': objectPayload({ day: stringField(10) }),
  'distribution.notices': objectPayload({ day: stringField(10) }),
  'distribution.send-notice-email': objectPayload({ noticeId: uuidField }),
  'redemption.voucher-redeemed': objectPayload({ redemptionId: uuidField }),
  'settlement.run': objectPayload({ runId: uuidField }),
  'settlement.schedule': objectPayload({ day: stringField(10) }),
  'settlement.expire': objectPayload({ day: stringField(10) }),
  'settlement.credit-note-issued': objectPayload({ creditNoteId: uuidField }),
  'queue.outbox-retention': objectPayload({ day: stringField(10) }),
};

/**
 * Jobs the worker's relay runs itself, in batches, instead of publishing them to BullMQ: one per
 * redemption (the hot path), quick, idempotent, and most of the time with nothing to do. Publishing
 * each to Redis and consuming it again cost more than the redemption's own transaction; run inline,
 * a batch of 100 costs a query or two. Their handlers implement `handleBatch`. Embedded mode runs
 * them like every job (in-process, one by one).
 */
export const INLINE_JOBS: ReadonlySet<JobName> = new Set<JobName>(['redemption.voucher-redeemed']);

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_QUEUE, name);
}

/** The distinct BullMQ queues, in a stable order. */
export function queueNames(): string[] {
  return [...new Set(Object.values(JOB_QUEUE))].sort();
}
