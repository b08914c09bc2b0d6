import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';

export interface RotatedRefreshToken {
  id: string;
  familyId: string;
  userId: string;
}

export interface RefreshTokenState {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

interface StateRow {
  id: string;
  family_id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** `refresh_token`: rotating tokens grouped in families, stored as SHA-256 only. */
@Injectable()
export class RefreshTokenRepository {
  async insert(tx: Tx, token: { familyId: string; userId: string; tokenHash: Buffer; createdAt: Date; expiresAt: Date }): Promise<void> {
    await tx.query(`INSERT INTO refresh_token (family_id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      token.familyId,
      token.userId,
      token.tokenHash,
      token.createdAt,
      token.expiresAt,
    ]);
  }

  /**
   * Marks a live token used, in one conditional UPDATE: of two refreshes presenting the same token,
   * exactly one gets the row (the other waits on the row lock, then finds `used_at` set).
   */
  async markUsedIfLive(tx: Tx, tokenHash: Buffer, now: Date): Promise<RotatedRefreshToken | undefined> {
    const rows: { id: string; family_id: string; user_id: string }[] = await tx.query(
      `WITH t AS (
         UPDATE refresh_token SET used_at = $2
          WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
         RETURNING id, family_id, user_id)
       SELECT id, family_id, user_id FROM t`,
      [tokenHash, now],
    );
    const r = rows[0];
    return r && { id: r.id, familyId: r.family_id, userId: r.user_id };
  }

  async findByHash(tx: Tx, tokenHash: Buffer): Promise<RefreshTokenState | undefined> {
    const rows: StateRow[] = await tx.query(
      `SELECT id, family_id, user_id, expires_at, used_at, revoked_at FROM refresh_token WHERE token_hash = $1`,
      [tokenHash],
    );
    const r = rows[0];
    return r && { id: r.id, familyId: r.family_id, userId: r.user_id, expiresAt: r.expires_at, usedAt: r.used_at, revokedAt: r.revoked_at };
  }

  /** Revokes every token of the family still unrevoked; returns how many. */
  async revokeFamily(tx: Tx, familyId: string, now: Date): Promise<number> {
    const rows: unknown[] = await tx.query(
      `WITH t AS (UPDATE refresh_token SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM t`,
      [familyId, now],
    );
    return rows.length;
  }

  /** Revokes all of a user's sessions (password set, account disabled). Returns how many tokens. */
  async revokeAllOfUser(tx: Tx, userId: string, now: Date): Promise<number> {
    const rows: unknown[] = await tx.query(
      `WITH t AS (UPDATE refresh_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM t`,
      [userId, now],
    );
    return rows.length;
  }
}
