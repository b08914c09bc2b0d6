import { randomUUID } from 'node:crypto';
import { AUDIT_EVENT_COLUMNS, auditEventColumns, auditEventsUnnestSql, AuditLog, auditEventValues } from '@sillage/audit';
import { parisDate, uuidV7 } from '@sillage/common';
import { REDEEM_SQL, RedemptionRow, redeemValues } from '../../libs/redemption/src/redemptions/redemption-sql';
import { MAX_GROUP } from '../../libs/redemption/src/redemptions/redemption-writer';
import type { Pool } from 'pg';
import { addDays, daysBetween } from './seed-plan';
import { SeedRandom } from './seed-random';

/**
 * The history part of a seed (ADR 17): what happens to the booklets after the real services issued
 * them — allocations to distributors, hand-overs to beneficiaries and redemptions at sites, spread
 * over the months since each order was paid. The services stamp these with the current time, so the
 * seed writes them with the statements they run (the redemption is the service's own REDEEM_SQL, with
 * every rule it checks) and records each audit event at the time it happened (`AuditLog.prepareAt`).
 */

export interface HistoryOrder {
  id: string;
  funderId: string;
  distributorIds: string[];
  /** Sites inside the order's eligibility (its department). */
  siteIds: string[];
  paidOn: string;
  /** The last day anything happens to it (today, or the day before its validity was cut short). */
  until: string;
  faceValueCents: number;
  vouchersPerBooklet: number;
}

export interface HistoryShares {
  /** Share of an order's booklets allocated to distributors. */
  allocated: number;
  /** Share of the allocated booklets handed over. */
  distributed: number;
  /** Share of the handed-over booklets with at least one redemption. */
  started: number;
  /** Share of a started booklet's vouchers redeemed (on average). */
  redeemed: number;
}

export const SERVICE_CATEGORIES = [
  ['atelier-collectif', 'Atelier collectif', 'Group workshop'],
  ['accompagnement-individuel', 'Accompagnement individuel', 'One-to-one support'],
  ['aide-demarches', 'Aide aux démarches en ligne', 'Help with online procedures'],
  ['initiation-materiel', 'Initiation au matériel', 'Getting started with devices'],
] as const;
export const AGE_BANDS = ['under_18', '18_25', '26_44', '45_59', '60_74', '75_plus'] as const;
const AGE_WEIGHTS = [0.04, 0.12, 0.26, 0.24, 0.22, 0.12];

export interface HistoryCounts {
  allocations: number;
  handovers: number;
  redemptions: number;
  redeemedVouchers: number;
}

