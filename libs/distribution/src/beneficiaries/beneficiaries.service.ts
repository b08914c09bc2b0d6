import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { AuditLog } from '@sillage/audit';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, isOperator, Principal } from '@sillage/identity';
import { PersonalDataAccessLog, VaultService } from '@sillage/privacy';
import { DistributionError } from '../distribution.errors';

export const ACCESS_PURPOSES = ['follow_up', 'contact_beneficiary', 'data_subject_request', 'correction', 'audit'] as const;

export class PurposeQueryDto {
  @ApiProperty({ enum: ACCESS_PURPOSES, description: 'Why personal data is read: recorded in the access log the DPO reviews' })
  @IsIn(ACCESS_PURPOSES)
  purpose: (typeof ACCESS_PURPOSES)[number];
}

export const ERASURE_REASONS = ['data_subject_request', 'consent_withdrawn', 'retention', 'recorded_in_error'] as const;

export class EraseDto {
  @ApiProperty({ enum: ERASURE_REASONS })
  @IsIn(ERASURE_REASONS)
  reasonCode: (typeof ERASURE_REASONS)[number];
}

export class WithdrawConsentDto {
  @ApiProperty({ example: 'contact', description: 'The record whose consent is withdrawn' })
  @Matches(/^[a-z][a-z0-9_.-]{0,39}$/, { message: 'field must be a record name such as contact' })
  field: string;
}

interface ProfileRow {
  id: string;
  funderId: string;
  distributorId: string;
  ageBand: string;
  communeCode: string;
  publicCategoryCode: string | null;
  personPseudonym: string | null;
  unlinkedAt: Date | null;
  createdAt: Date;
}

/** Columns that link a row to a beneficiary, and which of the person's identifiers each holds. */
const LINKS: Record<string, 'profileId' | 'pseudonym' | 'vaultId'> = {
  profile_id: 'profileId',
  person_pseudonym: 'pseudonym',
  pseudonym: 'pseudonym',
  vault_id: 'vaultId',
};

/**
 * A beneficiary's personal data: read (with a purpose, logged), exported (GDPR art. 15), consent
 * withdrawn, erased (crypto-shredding + unlinking). Only the distributor that recorded the person
 * (its admins) and the operator's DPO; anyone else gets 404. Funders and sites never get here.
 */
