import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { loadOrCreateDevSecrets } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Tx } from '@sillage/db';
import { PersonalDataVault, PersonalRecord } from '../vault';

export interface Consent {
  purpose: string;
  givenOn: string;
  textVersion: string;
}

export interface PreparedPerson {
  vaultId: string;
  pseudonym: string;
  wrappedKey: Buffer;
  record: { field: string; sealed: Buffer; consent: Consent } | null;
}

export interface StoredRecord {
  record: PersonalRecord | null;
  consent: Consent;
}

/**
 * The vault as the application uses it: people, their sealed records, erasure by crypto-shredding.
 * Keys come from the configuration (development keys under DATA_DIR on a bare machine).
 */
@Injectable()
export class VaultService {
  readonly vault: PersonalDataVault;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const c = config.privacy;
    const dev =
      c.masterKeys.length > 0 && c.pseudonymKey
        ? undefined
        : loadOrCreateDevSecrets(join(config.dataDir, 'dev-privacy-keys.json'), () => ({
            masterKey: randomBytes(32).toString('base64'),
            pseudonymKey: randomBytes(32).toString('base64'),
          }));
    this.vault = new PersonalDataVault(
      c.masterKeys.length > 0 ? c.masterKeys : [{ id: 0, key: Buffer.from(dev!.masterKey, 'base64') }],
      c.pseudonymKey ?? Buffer.from(dev!.pseudonymKey, 'base64'),
    );
  }

  /** A new person (a random vault id and data key); returns their pseudonym. */
  async newPerson(tx: Tx): Promise<string> {
    const p = this.vault.newPerson();
    await tx.query(`INSERT INTO vault_person (vault_id, pseudonym, wrapped_key) VALUES ($1, $2, $3)`, [
      p.vaultId,
      p.pseudonym,
      p.dataKeyWrapped,
    ]);
    return p.pseudonym;
  }

  /**
   * A new person and, optionally, one sealed record, ready to insert: for a caller writing them in its
   * own statement (the hand-over's single-statement hot path). Nothing is written here.
   */
  preparePerson(sealed?: { field: string; record: PersonalRecord; consent: Consent }): PreparedPerson {
    const p = this.vault.newPerson();
    return {
      vaultId: p.vaultId,
      pseudonym: p.pseudonym,
      wrappedKey: p.dataKeyWrapped,
      record: sealed
        ? {
            field: sealed.field,
            sealed: this.vault.seal(p.vaultId, p.dataKeyWrapped, sealed.field, sealed.record),
            consent: sealed.consent,
          }
        : null,
    };
  }

  /** Seals `record` under the person's key, with the consent it was given under (replaces an earlier one). */
  async seal(tx: Tx, pseudonym: string, field: string, record: PersonalRecord, consent: Consent): Promise<void> {
    const person = await this.person(tx, pseudonym);
    if (!person?.wrappedKey) throw new Error('this person was erased');
    const sealed = this.vault.seal(person.vaultId, person.wrappedKey, field, record);
    await tx.query(
      `INSERT INTO vault_record (vault_id, field, sealed, consent_purpose, consent_given_on, consent_text_version) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (vault_id, field) DO UPDATE SET sealed = EXCLUDED.sealed, consent_purpose = EXCLUDED.consent_purpose,
         consent_given_on = EXCLUDED.consent_given_on, consent_text_version = EXCLUDED.consent_text_version, created_at = now()`,
      [person.vaultId, field, sealed, consent.purpose, consent.givenOn, consent.textVersion],
    );
  }

  /** Every record of the person, opened; `erased` when their key is gone. */
  async records(tx: Tx, pseudonym: string): Promise<{ erased: boolean; erasedAt: Date | null; records: Record<string, StoredRecord> }> {
    const person = await this.person(tx, pseudonym);
    if (!person) return { erased: true, erasedAt: null, records: {} };
    const rows: { field: string; sealed: Buffer; purpose: string; givenOn: string; textVersion: string }[] = await tx.query(
      `SELECT field, sealed, consent_purpose AS purpose, to_char(consent_given_on, 'YYYY-MM-DD') AS "givenOn", consent_text_version AS "textVersion"
       FROM vault_record WHERE vault_id = $1 ORDER BY field`,
      [person.vaultId],
    );
    const records: Record<string, StoredRecord> = {};
    for (const r of rows) {
      records[r.field] = {
        record: person.wrappedKey ? this.vault.open(person.vaultId, person.wrappedKey, r.field, r.sealed) : null,
        consent: { purpose: r.purpose, givenOn: r.givenOn, textVersion: r.textVersion },
      };
    }
    return { erased: person.wrappedKey === null, erasedAt: person.erasedAt, records };
  }

  /** Deletes one record (consent withdrawn). */
  async deleteRecord(tx: Tx, pseudonym: string, field: string): Promise<boolean> {
    const person = await this.person(tx, pseudonym);
    if (!person) return false;
    const rows: unknown[] = await tx.query(`DELETE FROM vault_record WHERE vault_id = $1 AND field = $2 RETURNING 1`, [
      person.vaultId,
      field,
    ]);
    return rows.length > 0;
  }

  /**
   * Master-key rotation: re-wraps every data key not under the current master key, in batches, each
   * batch its own transaction. Sealed records are not touched. Returns how many keys were re-wrapped.
   */
  async rewrapAll(run: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>, batch = 1000): Promise<number> {
    const current = this.vault.currentMasterKeyId;
    let total = 0;
    for (;;) {
      const n = await run(async (tx) => {
        const rows: { vaultId: string; wrappedKey: Buffer }[] = await tx.query(
          `SELECT vault_id AS "vaultId", wrapped_key AS "wrappedKey" FROM vault_person
           WHERE wrapped_key IS NOT NULL AND get_byte(wrapped_key, 1) <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [current, batch],
        );
        for (const r of rows) {
          await tx.query(`UPDATE vault_person SET wrapped_key = $2 WHERE vault_id = $1`, [
            r.vaultId,
            this.vault.rewrap(r.vaultId, r.wrappedKey),
          ]);
        }
        return rows.length;
      });
      total += n;
      if (n < batch) return total;
    }
  }

  /** Crypto-shredding: the data key and every sealed record are deleted; the row remains, marked erased. */
  async erase(tx: Tx, pseudonym: string, reason: string): Promise<boolean> {
    const person = await this.person(tx, pseudonym);
    if (!person || person.wrappedKey === null) return false;
    await tx.query(`DELETE FROM vault_record WHERE vault_id = $1`, [person.vaultId]);
    await tx.query(`UPDATE vault_person SET wrapped_key = NULL, erased_at = now(), erasure_reason = $2 WHERE vault_id = $1`, [
      person.vaultId,
      reason,
    ]);
    return true;
  }

  private async person(
    tx: Tx,
    pseudonym: string,
  ): Promise<{ vaultId: string; wrappedKey: Buffer | null; erasedAt: Date | null } | undefined> {
    const rows: { vaultId: string; wrappedKey: Buffer | null; erasedAt: Date | null }[] = await tx.query(
      `SELECT vault_id AS "vaultId", wrapped_key AS "wrappedKey", erased_at AS "erasedAt" FROM vault_person WHERE pseudonym = $1`,
      [pseudonym],
    );
    return rows[0];
  }
}