const DAY_MS = 86_400_000;
/** A Paris business day at a given hour, as a UTC instant (the seed does not need the offset exact to the hour). */
const at = (day: string, hour: number, minute = 0): Date =>
  new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+01:00`);

export class HistoryWriter {
  private readonly counts: HistoryCounts = { allocations: 0, handovers: 0, redemptions: 0, redeemedVouchers: 0 };

  constructor(
    private readonly pool: Pool,
    private readonly audit: AuditLog,
    private readonly random: SeedRandom,
    private readonly o: { concurrency: number; now: Date; progress: (message: string) => void },
  ) {}

  get written(): HistoryCounts {
    return { ...this.counts };
  }

  /** Allocates, hands over and redeems one order's booklets. */
  async order(order: HistoryOrder, shares: HistoryShares): Promise<void> {
    const booklets = (
      await this.pool.query<{ id: string; serial: string; number: number }>(
        `SELECT id, serial, number FROM booklet WHERE order_id = $1 AND state = 'CREATED' ORDER BY number`,
        [order.id],
      )
    ).rows;
    const today = order.until;
    const allocated = Math.floor(booklets.length * shares.allocated);
    // One to three allocations per distributor partner, in number order, on days after payment.
    const handedOver: { booklet: (typeof booklets)[number]; distributorId: string; handedOn: string }[] = [];
    let next = 0;
    const movements = Math.max(1, Math.min(allocated, order.distributorIds.length * (1 + this.random.int(3))));
    for (let m = 0; m < movements && next < allocated; m++) {
      const size = m === movements - 1 ? allocated - next : Math.max(1, Math.floor(allocated / movements));
      const part = booklets.slice(next, next + size);
      next += size;
      const distributorId = order.distributorIds[m % order.distributorIds.length];
      const span = Math.max(1, daysBetween(order.paidOn, today) - 30);
      const allocatedOn = addDays(order.paidOn, Math.min(span, 2 + Math.floor((m * span) / (movements + 1)) + this.random.int(10)));
      await this.allocate(order, part, distributorId, allocatedOn);
      // Hand-overs over the weeks after the allocation, never in the future.
      const toHand = Math.floor(part.length * shares.distributed);
      const window = Math.max(1, daysBetween(allocatedOn, today));
      for (const booklet of part.slice(0, toHand)) {
        const handedOn = addDays(allocatedOn, Math.min(window - 1, Math.floor(this.random.skewed() * Math.min(window, 240))));
        handedOver.push({ booklet, distributorId, handedOn });
      }
    }
    await this.handOver(order, handedOver);
    await this.redeem(order, handedOver, shares);
  }

  private async allocate(order: HistoryOrder, part: { id: string; serial: string; number: number }[], distributorId: string, on: string) {
    if (part.length === 0) return;
    const when = at(on, 10, this.random.int(60));
    const range = { orderId: order.id, fromSerial: part[0].serial, toSerial: part[part.length - 1].serial, count: part.length };
    const movementId = randomUUID();
    const event = this.audit.prepareAt(
      {
        action: 'booklets.allocated',
        actor: { type: 'user', id: randomUUID(), organisationId: order.funderId },
        subject: { type: 'booklet', range: { from: range.fromSerial, to: range.toSerial, count: range.count } },
        facts: { movementId, orderId: order.id, funderId: order.funderId, fromDistributorId: null, toDistributorId: distributorId },
      },
      when,
    );
    await this.pool.query(
      `WITH moved AS (
         UPDATE booklet SET state = 'ALLOCATED', holder_distributor_id = $3, allocated_at = $4
          WHERE order_id = $1 AND number BETWEEN $5 AND $6 AND state = 'CREATED' RETURNING id),
       movement AS (
         INSERT INTO allocation_movement (id, kind, funder_id, to_distributor_id, booklet_count, ranges, created_at)
         SELECT $7, 'allocate', $2, $3, count(*), $8::jsonb, $4 FROM moved),
       audit AS (INSERT INTO audit_event (${AUDIT_EVENT_COLUMNS}) VALUES ($9, $10, $11, $12, $13, $14, $15, $16, $17, $18))
       SELECT count(*) FROM moved`,
      [
        order.id,
        order.funderId,
        distributorId,
        when,
        part[0].number,
        part[part.length - 1].number,
        movementId,
        JSON.stringify([range]),
        ...auditEventValues(event),
      ],
    );
    this.counts.allocations += 1;
  }

  private async handOver(order: HistoryOrder, handed: { booklet: { id: string }; distributorId: string; handedOn: string }[]) {
    for (let i = 0; i < handed.length; i += 2_000) {
      const chunk = handed.slice(i, i + 2_000);
      const rows = chunk.map((h) => {
        const handoverId = randomUUID();
        const when = at(h.handedOn, 9 + this.random.int(9), this.random.int(60));
        const profileId = randomUUID();
        const event = this.audit.prepareAt(
          {
            action: 'booklet.handed_over',
            actor: { type: 'user', id: randomUUID(), organisationId: h.distributorId },
            subject: { type: 'booklet', id: h.booklet.id },
            facts: { orderId: order.id, funderId: order.funderId, distributorId: h.distributorId, handoverId, handedOn: h.handedOn },
          },
          when,
        );
        const ageBand = AGE_BANDS[this.random.weighted(AGE_WEIGHTS)];
        return { h, handoverId, profileId, when, ageBand, event };
      });
      await this.pool.query(
        `WITH input AS (
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[], $5::timestamptz[], $6::uuid[], $7::text[])
                      AS i(booklet_id, handover_id, profile_id, handed_on, at, distributor_id, age_band)),
         moved AS (
           UPDATE booklet b SET state = 'DISTRIBUTED', distributed_at = i.at FROM input i
            WHERE b.id = i.booklet_id AND b.state = 'ALLOCATED' RETURNING b.id),
         profile AS (
           INSERT INTO beneficiary_profile (id, funder_id, distributor_id, age_band, commune_code, public_category_code, created_at)
           SELECT i.profile_id, $8, i.distributor_id, i.age_band,
                  (SELECT commune_code FROM organisation WHERE id = i.distributor_id), NULL, i.at FROM input i),
         handover AS (
           INSERT INTO handover (id, booklet_id, order_id, distributor_id, agent_id, handed_on, profile_id, created_at)
           SELECT i.handover_id, i.booklet_id, $9, i.distributor_id, gen_random_uuid(), i.handed_on, i.profile_id, i.at FROM input i)
         INSERT INTO audit_event (${AUDIT_EVENT_COLUMNS})
         SELECT * FROM ${auditEventsUnnestSql(10)}`,
        [
          rows.map((r) => r.h.booklet.id),
          rows.map((r) => r.handoverId),
          rows.map((r) => r.profileId),
          rows.map((r) => r.h.handedOn),
          rows.map((r) => r.when),
          rows.map((r) => r.h.distributorId),
          rows.map((r) => r.ageBand),
          order.funderId,
          order.id,
          ...auditEventColumns(rows.map((r) => r.event)),
        ],
      );
      this.counts.handovers += chunk.length;
    }
  }

  /**
   * Redemptions through the service's own statement (REDEEM_SQL: every rule, the voucher rows, the
   * lines, the ledger transfer, the audit event), one to four vouchers at a time, between the
   * hand-over and now, mostly in the first weeks; a few recorded days later from an offline scanner.
   */
  private async redeem(
    order: HistoryOrder,
    handed: { booklet: { id: string; serial: string }; handedOn: string }[],
    shares: HistoryShares,
  ) {
    const now = Math.min(this.o.now.getTime(), Date.parse(`${order.until}T23:00:00Z`));
    const calls: RedemptionRow[] = [];
    for (const h of handed) {
      if (this.random.next() >= shares.started) continue;
      const vouchers = Math.max(
        1,
        Math.min(order.vouchersPerBooklet, Math.round(order.vouchersPerBooklet * shares.redeemed * (0.5 + this.random.next()))),
      );
      let idx = 1;
      let day = h.handedOn;
      const siteId = order.siteIds[this.random.int(order.siteIds.length)];
      while (idx <= vouchers) {
        const n = Math.min(vouchers - idx + 1, 1 + this.random.int(3));
        day = addDays(day, Math.floor(this.random.skewed() * 45));
        const occurredAt = at(day, 9 + this.random.int(9), this.random.int(60));
        const offline = this.random.next() < 0.05;
        const recordedAt = new Date(
          occurredAt.getTime() + (offline ? (1 + this.random.int(3)) * DAY_MS : (1 + this.random.int(20)) * 60_000),
        );
        if (recordedAt.getTime() > now - 60_000) break;
        const category = SERVICE_CATEGORIES[this.random.int(SERVICE_CATEGORIES.length)][0];
        calls.push(
          historicRedemption(this.audit, {
            orderId: order.id,
            faceValueCents: order.faceValueCents,
            booklet: h.booklet,
            siteId,
            category,
            occurredAt,
            recordedAt,
            firstIdx: idx,
            n,
            offline,
          }),
        );
        idx += n;
      }
    }
    // In groups, as the service writes them under load (ADR 20): one statement, all or nothing, per group.
    let next = 0;
    const worker = async () => {
      while (next < calls.length) {
        const group = calls.slice(next, next + MAX_GROUP);
        next += group.length;
        const asked = group.reduce((n, row) => n + row.voucherIdx.length, 0);
        const r = await this.pool
          .query<{ n: number }>({ name: 'seed-redemption-v2', text: REDEEM_SQL, values: redeemValues(group) })
          .catch((e: unknown) => {
            throw new Error(`seed: a redemption of booklets ${group.map((row) => row.bookletSerial).join(', ')} was refused: ${String(e)}`);
          });
        if (r.rows[0].n !== asked) throw new Error(`seed: ${asked - r.rows[0].n} of ${asked} vouchers were not redeemed`);
        this.counts.redemptions += group.length;
        this.counts.redeemedVouchers += r.rows[0].n;
      }
    };
    await Promise.all(Array.from({ length: this.o.concurrency }, worker));
    // History has no beneficiary to notify: the receipts the service queues are not sent.
    await this.pool.query(`DELETE FROM outbox_message WHERE job_name = 'redemption.voucher-redeemed'`);
  }
}

/** A redemption that happened in the past, as `historicRedemption` describes it. */
export interface HistoricRedemption {
  orderId: string;
  faceValueCents: number;
  booklet: { id: string; serial: string };
  siteId: string;
  category: string;
  occurredAt: Date;
  recordedAt: Date;
  /** Voucher indexes firstIdx … firstIdx + n − 1 of the booklet. */
  firstIdx: number;
  n: number;
  offline: boolean;
}

/**
 * The service's own REDEEM_SQL row for a redemption recorded at `recordedAt` in the past, its audit
 * event recorded at that same instant (as the service records it now): the seed's history, and tests
 * that need a redemption recorded days ago in the log as in the tables.
 */
export function historicRedemption(audit: AuditLog, r: HistoricRedemption): RedemptionRow {
  const id = uuidV7(r.recordedAt);
  const agentId = randomUUID();
  const channel = r.offline ? 'batch' : 'online';
  const event = audit.prepareAt(
    {
      action: 'redemption.recorded',
      actor: { type: 'user', id: agentId, organisationId: r.siteId },
      subject: { type: 'redemption', id },
      facts: {
        siteId: r.siteId,
        orderId: r.orderId,
        bookletId: r.booklet.id,
        vouchers: r.n,
        amountCents: r.n * r.faceValueCents,
        serviceCategoryCode: r.category,
        occurredAt: r.occurredAt.toISOString(),
        channel,
      },
    },
    r.recordedAt,
  );
  return {
    id,
    siteId: r.siteId,
    idempotencyKey: `seed-${id}`,
    requestHash: Buffer.from(id.replace(/-/g, ''), 'hex'),
    bookletId: r.booklet.id,
    bookletSerial: r.booklet.serial,
    voucherIdx: Array.from({ length: r.n }, (_, k) => r.firstIdx + k),
    category: r.category,
    occurredAt: r.occurredAt,
    recordedAt: r.recordedAt,
    occurredDay: parisDate(r.occurredAt),
    channel,
    agentId,
    apiKeyId: null,
    event,
  };
}
