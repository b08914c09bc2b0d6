import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrganisationKind, Role } from '../access/principal';

export interface ActiveApiKey {
  id: string;
  organisationId: string;
  organisationKinds: OrganisationKind[];
  role: Role;
  revokedAt: Date | null;
}

@Injectable()
export class ApiKeyAuthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One indexed lookup by hash, with the organisation's kinds for authorisation. */
  async findBySecretHash(hash: Buffer): Promise<ActiveApiKey | undefined> {
    const rows: { id: string; organisation_id: string; kinds: OrganisationKind[]; role: Role; revoked_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT k.id, k.organisation_id, o.kinds, k.role, k.revoked_at
         FROM api_key k JOIN organisation o ON o.id = k.organisation_id
        WHERE k.secret_hash = $1`,
        [hash],
      );
    const r = rows[0];
    return r && { id: r.id, organisationId: r.organisation_id, organisationKinds: r.kinds, role: r.role, revokedAt: r.revoked_at };
  }

  /** Outside any request transaction; the caller throttles to once a minute per key. */
  async touchLastUsed(id: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE api_key SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`, [
      id,
      at,
    ]);
  }
}
