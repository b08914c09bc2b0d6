import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { cursorKeySql, OrganisationKind } from '@sillage/identity';
import { PARIS_TODAY_SQL } from '../qualification/site-label-valid';
import { SiteStatus } from './site-profile.entity';

/** A site as the API shows it: its organisation's identity, its profile, and its current label. */
export interface SiteRecord {
  id: string;
  kinds: OrganisationKind[];
  legalName: string;
  siren: string;
  siret: string | null;
  addressLine: string;
  postcode: string;
  communeCode: string;
  /** False until the site's first `PUT …/profile` (it is then a draft with an empty profile). */
  hasProfile: boolean;
  latitude: number | null;
  longitude: number | null;
  serviceCategoryCodes: string[];
  charterVersion: string | null;
  charterAcceptedAt: Date | null;
  status: SiteStatus;
  statusChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  labelName: string | null;
  labelValidFrom: string | null;
  labelValidUntil: string | null;
  labelValidToday: boolean;
  cursorKey: string;
}

/** The site_profile row, as locked for a read-modify-write. */
export interface ProfileRow {
  latitude: number | null;
  longitude: number | null;
  serviceCategoryCodes: string[];
  charterVersion: string | null;
  status: SiteStatus;
}

export interface ProfileValues {
  latitude: number | null;
  longitude: number | null;
  serviceCategoryCodes: string[];
  charterVersion: string | null;
  /** Stamp charter_accepted_at with the transaction's time. */
  charterAcceptedNow: boolean;
}

export interface SiteListQuery {
  status?: SiteStatus;
  communeCode?: string;
  departmentCode?: string;
  q?: string;
  after?: KeysetCursor;
  limit: number;
}

/** Sort key of the operator's list: since when the site is in its status (never-profiled sites: since registration). */
const SINCE = 'coalesce(p.status_changed_at, o.created_at)';

/**
 * The current label is the latest `qualified` decision whose range covers today, else the latest
 * one (a renewal that starts later, or an expired label): what an operator or a funder wants to see.
 */
const SELECT = `SELECT o.id, o.kinds, o.legal_name AS "legalName", o.siren, o.siret, o.address_line AS "addressLine", o.postcode,
    o.commune_code AS "communeCode", p.organisation_id IS NOT NULL AS "hasProfile", p.latitude, p.longitude,
    coalesce(p.service_category_codes, '{}') AS "serviceCategoryCodes", p.charter_version AS "charterVersion",
    p.charter_accepted_at AS "charterAcceptedAt", coalesce(p.status, 'draft') AS status, p.status_changed_at AS "statusChangedAt",
    coalesce(p.created_at, o.created_at) AS "createdAt", greatest(p.updated_at, o.updated_at) AS "updatedAt",
    l.label_name AS "labelName", to_char(l.label_valid_from, 'YYYY-MM-DD') AS "labelValidFrom",
    to_char(l.label_valid_until, 'YYYY-MM-DD') AS "labelValidUntil", coalesce(l.today, false) AS "labelValidToday",
    ${cursorKeySql(SINCE)} AS "cursorKey"
  FROM organisation o
  LEFT JOIN site_profile p ON p.organisation_id = o.id
  LEFT JOIN LATERAL (
    SELECT q.label_name, q.label_valid_from, q.label_valid_until,
           ${PARIS_TODAY_SQL} BETWEEN q.label_valid_from AND q.label_valid_until AS today
    FROM site_qualification q WHERE q.site_id = o.id AND q.decision = 'qualified'
    ORDER BY today DESC, q.decided_at DESC, q.id DESC LIMIT 1) l ON true`;

interface RawSite extends Omit<SiteRecord, 'latitude' | 'longitude'> {
  latitude: number | string | null;
  longitude: number | string | null;
}

function toRecord(r: RawSite): SiteRecord {
  return { ...r, latitude: r.latitude === null ? null : Number(r.latitude), longitude: r.longitude === null ? null : Number(r.longitude) };
}

