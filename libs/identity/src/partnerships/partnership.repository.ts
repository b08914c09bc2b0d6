import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { KeysetCursor } from '@sillage/common';
import { DataSource, EntityManager } from 'typeorm';
import { IdentityError } from '../identity.errors';
import { cursorKeySql, isUniqueViolation } from '../organisations/directory-support';

export interface PartnershipRecord {
  id: string;
  funderId: string;
  distributorId: string;
  createdAt: Date;
  endedAt: Date | null;
  cursorKey: string;
}

export interface PartnershipListQuery {
  /** Only partnerships this organisation is a side of (undefined: all, for the operator). */
  involving?: string;
  funderId?: string;
  distributorId?: string;
  active?: boolean;
  after?: KeysetCursor;
  limit: number;
}

interface Row {
  id: string;
  funder_id: string;
  distributor_id: string;
  created_at: Date;
  ended_at: Date | null;
  cursor_key: string;
}

const COLUMNS = `id, funder_id, distributor_id, created_at, ended_at, ${cursorKeySql('created_at')} AS cursor_key`;

function toRecord(r: Row): PartnershipRecord {
  return {
    id: r.id,
    funderId: r.funder_id,
    distributorId: r.distributor_id,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    cursorKey: r.cursor_key,
  };
}

@Injectable()
export class PartnershipRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Organisations on the other side of this organisation's active partnerships: its distributors
   * when it funds, its funders when it distributes.
   */
  async activePartnerIds(organisationId: string, em: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { id: string }[] = await em.query(
      `SELECT distributor_id AS id FROM partnership WHERE funder_id = $1 AND ended_at IS NULL
       UNION
       SELECT funder_id AS id FROM partnership WHERE distributor_id = $1 AND ended_at IS NULL`,
      [organisationId],
    );
    return rows.map((r) => r.id);
  }

  /** Whether the organisation is a side of an active partnership in the given role. */
  async hasActivePartnershipAs(tx: Tx, organisationId: string, side: 'funder' | 'distributor'): Promise<boolean> {
    const column = side === 'funder' ? 'funder_id' : 'distributor_id';
    const rows: unknown[] = await tx.query(`SELECT 1 FROM partnership WHERE ${column} = $1 AND ended_at IS NULL LIMIT 1`, [organisationId]);
    return rows.length > 0;
  }

  /** Whether this funder and distributor are partners (now, or ever with `includingEnded`). */
  async arePartners(em: EntityManager, funderId: string, distributorId: string, opts: { includingEnded?: boolean } = {}): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM partnership WHERE funder_id = $1 AND distributor_id = $2 ${opts.includingEnded ? '' : 'AND ended_at IS NULL'} LIMIT 1`,
      [funderId, distributorId],
    );
    return rows.length > 0;
  }

  /** Inserts an active partnership; a second active one for the same pair is PARTNERSHIP_EXISTS. */
  async insert(tx: Tx, funderId: string, distributorId: string): Promise<PartnershipRecord> {
    try {
      const rows: Row[] = await tx.query(`INSERT INTO partnership (funder_id, distributor_id) VALUES ($1, $2) RETURNING ${COLUMNS}`, [
        funderId,
        distributorId,
      ]);
      return toRecord(rows[0]);
    } catch (e) {
      if (isUniqueViolation(e, 'partnership_active_key')) {
        throw new IdentityError('PARTNERSHIP_EXISTS', 'these organisations already have an active partnership', { field: 'distributorId' });
      }
      throw e;
    }
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager): Promise<PartnershipRecord | undefined> {
    const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM partnership WHERE id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Sets `ended_at` once; returns the partnership when this call ended it, undefined otherwise. */
  async end(tx: Tx, id: string): Promise<PartnershipRecord | undefined> {
    const rows: [Row[], number] = await tx.query(
      `UPDATE partnership SET ended_at = now() WHERE id = $1 AND ended_at IS NULL RETURNING ${COLUMNS}`,
      [id],
    );
    const updated = rows[0];
    return updated[0] && toRecord(updated[0]);
  }

  async list(q: PartnershipListQuery): Promise<PartnershipRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.involving !== undefined) {
      const me = p(q.involving);
      where.push(`(funder_id = ${me} OR distributor_id = ${me})`);
    }
    if (q.funderId !== undefined) where.push(`funder_id = ${p(q.funderId)}`);
    if (q.distributorId !== undefined) where.push(`distributor_id = ${p(q.distributorId)}`);
    if (q.active !== undefined) where.push(q.active ? 'ended_at IS NULL' : 'ended_at IS NOT NULL');
    if (q.after) where.push(`(created_at, id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM partnership ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at, id LIMIT ${p(q.limit + 1)}`,
      params,
    );
    return rows.map(toRecord);
  }
}
