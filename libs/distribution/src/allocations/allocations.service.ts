import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { DEFAULT_PAGE_SIZE, Page, parisDate, toPage } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, cursorKeySql, decodeTimeCursor, isOperator, PartnershipRepository, Principal } from '@sillage/identity';
import { DistributionError } from '../distribution.errors';
import { MovedRange, MovementKind } from './allocation-movement.entity';
import { CreateMovementDto, ListMovementsQueryDto, MovementDto } from './dto/allocation.dto';

/** Where the booklets must be for each kind of movement, as SQL on `b` (booklet) and `o` (order). */
const SOURCE: Record<MovementKind, string> = {
  // the funder's own, paid, not blocked, not yet allocated, distribution not stopped
  allocate: `b.state = 'CREATED' AND b.blocked_at IS NULL AND o.status = 'paid'
             AND o.validity_end_date - o.stop_distribution_days >= $TODAY::date`,
  transfer: `b.state = 'ALLOCATED' AND b.holder_distributor_id = $FROM AND b.blocked_at IS NULL`,
  return: `b.state = 'ALLOCATED' AND b.holder_distributor_id = $FROM`,
};

interface Parties {
  kind: MovementKind;
  funderId: string;
  from: string | null;
  to: string | null;
}

const MAX_PROBLEMS = 20;

/**
 * Booklet movements between a funder and the distributors it partners with: allocation, transfer,
 * return. Set-based: one UPDATE moves every booklet of a request (100,000 in one statement), one row
 * records the request with its serial ranges, one audit event per range. All or nothing: a request
 * that cannot be served whole is refused with the reason per booklet.
 */
