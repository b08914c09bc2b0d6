import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';

export interface SetPasswordEmailRecipient {
  id: string;
  email: string;
  displayName: string;
  status: 'invited' | 'active' | 'disabled';
}

/** The one read the set-password email job needs: who to write to, and whether to write at all. */
@Injectable()
export class SetPasswordEmailRepository {
  async findRecipient(tx: Tx, userId: string): Promise<SetPasswordEmailRecipient | undefined> {
    const rows: { id: string; email: string; display_name: string; status: SetPasswordEmailRecipient['status'] }[] = await tx.query(
      `SELECT id, email, display_name, status FROM app_user WHERE id = $1`,
      [userId],
    );
    const r = rows[0];
    return r && { id: r.id, email: r.email, displayName: r.display_name, status: r.status };
  }
}
