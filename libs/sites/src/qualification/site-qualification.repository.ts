import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { cursorKeySql } from '@sillage/identity';
import { QualificationDecision } from './site-qualification.entity';

export interface QualificationRecord {
  id: string;
  siteId: string;
  decision: QualificationDecision;
  reasonCode: string;
  labelName: string | null;
  labelValidFrom: string | null;
  labelValidUntil: string | null;
  decidedBy: string | null;
  decidedAt: Date;
  cursorKey: string;
}

export type NewQualification = Omit<QualificationRecord, 'id' | 'decidedAt' | 'cursorKey'>;

const COLUMNS = `id, site_id AS "siteId", decision, reason_code AS "reasonCode", label_name AS "labelName",
  to_char(label_valid_from, 'YYYY-MM-DD') AS "labelValidFrom", to_char(label_valid_until, 'YYYY-MM-DD') AS "labelValidUntil",
  decided_by AS "decidedBy", decided_at AS "decidedAt", ${cursorKeySql('decided_at')} AS "cursorKey"`;

/** The append-only qualification history (site_qualification): rows are inserted, never changed. */
@Injectable()
export class SiteQualificationRepository {
  constructor(private readonly runner: TransactionRunner) {}

  async append(tx: Tx, q: NewQualification): Promise<QualificationRecord> {
    const rows: QualificationRecord[] = await tx.query(
      `INSERT INTO site_qualification (site_id, decision, reason_code, label_name, label_valid_from, label_valid_until, decided_by)
       VALUES ($1, $2, $3, $4, $5::date, $6::date, $7) RETURNING ${COLUMNS}`,
      [q.siteId, q.decision, q.reasonCode, q.labelName, q.labelValidFrom, q.labelValidUntil, q.decidedBy],
    );
    return rows[0];
  }

  /** A site's applications and decisions, oldest first. */
  async history(siteId: string, after: KeysetCursor | undefined, limit: number): Promise<QualificationRecord[]> {
    const params: unknown[] = [siteId];
    let where = 'site_id = $1';
    if (after) {
      params.push(after.k, after.id);
      where += ` AND (decided_at, id) > ($2::timestamptz, $3::uuid)`;
    }
    params.push(limit + 1);
    return this.runner.manager.query(
      `SELECT ${COLUMNS} FROM site_qualification WHERE ${where} ORDER BY decided_at, id LIMIT $${params.length}`,
      params,
    );
  }
}
