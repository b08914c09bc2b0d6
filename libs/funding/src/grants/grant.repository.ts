import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { cursorKeySql } from '@sillage/identity';
import { DataSource, EntityManager } from 'typeorm';

/** Latest amendment first: by amendment date, then insertion time (amendments are serialised per grant). */
const LATEST = `ORDER BY a.amended_on DESC, a.created_at DESC, a.id DESC LIMIT 1`;
/** SQL for a grant `g`'s current amount: its latest amendment's, else the initial amount. */
export const CURRENT_AMOUNT_SQL = `COALESCE((SELECT a.new_amount_cents FROM grant_amendment a WHERE a.grant_id = g.id AND a.new_amount_cents IS NOT NULL ${LATEST}), g.amount_cents)`;
const CURRENT_END_SQL = `COALESCE((SELECT a.new_end_date FROM grant_amendment a WHERE a.grant_id = g.id AND a.new_end_date IS NOT NULL ${LATEST}), g.end_date)`;

export interface GrantRecord {
  id: string;
  programmeId: string;
  policyId: string;
  funderId: string;
  amountCents: string;
  endDate: string;
  initialAmountCents: string;
  initialEndDate: string;
  cofinancingRateBp: number;
  awardedOn: string;
  amendmentCount: number;
  lastAmendedOn: string | null;
  createdAt: Date;
  cursorKey: string;
}

export interface AmendmentRecord {
  id: string;
  grantId: string;
  amendedOn: string;
  reasonCode: string;
  newEndDate: string | null;
  newAmountCents: string | null;
  createdAt: Date;
}

export interface GrantListQuery {
  programmeId: string;
  funderId?: string;
  after?: KeysetCursor;
  limit: number;
}

const SELECT = `SELECT g.id, g.programme_id AS "programmeId", p.policy_id AS "policyId", g.funder_id AS "funderId",
  ${CURRENT_AMOUNT_SQL} AS "amountCents", to_char(${CURRENT_END_SQL}, 'YYYY-MM-DD') AS "endDate",
  g.amount_cents AS "initialAmountCents", to_char(g.end_date, 'YYYY-MM-DD') AS "initialEndDate",
  g.cofinancing_rate_bp AS "cofinancingRateBp", to_char(g.awarded_on, 'YYYY-MM-DD') AS "awardedOn",
  (SELECT count(*)::int FROM grant_amendment a WHERE a.grant_id = g.id) AS "amendmentCount",
  (SELECT to_char(max(a.amended_on), 'YYYY-MM-DD') FROM grant_amendment a WHERE a.grant_id = g.id) AS "lastAmendedOn",
  g.created_at AS "createdAt", ${cursorKeySql('g.created_at')} AS "cursorKey"
  FROM funding_grant g JOIN programme p ON p.id = g.programme_id`;
const AMENDMENT_COLUMNS = `id, grant_id AS "grantId", to_char(amended_on, 'YYYY-MM-DD') AS "amendedOn", reason_code AS "reasonCode",
  to_char(new_end_date, 'YYYY-MM-DD') AS "newEndDate", new_amount_cents AS "newAmountCents", created_at AS "createdAt"`;

@Injectable()
export class GrantRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The organisation's kinds, or undefined when it does not exist. */
  async organisationKinds(tx: Tx, organisationId: string): Promise<string[] | undefined> {
    const rows: { kinds: string[] }[] = await tx.query(`SELECT kinds FROM organisation WHERE id = $1`, [organisationId]);
    return rows[0]?.kinds;
  }

  async insert(
    tx: Tx,
    g: { programmeId: string; funderId: string; amountCents: number; cofinancingRateBp: number; awardedOn: string; endDate: string },
  ): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO funding_grant (programme_id, funder_id, amount_cents, cofinancing_rate_bp, awarded_on, end_date)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [g.programmeId, g.funderId, g.amountCents, g.cofinancingRateBp, g.awardedOn, g.endDate],
    );
    return rows[0].id;
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager): Promise<GrantRecord | undefined> {
    const rows: GrantRecord[] = await em.query(`${SELECT} WHERE g.id = $1`, [id]);
    return rows[0];
  }

  /** Locks the grant row so amendments of one grant are serialised, then reads it. */
  async lockById(tx: Tx, id: string): Promise<GrantRecord | undefined> {
    const locked: unknown[] = await tx.query(`SELECT 1 FROM funding_grant WHERE id = $1 FOR UPDATE`, [id]);
    return locked.length ? this.findById(id, tx) : undefined;
  }

  async list(q: GrantListQuery): Promise<GrantRecord[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [`g.programme_id = ${p(q.programmeId)}`];
    if (q.funderId !== undefined) where.push(`g.funder_id = ${p(q.funderId)}`);
    if (q.after) where.push(`(g.created_at, g.id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    return this.dataSource.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY g.created_at, g.id LIMIT ${p(q.limit + 1)}`, params);
  }

  async insertAmendment(
    tx: Tx,
    a: { grantId: string; amendedOn: string; reasonCode: string; newEndDate: string | null; newAmountCents: number | null },
  ): Promise<AmendmentRecord> {
    const rows: AmendmentRecord[] = await tx.query(
      `INSERT INTO grant_amendment (grant_id, amended_on, reason_code, new_end_date, new_amount_cents, created_at)
       VALUES ($1, $2, $3, $4, $5, clock_timestamp()) RETURNING ${AMENDMENT_COLUMNS}`,
      [a.grantId, a.amendedOn, a.reasonCode, a.newEndDate, a.newAmountCents],
    );
    return rows[0];
  }

  /** Every amendment of the grant, oldest first. */
  async amendmentsOf(grantId: string): Promise<AmendmentRecord[]> {
    return this.dataSource.query(
      `SELECT ${AMENDMENT_COLUMNS} FROM grant_amendment WHERE grant_id = $1 ORDER BY amended_on, created_at, id`,
      [grantId],
    );
  }
}