/** Sites: organisations of kind `site` with their profile row (site_profile), read and written by intent. */
@Injectable()
export class SiteRepository {
  constructor(private readonly runner: TransactionRunner) {}

  /** The organisation with this id, whatever its kinds (callers tell "not a site" from "not found"), with its profile. */
  async findById(id: string, em: Tx = this.runner.manager): Promise<SiteRecord | undefined> {
    const rows: RawSite[] = await em.query(`${SELECT} WHERE o.id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /** The site's profile locked against concurrent edits and decisions; undefined while it has none. */
  async lockProfile(tx: Tx, siteId: string): Promise<ProfileRow | undefined> {
    const rows: ProfileRow[] = await tx.query(
      `SELECT latitude, longitude, service_category_codes AS "serviceCategoryCodes", charter_version AS "charterVersion", status
       FROM site_profile WHERE organisation_id = $1 FOR UPDATE`,
      [siteId],
    );
    return rows[0];
  }

  /** Creates the profile (status draft); false when another transaction created it first. */
  async insertProfile(tx: Tx, siteId: string, v: ProfileValues): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO site_profile (organisation_id, latitude, longitude, service_category_codes, charter_version, charter_accepted_at)
       VALUES ($1, $2, $3, $4::text[], $5, CASE WHEN $6 THEN now() END)
       ON CONFLICT (organisation_id) DO NOTHING RETURNING organisation_id`,
      [siteId, v.latitude, v.longitude, v.serviceCategoryCodes, v.charterVersion, v.charterAcceptedNow],
    );
    return rows.length === 1;
  }

  async updateProfile(tx: Tx, siteId: string, v: ProfileValues): Promise<void> {
    await tx.query(
      `UPDATE site_profile SET latitude = $2, longitude = $3, service_category_codes = $4::text[], charter_version = $5,
              charter_accepted_at = CASE WHEN $6 THEN now() ELSE charter_accepted_at END, updated_at = now()
       WHERE organisation_id = $1`,
      [siteId, v.latitude, v.longitude, v.serviceCategoryCodes, v.charterVersion, v.charterAcceptedNow],
    );
  }

  async setStatus(tx: Tx, siteId: string, status: SiteStatus): Promise<void> {
    await tx.query(`UPDATE site_profile SET status = $2, status_changed_at = now(), updated_at = now() WHERE organisation_id = $1`, [
      siteId,
      status,
    ]);
  }

  /** The codes among `codes` that are not active categories of the operator's list. */
  async codesNotActive(codes: string[], em: Tx = this.runner.manager): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows: { code: string }[] = await em.query(
      `SELECT c.code FROM unnest($1::text[]) AS c(code)
       WHERE NOT EXISTS (SELECT 1 FROM service_category s WHERE s.code = c.code AND s.active) ORDER BY c.code`,
      [codes],
    );
    return rows.map((r) => r.code);
  }

  /** Sites (organisations of kind `site`), oldest in their status first: the operator's queue with `status=applied`. */
  async list(q: SiteListQuery): Promise<SiteRecord[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [`'site' = ANY(o.kinds)`];
    if (q.status) where.push(`coalesce(p.status, 'draft') = ${p(q.status)}`);
    if (q.communeCode) where.push(`o.commune_code = ${p(q.communeCode)}`);
    if (q.departmentCode) {
      where.push(`left(o.commune_code, CASE WHEN o.commune_code LIKE '97%' THEN 3 ELSE 2 END) = ${p(q.departmentCode)}`);
    }
    if (q.q) where.push(`strpos(lower(o.legal_name), lower(${p(q.q)})) > 0`);
    if (q.after) where.push(`(${SINCE}, o.id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    const rows: RawSite[] = await this.runner.manager.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY ${SINCE}, o.id LIMIT ${p(q.limit + 1)}`,
      params,
    );
    return rows.map(toRecord);
  }
}
