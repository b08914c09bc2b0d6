import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { cursorKeySql } from '@sillage/identity';
import { DataSource, EntityManager } from 'typeorm';

export interface PolicyRecord {
  id: string;
  name: string;
  description: string | null;
  slug: string | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  cursorKey: string;
}

export interface AnnouncementRecord {
  id: string;
  policyId: string;
  label: string;
  amountCents: string | null;
  minAmountCents: string | null;
  maxAmountCents: string | null;
  announcedOn: string;
  sourceReference: string;
  createdAt: Date;
}

export interface PolicyListQuery {
  /** Only policies with a programme holding a grant to this funder. */
  funderId?: string;
  nameContains?: string;
  after?: KeysetCursor;
  limit: number;
}

const COLUMNS = `id, name, description, slug, published_at AS "publishedAt", created_at AS "createdAt", updated_at AS "updatedAt", ${cursorKeySql('created_at')} AS "cursorKey"`;
const ANNOUNCEMENT_COLUMNS = `id, policy_id AS "policyId", label, amount_cents AS "amountCents", min_amount_cents AS "minAmountCents",
  max_amount_cents AS "maxAmountCents", to_char(announced_on, 'YYYY-MM-DD') AS "announcedOn", source_reference AS "sourceReference",
  created_at AS "createdAt"`;
const HAS_GRANT_TO = (param: string) =>
  `EXISTS (SELECT 1 FROM programme p JOIN funding_grant g ON g.programme_id = p.id WHERE p.policy_id = policy.id AND g.funder_id = ${param})`;

@Injectable()
export class PolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Tx, name: string, description: string | null): Promise<PolicyRecord> {
    const rows: PolicyRecord[] = await tx.query(`INSERT INTO policy (name, description) VALUES ($1, $2) RETURNING ${COLUMNS}`, [
      name,
      description,
    ]);
    return rows[0];
  }

  async update(tx: Tx, id: string, changes: { name?: string; description?: string }): Promise<PolicyRecord | undefined> {
    const rows: [PolicyRecord[], number] = await tx.query(
      `UPDATE policy SET name = COALESCE($2, name), description = COALESCE($3, description), updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.name ?? null, changes.description ?? null],
    );
    return rows[0][0];
  }

  /**
   * Publishes under `slug` (or unpublishes with null). Null when the policy does not exist; 'taken'
   * when another policy has the slug (the unique index decides, race-free).
   */
  async setPublished(tx: Tx, id: string, slug: string | null): Promise<PolicyRecord | 'taken' | undefined> {
    if (slug !== null) {
      const taken: unknown[] = await tx.query(`SELECT 1 FROM policy WHERE slug = $1 AND id <> $2`, [slug, id]);
      if (taken.length > 0) return 'taken';
    }
    const rows: [PolicyRecord[], number] = await tx.query(
      `UPDATE policy SET slug = coalesce($2, slug), published_at = CASE WHEN $2::text IS NULL THEN NULL ELSE coalesce(published_at, now()) END,
              updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, slug],
    );
    return rows[0][0];
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager): Promise<PolicyRecord | undefined> {
    const rows: PolicyRecord[] = await em.query(`SELECT ${COLUMNS} FROM policy WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Whether the funder holds a grant under one of the policy's programmes. */
  async hasGrantTo(id: string, funderId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM policy WHERE id = $1 AND ${HAS_GRANT_TO('$2')}`, [id, funderId]);
    return rows.length > 0;
  }

  async list(q: PolicyListQuery): Promise<PolicyRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.funderId !== undefined) where.push(HAS_GRANT_TO(p(q.funderId)));
    if (q.nameContains !== undefined) where.push(`strpos(lower(name), lower(${p(q.nameContains)})) > 0`);
    if (q.after) where.push(`(created_at, id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM policy ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ${p(q.limit + 1)}`,
      params,
    );
  }

  async insertAnnouncement(
    tx: Tx,
    a: Omit<AnnouncementRecord, 'id' | 'createdAt' | 'amountCents' | 'minAmountCents' | 'maxAmountCents'> & {
      amountCents: number | null;
      minAmountCents: number | null;
      maxAmountCents: number | null;
    },
  ): Promise<AnnouncementRecord> {
    const rows: AnnouncementRecord[] = await tx.query(
      `INSERT INTO policy_announcement (policy_id, label, amount_cents, min_amount_cents, max_amount_cents, announced_on, source_reference)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ANNOUNCEMENT_COLUMNS}`,
      [a.policyId, a.label, a.amountCents, a.minAmountCents, a.maxAmountCents, a.announcedOn, a.sourceReference],
    );
    return rows[0];
  }

  /** Announcements of the given policies, oldest first. */
  async announcementsOf(policyIds: string[], em: EntityManager = this.dataSource.manager): Promise<AnnouncementRecord[]> {
    if (policyIds.length === 0) return [];
    return em.query(
      `SELECT ${ANNOUNCEMENT_COLUMNS} FROM policy_announcement WHERE policy_id = ANY($1::uuid[]) ORDER BY announced_on, created_at, id`,
      [policyIds],
    );
  }
}
