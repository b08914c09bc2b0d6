import { Injectable } from '@nestjs/common';
import { uuidV7 } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { randomUUID } from 'node:crypto';
import { AuditCommentEntity } from './audit-comment.entity';
import { AuditEventEntity } from './audit-event.entity';
import { canonicalJson } from './canonical-json';
import { actionVersion, catalogueProblem } from './catalogue';

export type ActorType = 'user' | 'api_key' | 'system' | 'public';

export interface AuditActor {
  type: ActorType;
  /** User or API key id (pseudonymous); absent for system and public actors. */
  id?: string;
  organisationId?: string;
}

export interface AuditEvent {
  /** Dotted verb, e.g. `organisation.created`, `user.role_changed`. */
  action: string;
  actor: AuditActor;
  /** What changed: one subject, or a serial range for bulk operations. */
  subject: { type: string; id?: string; range?: { from: string; to: string; count: number } };
  /** Enumerated reason code; free text never goes in the log. */
  reason?: string;
  /** Business facts reports need (ids, amounts in cents, codes). Never personal data. */
  facts?: Record<string, string | number | boolean | null>;
  requestId?: string;
}

/** Keys that would carry personal data; refusing them at append keeps the log shreddable-free. */
const FORBIDDEN_FACT_KEYS =
  /^(e-?mail|phone|telephone|first_?name|last_?name|full_?name|name|display_?name|address|birth_?date|date_of_birth|password|secret|token|iban)$/i;

export class AuditEventRejected extends Error {}

let lastRecordedMs = 0;
/**
 * The clock of `recordedAt`, strictly increasing within a process: two events one transaction
 * writes in the same millisecond (an order paid and its vouchers activated) would otherwise tie,
 * and (recorded_at, id) — the order the log is read and sealed in — would show them in random order.
 * A tie moves the later event 1 ms on; it never goes back in time.
 */
function nextRecordedAt(): Date {
  const now = Date.now();
  lastRecordedMs = now > lastRecordedMs ? now : lastRecordedMs + 1;
  return new Date(lastRecordedMs);
}

/**
 * The audit port every mutation calls inside its own transaction: the event commits or rolls back
 * with the change it describes. It inserts one row and updates nothing, so it adds no contention.
 */
@Injectable()
export class AuditLog {
  async append(tx: Tx, event: AuditEvent): Promise<string> {
    const row = this.prepare(event);
    await tx.insert(AuditEventEntity, row);
    return row.id;
  }

  /**
   * Several events in one INSERT (one round trip), in the order given: for set-based steps that
   * write an event per row they change (a chunk of statements, of payouts). Same checks as `append`;
   * one rejected event rejects them all.
   */
  async appendMany(tx: Tx, events: AuditEvent[]): Promise<string[]> {
    const rows = events.map((e) => this.prepare(e));
    if (rows.length > 0) await tx.insert(AuditEventEntity, rows);
    return rows.map((r) => r.id);
  }

  /**
   * The validated row of an event, for a caller that writes it inside its own single SQL statement
   * (a hot path that cannot afford a round trip per insert): columns in `AUDIT_EVENT_COLUMNS` order
   * via `auditEventValues`. Same checks and canonical bytes as `append`.
   */
  prepare(event: AuditEvent): AuditEventEntity {
    return this.prepareAt(event, nextRecordedAt());
  }

  /**
   * The next `recordedAt` of this process's clock, for a change that stores the instant it happened
   * and then records its event at that same instant with `prepareAt` (a redemption: reports derive which
   * statement settled it from its `recorded_at`, and read it from the event).
   */
  clock(): Date {
    return nextRecordedAt();
  }

  /**
   * `prepare` with the time the event is recorded at given: an instant taken from `clock()`, or, for
   * tools that write history (`seed:scale`, `seed:demo` spread a dataset's hand-overs and redemptions
   * over past months), a past one. The log seals events in (recordedAt, id) order, whenever they
   * commit, so such events are sealed like any other.
   */
  prepareAt(event: AuditEvent, recordedAt: Date): AuditEventEntity {
    for (const key of Object.keys(event.facts ?? {})) {
      if (FORBIDDEN_FACT_KEYS.test(key)) throw new AuditEventRejected(`audit facts may not carry personal data or secrets (key "${key}")`);
    }
    const problem = catalogueProblem(event.action, event.facts ?? {});
    if (problem) throw new AuditEventRejected(problem);
    // Time-ordered (ADR 21): the events' primary key grows at its right edge.
    const id = uuidV7(recordedAt);
    const document = {
      v: 1,
      id,
      recordedAt: recordedAt.toISOString(),
      action: event.action,
      actionVersion: actionVersion(event.action),
      actor: event.actor,
      subject: event.subject,
      reason: event.reason ?? null,
      facts: event.facts ?? {},
      requestId: event.requestId ?? null,
    };
    return {
      id,
      recordedAt,
      action: event.action,
      actorType: event.actor.type,
      actorId: event.actor.id ?? null,
      actorOrganisationId: event.actor.organisationId ?? null,
      subjectType: event.subject.type,
      subjectId: event.subject.id ?? (event.subject.range ? `${event.subject.range.from}..${event.subject.range.to}` : null),
      reasonCode: event.reason ?? null,
      canonical: Buffer.from(canonicalJson(document), 'utf8'),
    };
  }

  /**
   * Stores free text outside the tree and returns its id, to pass as the `commentId` fact of the
   * event it goes with (any action accepts it). `purgeComment` deletes it; the event stays verifiable.
   */
  async comment(tx: Tx, text: string): Promise<string> {
    const id = randomUUID();
    await tx.insert(AuditCommentEntity, { id, text });
    return id;
  }

  async purgeComment(tx: Tx, commentId: string): Promise<boolean> {
    const result = await tx.delete(AuditCommentEntity, { id: commentId });
    return (result.affected ?? 0) > 0;
  }
}

/** Column order of `auditEventValues`, for hand-written INSERTs of prepared events. */
export const AUDIT_EVENT_COLUMNS =
  'id, recorded_at, action, actor_type, actor_id, actor_organisation_id, subject_type, subject_id, reason_code, canonical';

export function auditEventValues(row: AuditEventEntity): unknown[] {
  return [
    row.id,
    row.recordedAt,
    row.action,
    row.actorType,
    row.actorId,
    row.actorOrganisationId,
    row.subjectType,
    row.subjectId,
    row.reasonCode,
    row.canonical,
  ];
}

/** The SQL types of `AUDIT_EVENT_COLUMNS`, in order. */
const AUDIT_EVENT_TYPES = ['uuid', 'timestamptz', 'text', 'text', 'uuid', 'uuid', 'text', 'text', 'text', 'bytea'];

/**
 * Prepared events as the ten column arrays of a set-based INSERT (`AUDIT_EVENT_COLUMNS` order), to be
 * read back by `auditEventsUnnestSql`.
 */
export function auditEventColumns(events: readonly AuditEventEntity[]): unknown[][] {
  const columns: unknown[][] = AUDIT_EVENT_TYPES.map(() => []);
  for (const e of events) auditEventValues(e).forEach((v, i) => columns[i].push(v));
  return columns;
}

/** `unnest($first::uuid[], …)` over the ten arrays of `auditEventColumns`, passed from parameter `first` on. */
export function auditEventsUnnestSql(first: number): string {
  return `unnest(${AUDIT_EVENT_TYPES.map((type, i) => `$${first + i}::${type}[]`).join(', ')})`;
}
