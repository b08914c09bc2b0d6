import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { DataSource, EntityManager } from 'typeorm';

export type SetPasswordChannel = 'admin' | 'email';

export interface LiveSetPasswordToken {
  id: string;
  userId: string;
  organisationId: string;
  email: string;
}

/** `set_password_token`: one-time links, SHA-256 only. */
@Injectable()
export class SetPasswordTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    tx: Tx,
    token: { userId: string; tokenHash: Buffer; channel: SetPasswordChannel; createdAt: Date; expiresAt: Date },
  ): Promise<void> {
    await tx.query(`INSERT INTO set_password_token (user_id, token_hash, channel, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      token.userId,
      token.tokenHash,
      token.channel,
      token.createdAt,
      token.expiresAt,
    ]);
  }

  /** An unused, unexpired token of a user who is not disabled, with the email the policy needs. */
  async findLive(tokenHash: Buffer, now: Date, em: EntityManager = this.dataSource.manager): Promise<LiveSetPasswordToken | undefined> {
    const rows: { id: string; user_id: string; organisation_id: string; email: string }[] = await em.query(
      `SELECT t.id, t.user_id, u.organisation_id, u.email
         FROM set_password_token t JOIN app_user u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.status <> 'disabled'`,
      [tokenHash, now],
    );
    const r = rows[0];
    return r && { id: r.id, userId: r.user_id, organisationId: r.organisation_id, email: r.email };
  }

  /**
   * Spends the presented token (conditionally: two submissions of one link cannot both succeed)
   * and every other live token of the same user. Returns the user id, or undefined if the token
   * was no longer live.
   */
  async spend(tx: Tx, tokenHash: Buffer, now: Date): Promise<string | undefined> {
    const rows: { user_id: string }[] = await tx.query(
      `WITH t AS (
         UPDATE set_password_token SET used_at = $2
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING user_id)
       SELECT user_id FROM t`,
      [tokenHash, now],
    );
    const userId = rows[0]?.user_id;
    if (userId === undefined) return undefined;
    await tx.query(`UPDATE set_password_token SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [userId, now]);
    return userId;
  }
}
