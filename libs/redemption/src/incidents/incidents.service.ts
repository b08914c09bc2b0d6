import { Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { CommonError, DEFAULT_PAGE_SIZE, Page, toPage } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, cursorKeySql, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { parseVoucherSerial } from '@sillage/issuance';
import { RedemptionError } from '../redemption.errors';
import { ResolvedVoucher } from '../codes/voucher-codes';
import { IncidentStatus } from '../redemptions/redemption.entity';
import {
  INCIDENT_ACCEPT_REASONS,
  INCIDENT_REJECT_REASONS,
  IncidentDto,
  ListIncidentsQueryDto,
  ResolveIncidentDto,
} from './dto/incident.dto';

interface IncidentRow {
  id: string;
  siteId: string;
  idempotencyKey: string;
  reasonCode: string;
  bookletSerial: string | null;
  orderId: string | null;
  voucherSerials: string[];
  amountCents: string;
  serviceCategoryCode: string;
  occurredAt: Date;
  recordedAt: Date;
  status: IncidentStatus;
  resolutionReason: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  statementId: string | null;
  requestHash: Buffer;
  cursorKey: string;
}

const INCIDENT_SELECT = `SELECT i.id, i.site_id AS "siteId", i.idempotency_key AS "idempotencyKey", i.reason_code AS "reasonCode",
    b.serial AS "bookletSerial", i.order_id AS "orderId", i.voucher_serials AS "voucherSerials", i.amount_cents AS "amountCents",
    i.service_category_code AS "serviceCategoryCode", i.occurred_at AS "occurredAt", i.recorded_at AS "recordedAt", i.status,
    i.resolution_reason AS "resolutionReason", i.resolved_by AS "resolvedBy", i.resolved_at AS "resolvedAt", i.statement_id AS "statementId",
    i.request_hash AS "requestHash", ${cursorKeySql('i.recorded_at')} AS "cursorKey"
  FROM redemption_incident i LEFT JOIN booklet b ON b.id = i.booklet_id`;

function toIncidentDto(r: IncidentRow): IncidentDto {
  return {
    id: r.id,
    siteId: r.siteId,
    idempotencyKey: r.idempotencyKey,
    reasonCode: r.reasonCode,
    bookletSerial: r.bookletSerial,
    orderId: r.orderId,
    voucherSerials: r.voucherSerials,
    amountCents: Number(r.amountCents),
    serviceCategoryCode: r.serviceCategoryCode,
    occurredAt: r.occurredAt.toISOString(),
    recordedAt: r.recordedAt.toISOString(),
    status: r.status,
    resolutionReason: r.resolutionReason,
    resolvedBy: r.resolvedBy,
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    statementId: r.statementId,
  };
}

/** A scan that could not be redeemed, as the batch hands it over to be recorded. */
export interface IncidentInput {
  idempotencyKey: string;
  requestHash: Buffer;
  reasonCode: string;
  vouchers: ResolvedVoucher[];
  serviceCategoryCode: string;
  occurredAt: Date;
}

const notFound = () => new RedemptionError('NOT_FOUND', 'incident not found');

/**
 * Incidents: scans that lost to an earlier redemption, were synced after the offline window, or
 * after their voucher expired. Recorded once per (site, idempotency key) with their audit event;
 * visible to the site that scanned and to the operator (anyone else: not found); resolved once by an
 * operator admin, accepted or rejected with a reason code. An accepted incident is paid by a
 * correction line on the site's next statement (settlement, issue 7, sets `statement_id`).
 */
@Injectable()
export class IncidentsService {
  private readonly log = new Logger('RedemptionIncidents');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  /** The incident a site recorded under this key, with the hash of the scan it recorded. */
  async byKey(siteId: string, key: string): Promise<{ dto: IncidentDto; requestHash: Buffer } | undefined> {
    const rows: IncidentRow[] = await this.tx.manager.query(`${INCIDENT_SELECT} WHERE i.site_id = $1 AND i.idempotency_key = $2`, [
      siteId,
      key,
    ]);
    return rows[0] ? { dto: toIncidentDto(rows[0]), requestHash: rows[0].requestHash } : undefined;
  }

  /**
   * Records the incident and its audit event in one transaction, once per (site, key): when the key is
   * already taken (a re-sent batch, a concurrent twin), nothing is written and the existing incident is
   * returned with its request hash, for the caller to compare.
   */
  async record(
    principal: Principal,
    input: IncidentInput,
    requestId?: string,
  ): Promise<{ dto: IncidentDto; requestHash: Buffer; created: boolean }> {
    const siteId = principal.organisationId;
    const first = input.vouchers[0];
    const amountCents = input.vouchers.reduce((sum, v) => sum + v.faceValueCents, 0);
    return this.tx.run(async (tx) => {
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO redemption_incident (site_id, idempotency_key, request_hash, reason_code, booklet_id, order_id, voucher_serials,
                                          amount_cents, service_category_code, occurred_at, agent_id, api_key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12)
         ON CONFLICT (site_id, idempotency_key) DO NOTHING RETURNING id`,
        [
          siteId,
          input.idempotencyKey,
          input.requestHash,
          input.reasonCode,
          first?.bookletId ?? null,
          first?.orderId ?? null,
          input.vouchers.map((v) => v.serial).sort(),
          amountCents,
          input.serviceCategoryCode,
          input.occurredAt,
          principal.type === 'user' ? principal.id : null,
          principal.type === 'api_key' ? principal.id : null,
        ],
      );
      const id = inserted[0]?.id;
      if (id) {
        await this.audit.append(tx, {
          action: 'redemption.incident_recorded',
          actor: actorOf(principal),
          subject: { type: 'redemption_incident', id },
          reason: input.reasonCode,
          facts: { siteId, reasonCode: input.reasonCode, orderId: first?.orderId ?? null, vouchers: input.vouchers.length },
          requestId,
        });
        this.log.log({ msg: 'redemption incident recorded', siteId, reasonCode: input.reasonCode, vouchers: input.vouchers.length });
      }
      const rows: IncidentRow[] = await tx.query(`${INCIDENT_SELECT} WHERE i.site_id = $1 AND i.idempotency_key = $2`, [
        siteId,
        input.idempotencyKey,
      ]);
      return { dto: toIncidentDto(rows[0]), requestHash: rows[0].requestHash, created: id !== undefined };
    });
  }

  async list(principal: Principal, q: ListIncidentsQueryDto): Promise<Page<IncidentDto>> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (!isOperator(principal)) where.push(`i.site_id = ${p(principal.organisationId)}`);
    if (q.siteId) where.push(`i.site_id = ${p(q.siteId.toLowerCase())}`);
    if (q.status) where.push(`i.status = ${p(q.status)}`);
    if (q.from) where.push(`i.recorded_at >= (${p(q.from)}::date::timestamp AT TIME ZONE 'Europe/Paris')`);
    if (q.to) where.push(`i.recorded_at < ((${p(q.to)}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`);
    const after = decodeTimeCursor(q.cursor);
    if (after) where.push(`(i.recorded_at, i.id) > (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows: IncidentRow[] = await this.tx.manager.query(
      `${INCIDENT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.recorded_at, i.id LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toIncidentDto), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<IncidentDto> {
    return toIncidentDto(await this.visibleRow(this.tx.manager, principal, id));
  }

  /** Accepts or rejects an open incident (operator admins; the route checks), with its audit event. */
  async resolve(principal: Principal, id: string, input: ResolveIncidentDto, requestId?: string): Promise<IncidentDto> {
    const allowed: readonly string[] = input.decision === 'accepted' ? INCIDENT_ACCEPT_REASONS : INCIDENT_REJECT_REASONS;
    if (!allowed.includes(input.reasonCode)) {
      throw new CommonError(
        'VALIDATION_FAILED',
        `reasonCode ${input.reasonCode} does not fit decision ${input.decision}: use one of ${allowed.join(', ')}`,
        { field: 'reasonCode' },
      );
    }
    return this.tx.run(async (tx) => {
      const row = await this.visibleRow(tx, principal, id, true);
      if (row.status !== 'open') {
        throw new RedemptionError(
          'INCIDENT_ALREADY_RESOLVED',
          `this incident was already ${row.status} on ${row.resolvedAt?.toISOString() ?? 'an earlier date'}`,
          { meta: { status: row.status } },
        );
      }
      if (input.decision === 'accepted') await this.assertNotUsable(tx, row.voucherSerials);
      await tx.query(
        `UPDATE redemption_incident SET status = $2, resolution_reason = $3, resolved_by = $4, resolved_at = now() WHERE id = $1 AND status = 'open'`,
        [id, input.decision, input.reasonCode, principal.id],
      );
      await this.audit.append(tx, {
        action: input.decision === 'accepted' ? 'redemption.incident_accepted' : 'redemption.incident_rejected',
        actor: actorOf(principal),
        subject: { type: 'redemption_incident', id },
        reason: input.reasonCode,
        facts: { siteId: row.siteId, orderId: row.orderId, amountCents: Number(row.amountCents) },
        requestId,
      });
      this.log.log({ msg: 'redemption incident resolved', siteId: row.siteId, decision: input.decision, reasonCode: input.reasonCode });
      return toIncidentDto((await this.row(tx, id))!);
    });
  }

  /**
   * An accepted incident is paid (a correction line charged to the order), so its vouchers must not be
   * redeemable any more: while one is still ACTIVE (a scan synced too late, or a winning redemption
   * undone since) the operator blocks it first (`POST /v1/vouchers/{serial}/block`); blocked vouchers
   * expire, and the expiry credit note deducts accepted incidents (issue 7). The rows stay locked
   * until the decision commits, so no redemption slips in between.
   */
  private async assertNotUsable(tx: Tx, serials: string[]): Promise<void> {
    const parsed = serials.map((s) => parseVoucherSerial(s)).filter((p) => p !== undefined);
    const usable: { serial: string }[] = await tx.query(
      `SELECT q.bs || '-' || lpad(q.i::text, 2, '0') AS serial
       FROM unnest($1::text[], $2::smallint[]) AS q(bs, i) JOIN booklet b ON b.serial = q.bs JOIN voucher v ON v.booklet_id = b.id AND v.idx = q.i
       WHERE v.status = 'ACTIVE' ORDER BY 1 FOR UPDATE OF v`,
      [parsed.map((p) => p.bookletSerial), parsed.map((p) => p.idx)],
    );
    if (usable.length > 0) {
      throw new RedemptionError(
        'INCIDENT_VOUCHERS_USABLE',
        `voucher(s) ${usable.map((u) => u.serial).join(', ')} can still be redeemed: block them before accepting this incident, so they are not paid twice`,
        { meta: { serials: usable.map((u) => u.serial) } },
      );
    }
  }

  private async row(tx: Tx, id: string, lock = false): Promise<IncidentRow | undefined> {
    const rows: IncidentRow[] = await tx.query(`${INCIDENT_SELECT} WHERE i.id = $1${lock ? ' FOR UPDATE OF i' : ''}`, [id]);
    return rows[0];
  }

  private async visibleRow(tx: Tx, principal: Principal, id: string, lock = false): Promise<IncidentRow> {
    const row = await this.row(tx, id, lock);
    if (!row || !(isOperator(principal) || row.siteId === principal.organisationId)) throw notFound();
    return row;
  }
}
