import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { DataSource, EntityManager } from 'typeorm';
import { OrganisationKind, Role } from '../access/principal';

export type UserStatus = 'invited' | 'active' | 'disabled';

/**
 * What authentication needs to know about a user, with the organisation's kinds (one join): the
 * password hash and TOTP state stay inside the auth services and never leave them.
 */
export interface UserCredentials {
  id: string;
  organisationId: string;
  organisationKinds: OrganisationKind[];
  email: string;
  role: Role;
  status: UserStatus;
  passwordHash: string | null;
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  /** Last accepted TOTP time step (bigint as a string from the driver), or null. */
  totpLastStep: string | null;
}

export interface NewUser {
  organisationId: string;
  email: string;
  displayName: string;
  role: Role;
  status: UserStatus;
  passwordHash: string | null;
  passwordChangedAt: Date | null;
}

interface CredentialsRow {
  id: string;
  organisation_id: string;
  kinds: OrganisationKind[];
  email: string;
  role: Role;
  status: UserStatus;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | null;
}

const CREDENTIALS_SELECT = `SELECT u.id, u.organisation_id, o.kinds, u.email, u.role, u.status, u.password_hash,
       u.totp_secret, u.totp_enabled_at, u.totp_last_step
  FROM app_user u JOIN organisation o ON o.id = u.organisation_id`;

function toCredentials(r: CredentialsRow): UserCredentials {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationKinds: r.kinds,
    email: r.email,
    role: r.role,
    status: r.status,
    passwordHash: r.password_hash,
    totpSecret: r.totp_secret,
    totpEnabledAt: r.totp_enabled_at,
    totpLastStep: r.totp_last_step,
  };
}

/**
 * The `app_user` table. Methods are grouped by the module that needs them; authentication's
 * methods come first (credentials, TOTP state, passwords), the directory's follow.
 */
@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- authentication ---------------------------------------------------------------------------

  /** Login lookup by lower-cased email. */
  async findCredentialsByEmail(email: string, em: EntityManager = this.dataSource.manager): Promise<UserCredentials | undefined> {
    const rows: CredentialsRow[] = await em.query(`${CREDENTIALS_SELECT} WHERE u.email = $1`, [email]);
    return rows[0] && toCredentials(rows[0]);
  }

  /** Re-read at refresh, TOTP enrolment and set-password: status, role and kinds may have changed. */
  async findCredentialsById(id: string, em: EntityManager = this.dataSource.manager): Promise<UserCredentials | undefined> {
    const rows: CredentialsRow[] = await em.query(`${CREDENTIALS_SELECT} WHERE u.id = $1`, [id]);
    return rows[0] && toCredentials(rows[0]);
  }

  /**
   * Records an accepted TOTP step, only if it is later than the last one: of two logins racing with
   * the same code, exactly one gets `true` (RFC 6238 §5.2, one use per step).
   */
  async recordTotpStep(tx: Tx, userId: string, step: number): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH u AS (
         UPDATE app_user SET totp_last_step = $2
          WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)
         RETURNING id)
       SELECT id FROM u`,
      [userId, step],
    );
    return rows.length === 1;
  }

  /** Stores a new pending TOTP secret; refused (false) once TOTP is confirmed. */
  async setPendingTotpSecret(tx: Tx, userId: string, secret: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH u AS (
         UPDATE app_user SET totp_secret = $2, totp_last_step = NULL, updated_at = $3
          WHERE id = $1 AND totp_enabled_at IS NULL
         RETURNING id)
       SELECT id FROM u`,
      [userId, secret, now],
    );
    return rows.length === 1;
  }

  /**
   * Confirms the pending secret the code was checked against. False if TOTP was confirmed
   * meanwhile or the pending secret was replaced by a newer enrolment.
   */
  async confirmTotp(tx: Tx, userId: string, secret: string, step: number, now: Date): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH u AS (
         UPDATE app_user SET totp_enabled_at = $4, totp_last_step = $3, updated_at = $4
          WHERE id = $1 AND totp_enabled_at IS NULL AND totp_secret = $2
         RETURNING id)
       SELECT id FROM u`,
      [userId, secret, step, now],
    );
    return rows.length === 1;
  }

  /** Sets a new password; an invited user becomes active. Never re-activates a disabled user. */
  async setPassword(tx: Tx, userId: string, passwordHash: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH u AS (
         UPDATE app_user
            SET password_hash = $2, password_changed_at = $3, updated_at = $3,
                status = CASE WHEN status = 'invited' THEN 'active' ELSE status END
          WHERE id = $1 AND status <> 'disabled'
         RETURNING id)
       SELECT id FROM u`,
      [userId, passwordHash, now],
    );
    return rows.length === 1;
  }

  /** Upgrades a hash made with older argon2 parameters, only if the password did not change since. */
  async replacePasswordHash(tx: Tx, userId: string, previousHash: string, newHash: string): Promise<void> {
    await tx.query(`UPDATE app_user SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, [userId, previousHash, newHash]);
  }

  /** Inserts a user; the caller maps the `app_user_email_key` unique violation. */
  async insert(tx: Tx, user: NewUser): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO app_user (organisation_id, email, display_name, role, status, password_hash, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [user.organisationId, user.email, user.displayName, user.role, user.status, user.passwordHash, user.passwordChangedAt],
    );
    return rows[0].id;
  }

  // ---- directory --------------------------------------------------------------------------------
}
