import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { CommonError, KeysetCursor } from '@sillage/common';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { cursorKeySql, isCheckViolation, isUniqueViolation } from '../organisations/directory-support';

export const USER_STATUSES = ['invited', 'active', 'disabled'] as const;
export type DirectoryUserStatus = (typeof USER_STATUSES)[number];

/** A user as the directory shows it: no password hash, no TOTP secret. */
export interface DirectoryUser {
  id: string;
  organisationId: string;
  email: string;
  displayName: string;
  role: Role;
  status: DirectoryUserStatus;
  hasPassword: boolean;
  totpEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  cursorKey: string;
}

export type DirectoryUserChanges = Partial<Pick<DirectoryUser, 'role' | 'displayName' | 'status'>>;

export interface UserListQuery {
  organisationId?: string;
  role?: Role;
  status?: DirectoryUserStatus;
  after?: KeysetCursor;
  limit: number;
}

interface Row {
  id: string;
  organisation_id: string;
  email: string;
  display_name: string;
  role: Role;
  status: DirectoryUserStatus;
  has_password: boolean;
  totp_enabled: boolean;
  created_at: Date;
  updated_at: Date;
  cursor_key: string;
}

const COLUMNS = `id, organisation_id, email, display_name, role, status, password_hash IS NOT NULL AS has_password,
  totp_enabled_at IS NOT NULL AS totp_enabled, created_at, updated_at, ${cursorKeySql('created_at')} AS cursor_key`;

const COLUMN_OF: Record<keyof DirectoryUserChanges, string> = { role: 'role', displayName: 'display_name', status: 'status' };

function toUser(r: Row): DirectoryUser {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    status: r.status,
    hasPassword: r.has_password,
    totpEnabled: r.totp_enabled,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    cursorKey: r.cursor_key,
  };
}

/** The directory's side of `app_user` (authentication has its own `UserRepository`). */
@Injectable()
export class UserDirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts an invited user without a password; an email already in use is EMAIL_TAKEN. */
  async insertInvited(tx: Tx, u: { organisationId: string; email: string; displayName: string; role: Role }): Promise<DirectoryUser> {
    try {
      const rows: Row[] = await tx.query(
        `INSERT INTO app_user (organisation_id, email, display_name, role, status) VALUES ($1, $2, $3, $4, 'invited') RETURNING ${COLUMNS}`,
        [u.organisationId, u.email, u.displayName, u.role],
      );
      return toUser(rows[0]);
    } catch (e) {
      if (isUniqueViolation(e, 'app_user_email_key')) {
        throw new IdentityError('EMAIL_TAKEN', 'a user with this email already exists', { field: 'email' });
      }
      // The table requires email = lower(email); should PostgreSQL lower-case a character that
      // JavaScript did not, the address is refused rather than answered with a 500.
      if (isCheckViolation(e, 'app_user_email_check')) {
        throw new CommonError('VALIDATION_FAILED', 'email is not accepted', {
          field: 'email',
          errors: [{ field: 'email', code: 'isEmail', message: 'email is not accepted' }],
        });
      }
      throw e;
    }
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager): Promise<DirectoryUser | undefined> {
    const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM app_user WHERE id = $1`, [id]);
    return rows[0] && toUser(rows[0]);
  }

  async findByIdForUpdate(tx: Tx, id: string): Promise<DirectoryUser | undefined> {
    const rows: Row[] = await tx.query(`SELECT ${COLUMNS} FROM app_user WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] && toUser(rows[0]);
  }

  async update(tx: Tx, id: string, changes: DirectoryUserChanges): Promise<DirectoryUser> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, column] of Object.entries(COLUMN_OF) as [keyof DirectoryUserChanges, string][]) {
      if (changes[key] === undefined) continue;
      params.push(changes[key]);
      sets.push(`${column} = $${params.length}`);
    }
    const [rows]: [Row[], number] = await tx.query(
      `UPDATE app_user SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      params,
    );
    return toUser(rows[0]);
  }

  /** Ends every session of the user (a disabled user cannot refresh). Returns how many tokens. */
  async revokeRefreshTokens(tx: Tx, userId: string): Promise<number> {
    const [, count]: [unknown[], number] = await tx.query(
      `UPDATE refresh_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    return count;
  }

  async list(q: UserListQuery): Promise<DirectoryUser[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.organisationId !== undefined) where.push(`organisation_id = ${p(q.organisationId)}`);
    if (q.role !== undefined) where.push(`role = ${p(q.role)}`);
    if (q.status !== undefined) where.push(`status = ${p(q.status)}`);
    if (q.after) where.push(`(created_at, id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM app_user ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at, id LIMIT ${p(q.limit + 1)}`,
      params,
    );
    return rows.map(toUser);
  }
}
