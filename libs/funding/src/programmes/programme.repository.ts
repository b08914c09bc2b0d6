import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { cursorKeySql } from '@sillage/identity';
import { DataSource, EntityManager } from 'typeorm';
import { CURRENT_AMOUNT_SQL } from '../grants/grant.repository';

export interface ProgrammeRecord {
  id: string;
  policyId: string;
  name: string;
  maxCofinancingRateBp: number;
  announcedOn: string | null;
  launchedOn: string | null;
  laureatesPublishedOn: string | null;
  createdAt: Date;
  updatedAt: Date;
  cursorKey: string;
}

export interface FundingSourceRecord {
  id: string;
  programmeId: string;
  label: string;
  amountCents: string;
  obtainedOn: string;
  reference: string;
  createdAt: Date;
}

export interface ProgrammeFields {
  name: string;
  maxCofinancingRateBp: number;
  announcedOn: string | null;
  launchedOn: string | null;
  laureatesPublishedOn: string | null;
}

export interface ProgrammeListQuery {
  policyId?: string;
  funderId?: string;
  after?: KeysetCursor;
  limit: number;
}

const day = (c: string, as: string) => `to_char(${c}, 'YYYY-MM-DD') AS "${as}"`;
const COLUMNS = `id, policy_id AS "policyId", name, max_cofinancing_rate_bp AS "maxCofinancingRateBp", ${day('announced_on', 'announcedOn')},
  ${day('launched_on', 'launchedOn')}, ${day('laureates_published_on', 'laureatesPublishedOn')}, created_at AS "createdAt",
  updated_at AS "updatedAt", ${cursorKeySql('created_at')} AS "cursorKey"`;
const SOURCE_COLUMNS = `id, programme_id AS "programmeId", label, amount_cents AS "amountCents", ${day('obtained_on', 'obtainedOn')},
  reference, created_at AS "createdAt"`;
const HAS_GRANT_TO = (param: string) =>
  `EXISTS (SELECT 1 FROM funding_grant g WHERE g.programme_id = programme.id AND g.funder_id = ${param})`;

@Injectable()
export class ProgrammeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Tx, policyId: string, f: ProgrammeFields): Promise<ProgrammeRecord> {
    const rows: ProgrammeRecord[] = await tx.query(
      `INSERT INTO programme (policy_id, name, max_cofinancing_rate_bp, announced_on, launched_on, laureates_published_on)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [policyId, f.name, f.maxCofinancingRateBp, f.announcedOn, f.launchedOn, f.laureatesPublishedOn],
    );
    return rows[0];
  }

  async update(tx: Tx, id: string, f: ProgrammeFields): Promise<ProgrammeRecord> {
    const rows: [ProgrammeRecord[], number] = await tx.query(
      `UPDATE programme SET name = $2, max_cofinancing_rate_bp = $3, announced_on = $4, launched_on = $5, laureates_published_on = $6,
        updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, f.name, f.maxCofinancingRateBp, f.announcedOn, f.launchedOn, f.laureatesPublishedOn],
    );
    return rows[0][0];
  }

  /** Locks the programme row: grants and rate changes on one programme are serialised. */
  async lockById(tx: Tx, id: string): Promise<ProgrammeRecord | undefined> {
    const rows: ProgrammeRecord[] = await tx.query(`SELECT ${COLUMNS} FROM programme WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager): Promise<ProgrammeRecord | undefined> {
    const rows: ProgrammeRecord[] = await em.query(`SELECT ${COLUMNS} FROM programme WHERE id = $1`, [id]);
    return rows[0];
  }

  async policyExists(tx: Tx, policyId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM policy WHERE id = $1 FOR SHARE`, [policyId]);
    return rows.length > 0;
  }

  /** Whether the funder holds a grant of the programme. */
  async hasGrantTo(id: string, funderId: string, em: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await em.query(`SELECT 1 FROM programme WHERE id = $1 AND ${HAS_GRANT_TO('$2')}`, [id, funderId]);
    return rows.length > 0;
  }

  /** The highest co-financing rate among the programme's grants (0 without grants). */
  async highestGrantRateBp(tx: Tx, id: string): Promise<number> {
    const rows: { m: number | null }[] = await tx.query(`SELECT max(cofinancing_rate_bp) AS m FROM funding_grant WHERE programme_id = $1`, [
      id,
    ]);
    return rows[0].m ?? 0;
  }

  async list(q: ProgrammeListQuery): Promise<ProgrammeRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.policyId !== undefined) where.push(`policy_id = ${p(q.policyId)}`);
    if (q.funderId !== undefined) where.push(HAS_GRANT_TO(p(q.funderId)));
    if (q.after) where.push(`(created_at, id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM programme ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ${p(q.limit + 1)}`,
      params,
    );
  }

  async insertFundingSource(tx: Tx, s: Omit<FundingSourceRecord, 'id' | 'createdAt' | 'amountCents'> & { amountCents: number }) {
    const rows: FundingSourceRecord[] = await tx.query(
      `INSERT INTO programme_funding_source (programme_id, label, amount_cents, obtained_on, reference)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${SOURCE_COLUMNS}`,
      [s.programmeId, s.label, s.amountCents, s.obtainedOn, s.reference],
    );
    return rows[0];
  }

  async fundingSourcesOf(programmeIds: string[], em: EntityManager = this.dataSource.manager): Promise<FundingSourceRecord[]> {
    if (programmeIds.length === 0) return [];
    return em.query(
      `SELECT ${SOURCE_COLUMNS} FROM programme_funding_source WHERE programme_id = ANY($1::uuid[]) ORDER BY obtained_on, created_at, id`,
      [programmeIds],
    );
  }

  /** Sum of the current amounts of each programme's grants (operator-only figure). */
  async totalsAttributed(programmeIds: string[], em: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    if (programmeIds.length === 0) return new Map();
    const rows: { programmeId: string; total: string }[] = await em.query(
      `SELECT g.programme_id AS "programmeId", sum(${CURRENT_AMOUNT_SQL})::text AS total
         FROM funding_grant g WHERE g.programme_id = ANY($1::uuid[]) GROUP BY g.programme_id`,
      [programmeIds],
    );
    return new Map(rows.map((r) => [r.programmeId, Number(r.total)]));
  }
}