@Injectable()
export class BeneficiariesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly vault: VaultService,
    private readonly accessLog: PersonalDataAccessLog,
    private readonly audit: AuditLog,
  ) {}

  async read(principal: Principal, id: string, purpose: string): Promise<Record<string, unknown>> {
    return this.tx.run(async (tx) => {
      const p = await this.visible(tx, principal, id);
      const vault = p.personPseudonym ? await this.vault.records(tx, p.personPseudonym) : { erased: true, erasedAt: null, records: {} };
      if (p.personPseudonym) await this.accessLog.record(tx, principal, p.personPseudonym, 'profile+records', purpose);
      const handovers: unknown[] = await tx.query(
        `SELECT h.id, b.serial AS "bookletSerial", to_char(h.handed_on, 'YYYY-MM-DD') AS "handedOn", h.returned_at AS "returnedAt"
         FROM handover h JOIN booklet b ON b.id = h.booklet_id WHERE h.profile_id = $1 ORDER BY h.created_at`,
        [id],
      );
      return {
        id: p.id,
        ageBand: p.ageBand,
        communeCode: p.communeCode,
        publicCategoryCode: p.publicCategoryCode,
        erased: vault.erased,
        records: vault.records,
        handovers,
        createdAt: p.createdAt.toISOString(),
      };
    });
  }

  /**
   * Everything stored about the person: every row of every table with a column linking to them
   * (found in information_schema, so a new table or column cannot be forgotten), sealed records
   * opened, bytes as base64. Audited (without content) and logged.
   */
  async export(principal: Principal, id: string, requestId?: string): Promise<Record<string, unknown>> {
    return this.tx.run(async (tx) => {
      const p = await this.visible(tx, principal, id);
      const ids: Record<'profileId' | 'pseudonym' | 'vaultId', string | null> = {
        profileId: p.id,
        pseudonym: p.personPseudonym,
        vaultId: p.personPseudonym ? await this.vaultIdOf(tx, p.personPseudonym) : null,
      };
      const tables: Record<string, Record<string, unknown>[]> = {};
      tables.beneficiary_profile = await tx.query(`SELECT * FROM beneficiary_profile WHERE id = $1`, [p.id]);
      const columns: { table: string; column: string }[] = await tx.query(
        `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = ANY($1::text[]) ORDER BY table_name, column_name`,
        [Object.keys(LINKS)],
      );
      for (const { table, column } of columns) {
        const value = ids[LINKS[column]];
        if (value === null || !/^[a-z_]+$/.test(table)) continue;
        const rows: Record<string, unknown>[] = await tx.query(`SELECT * FROM ${table} WHERE ${column}::text = $1`, [value]);
        tables[table] = [
          ...(tables[table] ?? []),
          ...rows.filter((r) => !(tables[table] ?? []).some((x) => JSON.stringify(x) === JSON.stringify(r))),
        ];
      }
      const vault = p.personPseudonym ? await this.vault.records(tx, p.personPseudonym) : { erased: true, erasedAt: null, records: {} };
      if (p.personPseudonym) await this.accessLog.record(tx, principal, p.personPseudonym, 'export', 'data_subject_request');
      await this.audit.append(tx, {
        action: 'beneficiary.exported',
        actor: actorOf(principal),
        subject: { type: 'beneficiary_profile', id: p.id },
        facts: { tables: Object.keys(tables).length },
        requestId,
      });
      return {
        exportedAt: new Date().toISOString(),
        erased: vault.erased,
        openedRecords: vault.records,
        tables: Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.map(toJsonRow)])),
      };
    });
  }

  /** Who read this person's data, when and why (operator DPO only; empty once the person is erased and unlinked). */
  async readsOf(principal: Principal, id: string): Promise<{ items: unknown[] }> {
    if (!(isOperator(principal) && principal.role === 'dpo')) throw new DistributionError('NOT_FOUND', 'beneficiary not found');
    return this.tx.run(async (tx) => {
      const p = await this.visible(tx, principal, id);
      if (!p.personPseudonym) return { items: [] };
      const items: unknown[] = await tx.query(
        `SELECT actor_type AS "actorType", actor_id AS "actorId", organisation_id AS "organisationId", what, purpose, accessed_at AS "accessedAt"
         FROM personal_data_access WHERE person_pseudonym = $1 ORDER BY accessed_at, id`,
        [p.personPseudonym],
      );
      return { items };
    });
  }

  async withdrawConsent(principal: Principal, id: string, field: string, requestId?: string): Promise<{ deleted: boolean }> {
    return this.tx.run(async (tx) => {
      const p = await this.visible(tx, principal, id);
      const deleted = p.personPseudonym ? await this.vault.deleteRecord(tx, p.personPseudonym, field) : false;
      await this.audit.append(tx, {
        action: 'beneficiary.consent_withdrawn',
        actor: actorOf(principal),
        subject: { type: 'beneficiary_profile', id: p.id },
        facts: { field, deleted },
        requestId,
      });
      return { deleted };
    });
  }

  /** Crypto-shredding: the data key and sealed records go, the profile is unlinked; counts stay. */
  async erase(principal: Principal, id: string, reasonCode: string, requestId?: string): Promise<{ erased: boolean }> {
    return this.tx.run(async (tx) => {
      const p = await this.visible(tx, principal, id);
      const erased = await this.eraseProfile(tx, p, reasonCode);
      await this.audit.append(tx, {
        action: 'beneficiary.erased',
        actor: actorOf(principal),
        subject: { type: 'beneficiary_profile', id: p.id },
        reason: reasonCode,
        facts: { alreadyErased: !erased },
        requestId,
      });
      return { erased: true };
    });
  }

  /** Erases one profile's person (shared with the retention job). */
  async eraseProfile(tx: Tx, p: Pick<ProfileRow, 'id' | 'personPseudonym'>, reason: string): Promise<boolean> {
    if (!p.personPseudonym) return false;
    await this.vault.erase(tx, p.personPseudonym, reason);
    await tx.query(`UPDATE beneficiary_profile SET person_pseudonym = NULL, unlinked_at = now() WHERE id = $1`, [p.id]);
    return true;
  }

  private async vaultIdOf(tx: Tx, pseudonym: string): Promise<string | null> {
    const rows: { vaultId: string }[] = await tx.query(`SELECT vault_id AS "vaultId" FROM vault_person WHERE pseudonym = $1`, [pseudonym]);
    return rows[0]?.vaultId ?? null;
  }

  private async visible(tx: Tx, principal: Principal, id: string): Promise<ProfileRow> {
    const rows: ProfileRow[] = await tx.query(
      `SELECT id, funder_id AS "funderId", distributor_id AS "distributorId", age_band AS "ageBand", commune_code AS "communeCode",
              public_category_code AS "publicCategoryCode", person_pseudonym AS "personPseudonym", unlinked_at AS "unlinkedAt", created_at AS "createdAt"
       FROM beneficiary_profile WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const p = rows[0];
    const dpo = isOperator(principal) && principal.role === 'dpo';
    const recorder = principal.organisationId === p?.distributorId && principal.role === 'admin';
    if (!p || !(dpo || recorder)) throw new DistributionError('NOT_FOUND', 'beneficiary not found');
    return p;
  }
}

function toJsonRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      Buffer.isBuffer(v) ? { base64: v.toString('base64') } : v instanceof Date ? v.toISOString() : v,
    ]),
  );
}
