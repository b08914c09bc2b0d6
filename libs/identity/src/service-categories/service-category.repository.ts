import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { DataSource } from 'typeorm';
import { IdentityError } from '../identity.errors';
import { isUniqueViolation } from '../organisations/directory-support';

/** Same rule as the table's CHECK constraint. */
export const SERVICE_CATEGORY_CODE = /^[a-z][a-z0-9_-]{1,39}$/;

export interface ServiceCategoryRecord {
  code: string;
  labelFr: string;
  labelEn: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type ServiceCategoryChanges = Partial<Pick<ServiceCategoryRecord, 'labelFr' | 'labelEn' | 'active'>>;

interface Row {
  code: string;
  label_fr: string;
  label_en: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'code, label_fr, label_en, active, created_at, updated_at';

const COLUMN_OF: Record<keyof ServiceCategoryChanges, string> = { labelFr: 'label_fr', labelEn: 'label_en', active: 'active' };

function toRecord(r: Row): ServiceCategoryRecord {
  return { code: r.code, labelFr: r.label_fr, labelEn: r.label_en, active: r.active, createdAt: r.created_at, updatedAt: r.updated_at };
}

@Injectable()
export class ServiceCategoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Tx, c: Pick<ServiceCategoryRecord, 'code' | 'labelFr' | 'labelEn' | 'active'>): Promise<ServiceCategoryRecord> {
    try {
      const rows: Row[] = await tx.query(
        `INSERT INTO service_category (code, label_fr, label_en, active) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [c.code, c.labelFr, c.labelEn, c.active],
      );
      return toRecord(rows[0]);
    } catch (e) {
      if (isUniqueViolation(e, 'PK_97127f0e638f9dc6c47e81fe6ba')) {
        throw new IdentityError('SERVICE_CATEGORY_EXISTS', 'a service category with this code already exists', { field: 'code' });
      }
      throw e;
    }
  }

  async findForUpdate(tx: Tx, code: string): Promise<ServiceCategoryRecord | undefined> {
    const rows: Row[] = await tx.query(`SELECT ${COLUMNS} FROM service_category WHERE code = $1 FOR UPDATE`, [code]);
    return rows[0] && toRecord(rows[0]);
  }

  async update(tx: Tx, code: string, changes: ServiceCategoryChanges): Promise<ServiceCategoryRecord> {
    const sets: string[] = [];
    const params: unknown[] = [code];
    for (const [key, column] of Object.entries(COLUMN_OF) as [keyof ServiceCategoryChanges, string][]) {
      if (changes[key] === undefined) continue;
      params.push(changes[key]);
      sets.push(`${column} = $${params.length}`);
    }
    const [rows]: [Row[], number] = await tx.query(
      `UPDATE service_category SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE code = $1 RETURNING ${COLUMNS}`,
      params,
    );
    return toRecord(rows[0]);
  }

  /** Ordered by code; `afterCode` is the last code of the previous page. */
  async list(q: { active?: boolean; afterCode?: string; limit: number }): Promise<ServiceCategoryRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.active !== undefined) {
      params.push(q.active);
      where.push(`active = $${params.length}`);
    }
    if (q.afterCode !== undefined) {
      params.push(q.afterCode);
      where.push(`code COLLATE "C" > $${params.length}`);
    }
    params.push(q.limit + 1);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM service_category ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY code COLLATE "C" LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }
}
