import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { KeysetCursor } from '@sillage/common';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../access/principal';
import { cursorKeySql } from '../organisations/directory-support';

/** An API key as its organisation's admins see it: never the secret or its hash. */
export interface ApiKeyRecord {
  id: string;
  organisationId: string;
  name: string;
  role: Role;
  prefix: string;
  createdByUserId: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  cursorKey: string;
}

interface Row {
  id: string;
  organisation_id: string;
  name: string;
  role: Role;
  prefix: string;
  created_by_user_id: string | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
  cursor_key: string;
}

const COLUMNS = `id, organisation_id, name, role, prefix, created_by_user_id, created_at, revoked_at, last_used_at,
  ${cursorKeySql('created_at')} AS cursor_key`;

function toRecord(r: Row): ApiKeyRecord {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    cursorKey: r.cursor_key,
  };
}

/** Creating, listing and revoking API keys (authentication reads them through `ApiKeyAuthRepository`). */
@Injectable()
export class ApiKeyManagementRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    tx: Tx,
    k: { organisationId: string; name: string; role: Role; prefix: string; secretHash: Buffer; createdByUserId: string | null },
  ): Promise<ApiKeyRecord> {
    const rows: Row[] = await tx.query(
      `INSERT INTO api_key (organisation_id, name, role, prefix, secret_hash, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [k.organisationId, k.name, k.role, k.prefix, k.secretHash, k.createdByUserId],
    );
    return toRecord(rows[0]);
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager): Promise<ApiKeyRecord | undefined> {
    const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM api_key WHERE id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Sets `revoked_at` once; returns the key when this call revoked it, undefined if it already was. */
  async revoke(tx: Tx, id: string): Promise<ApiKeyRecord | undefined> {
    const [rows]: [Row[], number] = await tx.query(
      `UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async listOfOrganisation(organisationId: string, q: { revoked?: boolean; after?: KeysetCursor; limit: number }): Promise<ApiKeyRecord[]> {
    const params: unknown[] = [organisationId];
    const where = ['organisation_id = $1'];
    if (q.revoked !== undefined) where.push(q.revoked ? 'revoked_at IS NOT NULL' : 'revoked_at IS NULL');
    if (q.after) {
      params.push(q.after.k, q.after.id);
      where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit + 1);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM api_key WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }
}
