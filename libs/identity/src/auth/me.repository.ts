import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrganisationKind, Role } from '../access/principal';

export interface CallerProfile {
  id: string;
  email?: string;
  displayName: string;
  role: Role;
  totpEnabled?: boolean;
  organisation: { id: string; legalName: string; kinds: OrganisationKind[] };
}

interface ProfileRow {
  id: string;
  email?: string;
  display_name: string;
  role: Role;
  totp_enabled?: boolean;
  organisation_id: string;
  legal_name: string;
  kinds: OrganisationKind[];
}

function toProfile(r: ProfileRow): CallerProfile {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    totpEnabled: r.totp_enabled,
    organisation: { id: r.organisation_id, legalName: r.legal_name, kinds: r.kinds },
  };
}

/** `GET /v1/me`, the benchmark route: one indexed join per call, nothing else. */
@Injectable()
export class MeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** An active user with their organisation, or undefined. */
  async activeUserProfile(userId: string): Promise<CallerProfile | undefined> {
    const rows: ProfileRow[] = await this.dataSource.query(
      `SELECT u.id, u.email, u.display_name, u.role, u.totp_enabled_at IS NOT NULL AS totp_enabled,
              o.id AS organisation_id, o.legal_name, o.kinds
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id
        WHERE u.id = $1 AND u.status = 'active'`,
      [userId],
    );
    return rows[0] && toProfile(rows[0]);
  }

  /** An unrevoked API key with its organisation, or undefined. The key's name is its display name. */
  async liveApiKeyProfile(apiKeyId: string): Promise<CallerProfile | undefined> {
    const rows: ProfileRow[] = await this.dataSource.query(
      `SELECT k.id, k.name AS display_name, k.role, o.id AS organisation_id, o.legal_name, o.kinds
         FROM api_key k JOIN organisation o ON o.id = k.organisation_id
        WHERE k.id = $1 AND k.revoked_at IS NULL`,
      [apiKeyId],
    );
    return rows[0] && toProfile(rows[0]);
  }
}
