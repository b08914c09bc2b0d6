import { Injectable } from '@nestjs/common';
import { Tx } from '@sillage/db';
import { Principal } from '@sillage/identity';

/** A read by the platform itself (a job), not by a user or an API key: no id, no organisation. */
export interface SystemReader {
  type: 'system';
}

/** The reader recorded in the access log. */
export type PersonalDataReader = Principal | SystemReader;

/** Records every read of personal data (who, what, why); purgeable, outside the audit tree. */
@Injectable()
export class PersonalDataAccessLog {
  /** A read by `reader` (a user, an API key, or the system), in the caller's transaction. */
  async record(tx: Tx, reader: PersonalDataReader, personPseudonym: string, what: string, purpose: string): Promise<void> {
    const [actorId, organisationId] = reader.type === 'system' ? [null, null] : [reader.id, reader.organisationId];
    await tx.query(
      `INSERT INTO personal_data_access (person_pseudonym, actor_type, actor_id, organisation_id, what, purpose) VALUES ($1, $2, $3, $4, $5, $6)`,
      [personPseudonym, reader.type, actorId, organisationId, what, purpose],
    );
  }

  /** A read by the platform itself (a job), recorded with actor type 'system' and no actor or organisation. */
  async recordSystem(tx: Tx, personPseudonym: string, what: string, purpose: string): Promise<void> {
    await this.record(tx, { type: 'system' }, personPseudonym, what, purpose);
  }
}