@Injectable()
export class AllocationsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly partnerships: PartnershipRepository,
  ) {}

  async create(principal: Principal, input: CreateMovementDto, requestId?: string): Promise<MovementDto> {
    const parties = this.parties(principal, input);
    if ((input.count === undefined) === (input.ranges === undefined)) {
      throw new DistributionError('ALLOCATION_EMPTY', 'give either count or ranges', { field: 'count' });
    }
    return this.tx.run(async (tx) => {
      await this.checkPartners(tx, parties);
      const ids = input.ranges
        ? await this.pickRanges(tx, parties, input.ranges)
        : await this.pickCount(tx, parties, input.count!, input.orderId);
      const ranges = await this.move(tx, parties, ids);
      const movement: { id: string; createdAt: Date }[] = await tx.query(
        `INSERT INTO allocation_movement (kind, funder_id, from_distributor_id, to_distributor_id, booklet_count, ranges, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at AS "createdAt"`,
        [parties.kind, parties.funderId, parties.from, parties.to, ids.length, JSON.stringify(ranges), principal.id],
      );
      const movementId = movement[0].id;
      for (const r of ranges) {
        await this.audit.append(tx, {
          action: `booklets.${parties.kind === 'allocate' ? 'allocated' : parties.kind === 'transfer' ? 'transferred' : 'returned'}`,
          actor: actorOf(principal),
          subject: { type: 'booklet', range: { from: r.fromSerial, to: r.toSerial, count: r.count } },
          facts: {
            movementId,
            orderId: r.orderId,
            funderId: parties.funderId,
            fromDistributorId: parties.from,
            toDistributorId: parties.to,
          },
          requestId,
        });
      }
      return {
        id: movementId,
        kind: parties.kind,
        funderId: parties.funderId,
        fromDistributorId: parties.from,
        toDistributorId: parties.to,
        bookletCount: ids.length,
        ranges,
        createdAt: movement[0].createdAt.toISOString(),
      };
    });
  }

  async list(principal: Principal, q: ListMovementsQueryDto): Promise<Page<MovementDto>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (isOperator(principal)) {
      if (q.funderId) where.push(`funder_id = ${p(q.funderId.toLowerCase())}`);
    } else if (principal.organisationKinds.includes('funder') && (!q.funderId || q.funderId.toLowerCase() === principal.organisationId)) {
      where.push(`funder_id = ${p(principal.organisationId)}`);
    } else {
      // a distributor sees the movements it gave or received
      where.push(`(from_distributor_id = ${p(principal.organisationId)} OR to_distributor_id = $${params.length})`);
      if (q.funderId) where.push(`funder_id = ${p(q.funderId.toLowerCase())}`);
    }
    if (q.distributorId) where.push(`(from_distributor_id = ${p(q.distributorId.toLowerCase())} OR to_distributor_id = $${params.length})`);
    if (q.kind) where.push(`kind = ${p(q.kind)}`);
    const after = decodeTimeCursor(q.cursor);
    if (after) where.push(`(created_at, id) > (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows: (MovementDto & { createdAt: Date; cursorKey: string })[] = await this.tx.manager.query(
      `SELECT id, kind, funder_id AS "funderId", from_distributor_id AS "fromDistributorId", to_distributor_id AS "toDistributorId",
              booklet_count AS "bookletCount", ranges, created_at AS "createdAt", ${cursorKeySql('created_at')} AS "cursorKey"
       FROM allocation_movement WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return {
      items: page.items.map(({ cursorKey: _k, createdAt, ...r }) => ({ ...r, createdAt: createdAt.toISOString() })),
      nextCursor: page.nextCursor,
    };
  }

  /** Who gives and who receives, from the kind and the caller (a funder moves its own booklets; a distributor gives its own). */
  private parties(principal: Principal, input: CreateMovementDto): Parties {
    const kind = input.kind ?? 'allocate';
    const from = input.fromDistributorId?.toLowerCase() ?? null;
    const to = input.toDistributorId?.toLowerCase() ?? null;
    if (kind !== 'allocate' && !from)
      throw new DistributionError('NOT_PARTNERED', `a ${kind} names fromDistributorId`, { field: 'fromDistributorId' });
    if (kind !== 'return' && !to)
      throw new DistributionError('NOT_PARTNERED', `a ${kind} names toDistributorId`, { field: 'toDistributorId' });
    if (kind === 'allocate' && from)
      throw new DistributionError('NOT_PARTNERED', 'an allocation comes from the funder: no fromDistributorId', {
        field: 'fromDistributorId',
      });
    if (kind === 'return' && to)
      throw new DistributionError('NOT_PARTNERED', 'a return goes back to the funder: no toDistributorId', { field: 'toDistributorId' });
    if (kind === 'transfer' && from === to)
      throw new DistributionError('NOT_PARTNERED', 'a transfer goes to another distributor', { field: 'toDistributorId' });
    let funderId: string | undefined;
    if (isOperator(principal)) funderId = input.funderId?.toLowerCase();
    else if (
      principal.organisationKinds.includes('funder') &&
      (!input.funderId || input.funderId.toLowerCase() === principal.organisationId)
    ) {
      funderId = principal.organisationId;
    } else if (principal.organisationKinds.includes('distributor') && kind !== 'allocate' && from === principal.organisationId) {
      funderId = input.funderId?.toLowerCase();
    } else {
      throw new DistributionError('NOT_FOUND', 'booklets not found');
    }
    if (!funderId) throw new DistributionError('NOT_PARTNERED', 'funderId is required', { field: 'funderId' });
    return { kind, funderId, from, to };
  }

  private async checkPartners(tx: Tx, p: Parties): Promise<void> {
    for (const [field, distributorId] of [
      ['fromDistributorId', p.from],
      ['toDistributorId', p.to],
    ] as const) {
      if (!distributorId) continue;
      if (!(await this.partnerships.arePartners(tx, p.funderId, distributorId))) {
        throw new DistributionError('NOT_PARTNERED', `${field} is not a distributor in partnership with this funder`, { field });
      }
    }
  }

  private sourceSql(p: Parties, params: unknown[]): string {
    const add = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    let sql = SOURCE[p.kind];
    if (sql.includes('$TODAY')) sql = sql.replace('$TODAY', add(parisDate(new Date())));
    if (sql.includes('$FROM')) sql = sql.replace('$FROM', add(p.from));
    return sql;
  }

  /** The first `count` movable booklets, oldest order first, locked; refused unless there are enough. */
  private async pickCount(tx: Tx, p: Parties, count: number, orderId?: string): Promise<string[]> {
    const params: unknown[] = [p.funderId];
    const source = this.sourceSql(p, params);
    if (orderId) params.push(orderId.toLowerCase());
    params.push(count);
    const rows: { id: string }[] = await tx.query(
      `SELECT b.id FROM booklet b JOIN purchase_order o ON o.id = b.order_id
       WHERE o.funder_id = $1 AND ${source} ${orderId ? `AND o.id = $${params.length - 1}` : ''}
       ORDER BY o.created_at, o.id, b.number LIMIT $${params.length} FOR UPDATE OF b SKIP LOCKED`,
      params,
    );
    if (rows.length < count) {
      throw new DistributionError('NOT_ENOUGH_STOCK', `only ${rows.length} booklets can be moved, ${count} asked`, {
        field: 'count',
        meta: { available: rows.length },
      });
    }
    return rows.map((r) => r.id);
  }

  /** Every booklet of the ranges, locked; refused with the reason per booklet unless all can move. */
  private async pickRanges(tx: Tx, p: Parties, ranges: { fromSerial: string; toSerial: string }[]): Promise<string[]> {
    const ids: string[] = [];
    const problems: { serial: string; reason: string }[] = [];
    let unavailable = 0;
    for (const [i, r] of ranges.entries()) {
      const ends: { serial: string; orderId: string; number: number }[] = await tx.query(
        `SELECT serial, order_id AS "orderId", number FROM booklet WHERE serial = ANY($1::text[])`,
        [[r.fromSerial, r.toSerial]],
      );
      const from = ends.find((e) => e.serial === r.fromSerial);
      const to = ends.find((e) => e.serial === r.toSerial);
      if (!from || !to || from.orderId !== to.orderId || from.number > to.number) {
        throw new DistributionError('RANGE_INVALID', `ranges[${i}]: both serials must exist, in one order, fromSerial first`, {
          field: `ranges.${i}`,
        });
      }
      const params: unknown[] = [from.orderId, from.number, to.number, p.funderId];
      const source = this.sourceSql(p, params);
      const rows: { id: string; serial: string; ok: boolean; reason: string }[] = await tx.query(
        `SELECT b.id, b.serial, (o.funder_id = $4 AND ${source}) AS ok,
                CASE WHEN o.funder_id <> $4 THEN 'not a booklet of this funder'
                     WHEN b.blocked_at IS NOT NULL THEN 'blocked (' || b.block_reason || ')'
                     WHEN o.status <> 'paid' THEN 'its order is ' || o.status || ', not paid'
                     WHEN b.state = 'DISTRIBUTED' THEN 'already handed over to a beneficiary'
                     WHEN b.state = 'ALLOCATED' AND ${p.kind === 'allocate' ? 'true' : 'false'} THEN 'already allocated to a distributor'
                     WHEN b.state = 'CREATED' AND ${p.kind === 'allocate' ? 'false' : 'true'} THEN 'not allocated to any distributor'
                     WHEN b.state = 'ALLOCATED' THEN 'held by another distributor'
                     ELSE 'distribution stopped on ' || to_char(o.validity_end_date - o.stop_distribution_days, 'YYYY-MM-DD') END AS reason
         FROM booklet b JOIN purchase_order o ON o.id = b.order_id
         WHERE b.order_id = $1 AND b.number BETWEEN $2 AND $3
         ORDER BY b.number FOR UPDATE OF b`,
        params,
      );
      for (const row of rows) {
        if (row.ok) ids.push(row.id);
        else {
          unavailable++;
          if (problems.length < MAX_PROBLEMS) problems.push({ serial: row.serial, reason: row.reason });
        }
      }
    }
    if (unavailable > 0) {
      throw new DistributionError(
        'BOOKLETS_UNAVAILABLE',
        `${unavailable} booklets cannot be moved: ${problems
          .slice(0, 3)
          .map((x) => `${x.serial} ${x.reason}`)
          .join('; ')}${unavailable > 3 ? '; …' : ''}`,
        { field: 'ranges', meta: { unavailable, problems } },
      );
    }
    if (new Set(ids).size !== ids.length) throw new DistributionError('RANGE_INVALID', 'ranges overlap', { field: 'ranges' });
    return ids;
  }

  /** One UPDATE for all the booklets, returning the moved serial ranges (gaps and islands per order). */
  private async move(tx: Tx, p: Parties, ids: string[]): Promise<MovedRange[]> {
    const state = p.kind === 'return' ? 'CREATED' : 'ALLOCATED';
    return tx.query(
      `WITH moved AS (
         UPDATE booklet SET state = $2, holder_distributor_id = $3, allocated_at = CASE WHEN $3::uuid IS NULL THEN NULL ELSE now() END
         WHERE id = ANY($1::uuid[]) RETURNING order_id, number, serial)
       SELECT order_id AS "orderId", (array_agg(serial ORDER BY number))[1] AS "fromSerial",
              (array_agg(serial ORDER BY number DESC))[1] AS "toSerial", count(*)::int AS count
       FROM (SELECT *, number - row_number() OVER (PARTITION BY order_id ORDER BY number) AS island FROM moved) m
       GROUP BY order_id, island ORDER BY order_id, min(number)`,
      [ids, state, p.to],
    );
  }
}
