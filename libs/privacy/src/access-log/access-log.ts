import { Injectable } from '@nestjs/common';
import { Tx } from '@sillage/db';
import { Principal } from '@sillage/identity';

/** Records every read of personal data (who, what, why); purgeable, outside the audit tree. */
@Injectable()
export class PersonalDataAccessLog {
  async record(tx: Tx, principal: Principal, personPseudonym: string, what: string, purpose: string): Promise<void> {
    await tx.query(
      `INSERT INTO personal_data_access (person_pseudonym, actor_type, actor_id, organisation_id, what, purpose) VALUES ($1, $2, $3, $4, $5, $6)`,
      [personPseudonym, principal.type, principal.id, principal.organisationId, what, purpose],
    );
  }
}
