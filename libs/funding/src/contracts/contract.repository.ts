import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { cursorKeySql, isUniqueViolation } from '@sillage/identity';
import { DataSource } from 'typeorm';
import { FundingError } from '../funding.errors';

export interface ContractRecord {
  id: string;
  funderId: string;
  reference: string;
  publishedOn: string;
  notifiedOn: string;
  endDate: string;
  upstreamFeeRateBp: number;
  createdAt: Date;
  cursorKey: string;
}

export interface ContractFields {
  funderId: string;
  reference: string;
  publishedOn: string;
  notifiedOn: string;
  endDate: string;
  upstreamFeeRateBp: number;
}

const COLUMNS = `id, funder_id AS "funderId", reference, to_char(published_on, 'YYYY-MM-DD') AS "publishedOn",
  to_char(notified_on, 'YYYY-MM-DD') AS "notifiedOn", to_char(end_date, 'YYYY-MM-DD') AS "endDate",
  upstream_fee_rate_bp AS "upstreamFeeRateBp", created_at AS "createdAt", ${cursorKeySql('created_at')} AS "cursorKey"`;

@Injectable()
export class ContractRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The organisation's kinds, or undefined when it does not exist. */
  async organisationKinds(tx: Tx, organisationId: string): Promise<string[] | undefined> {
    const rows: { kinds: string[] }[] = await tx.query(`SELECT kinds FROM organisation WHERE id = $1`, [organisationId]);
    return rows[0]?.kinds;
  }

  /** Inserts a contract; a reference the funder already used is CONTRACT_REFERENCE_TAKEN. */
  async insert(tx: Tx, c: ContractFields): Promise<ContractRecord> {
    try {
      const rows: ContractRecord[] = await tx.query(
        `INSERT INTO funding_contract (funder_id, reference, published_on, notified_on, end_date, upstream_fee_rate_bp)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [c.funderId, c.reference, c.publishedOn, c.notifiedOn, c.endDate, c.upstreamFeeRateBp],
      );
      return rows[0];
    } catch (e) {
      if (isUniqueViolation(e, 'funding_contract_reference_key')) {
        throw new FundingError('CONTRACT_REFERENCE_TAKEN', 'this funder already has a contract with this reference', {
          field: 'reference',
        });
      }
      throw e;
    }
  }

  async findById(id: string): Promise<ContractRecord | undefined> {
    const rows: ContractRecord[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM funding_contract WHERE id = $1`, [id]);
    return rows[0];
  }

  async list(q: { funderId?: string; after?: KeysetCursor; limit: number }): Promise<ContractRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.funderId !== undefined) where.push(`funder_id = ${p(q.funderId)}`);
    if (q.after) where.push(`(created_at, id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM funding_contract ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ${p(q.limit + 1)}`,
      params,
    );
  }
}
