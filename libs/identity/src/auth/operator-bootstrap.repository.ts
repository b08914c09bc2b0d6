import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';

/** Any constant shared by every process that may bootstrap the operator (API replicas, the CLI). */
const OPERATOR_BOOTSTRAP_LOCK = 0x5111a70;

export interface NewOperatorOrganisation {
  legalName: string;
  siren: string;
  siret: string | null;
  addressLine: string;
  postcode: string;
  communeCode: string;
}

/** The few reads and writes the operator's first start needs. */
@Injectable()
export class OperatorBootstrapRepository {
  /** Serialises bootstraps until the transaction ends: two processes starting at once create one operator. */
  async lock(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [OPERATOR_BOOTSTRAP_LOCK]);
  }

  async findOperatorOrganisationId(tx: Tx): Promise<string | undefined> {
    const rows: { id: string }[] = await tx.query(
      `SELECT id FROM organisation WHERE 'operator' = ANY(kinds) ORDER BY created_at, id LIMIT 1`,
    );
    return rows[0]?.id;
  }

  async hasAdmin(tx: Tx, organisationId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM app_user WHERE organisation_id = $1 AND role = 'admin' LIMIT 1`, [
      organisationId,
    ]);
    return rows.length > 0;
  }

  async insertOperatorOrganisation(tx: Tx, o: NewOperatorOrganisation): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO organisation (kinds, legal_name, siren, siret, address_line, postcode, commune_code)
       VALUES (ARRAY['operator']::text[], $1, $2, $3, $4, $5, $6) RETURNING id`,
      [o.legalName, o.siren, o.siret, o.addressLine, o.postcode, o.communeCode],
    );
    return rows[0].id;
  }
}
