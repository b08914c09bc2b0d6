import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { KeysetCursor } from '@sillage/common';
import { DataSource, EntityManager } from 'typeorm';
import { OrganisationKind } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { cursorKeySql, isUniqueViolation } from './directory-support';

export const FUNDER_TYPES = ['collectivity', 'public_operator', 'company', 'state'] as const;
export type FunderType = (typeof FUNDER_TYPES)[number];

export interface OrganisationRecord {
  id: string;
  kinds: OrganisationKind[];
  funderType: FunderType | null;
  legalName: string;
  siren: string;
  siret: string | null;
  addressLine: string;
  postcode: string;
  communeCode: string;
  createdAt: Date;
  updatedAt: Date;
  cursorKey: string;
}

export type NewOrganisation = Omit<OrganisationRecord, 'id' | 'createdAt' | 'updatedAt' | 'cursorKey'>;
export type OrganisationChanges = Partial<NewOrganisation>;

export interface OrganisationListQuery {
  /** 'all' for the operator, else the ids the caller may see. */
  visible: 'all' | string[];
  kind?: OrganisationKind;
  /** Case-insensitive substring of the legal name. */
  q?: string;
  communeCode?: string;
  after?: KeysetCursor;
  limit: number;
}

interface Row {
  id: string;
  kinds: OrganisationKind[];
  funder_type: FunderType | null;
  legal_name: string;
  siren: string;
  siret: string | null;
  address_line: string;
  postcode: string;
  commune_code: string;
  created_at: Date;
  updated_at: Date;
  cursor_key: string;
}

const COLUMNS = `id, kinds, funder_type, legal_name, siren, siret, address_line, postcode, commune_code, created_at, updated_at,
  ${cursorKeySql('created_at')} AS cursor_key`;

const COLUMN_OF: Record<keyof OrganisationChanges, string> = {
  kinds: 'kinds',
  funderType: 'funder_type',
  legalName: 'legal_name',
  siren: 'siren',
  siret: 'siret',
  addressLine: 'address_line',
  postcode: 'postcode',
  communeCode: 'commune_code',
};

function toRecord(r: Row): OrganisationRecord {
  return {
    id: r.id,
    kinds: r.kinds,
    funderType: r.funder_type,
    legalName: r.legal_name,
    siren: r.siren,
    siret: r.siret,
    addressLine: r.address_line,
    postcode: r.postcode,
    communeCode: r.commune_code,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    cursorKey: r.cursor_key,
  };
}

function siretTaken(e: unknown): never | void {
  if (isUniqueViolation(e, 'organisation_siret_key')) {
    throw new IdentityError('SIRET_TAKEN', 'an organisation with this SIRET already exists', { field: 'siret' });
  }
}

@Injectable()
export class OrganisationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts an organisation; a SIRET already registered becomes SIRET_TAKEN, never a 500. */
  async insert(tx: Tx, o: NewOrganisation): Promise<OrganisationRecord> {
    try {
      const rows: Row[] = await tx.query(
        `INSERT INTO organisation (kinds, funder_type, legal_name, siren, siret, address_line, postcode, commune_code)
         VALUES ($1::text[], $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [o.kinds, o.funderType, o.legalName, o.siren, o.siret, o.addressLine, o.postcode, o.communeCode],
      );
      return toRecord(rows[0]);
    } catch (e) {
      siretTaken(e);
      throw e;
    }
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager): Promise<OrganisationRecord | undefined> {
    const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM organisation WHERE id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Reads the row locked against concurrent edits, for read-modify-write in one transaction. */
  async findByIdForUpdate(tx: Tx, id: string): Promise<OrganisationRecord | undefined> {
    const rows: Row[] = await tx.query(`SELECT ${COLUMNS} FROM organisation WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  async update(tx: Tx, id: string, changes: OrganisationChanges): Promise<OrganisationRecord> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, column] of Object.entries(COLUMN_OF) as [keyof OrganisationChanges, string][]) {
      if (changes[key] === undefined) continue;
      params.push(changes[key]);
      sets.push(`${column} = $${params.length}${key === 'kinds' ? '::text[]' : ''}`);
    }
    try {
      const [rows]: [Row[], number] = await tx.query(
        `UPDATE organisation SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
        params,
      );
      return toRecord(rows[0]);
    } catch (e) {
      siretTaken(e);
      throw e;
    }
  }

  async list(q: OrganisationListQuery): Promise<OrganisationRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.visible !== 'all') where.push(`id = ANY(${p(q.visible)}::uuid[])`);
    if (q.kind !== undefined) where.push(`${p(q.kind)} = ANY(kinds)`);
    if (q.q !== undefined) where.push(`strpos(lower(legal_name), lower(${p(q.q)})) > 0`);
    if (q.communeCode !== undefined) where.push(`commune_code = ${p(q.communeCode)}`);
    if (q.after) where.push(`(created_at, id) > (${p(q.after.k)}::timestamptz, ${p(q.after.id)}::uuid)`);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM organisation ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at, id LIMIT ${p(q.limit + 1)}`,
      params,
    );
    return rows.map(toRecord);
  }
}
