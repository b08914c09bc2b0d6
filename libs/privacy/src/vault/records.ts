import { AES_KEY_BYTES, openBytes, sealBytes } from './envelope';
import { VaultError } from './vault.errors';

/** A person's fields of one kind (contact, identity…): strings, or null for "known to be absent". */
export type PersonalRecord = Record<string, string | null>;

// Records are sealed under a data key, which has no id: the header's key id byte is always 0.
const DATA_KEY_ID = 0;

/**
 * JSON with keys in sorted (UTF-16 code unit) order, so the same record always gives the same
 * plaintext whatever order its fields were set in. Lone surrogates are escaped by JSON.stringify
 * (ES2019), so every JS string round-trips.
 */
export function canonicalRecordJson(record: PersonalRecord): string {
  const keys = Object.keys(record).sort();
  const parts = keys.map((k) => {
    const v = record[k];
    if (v !== null && typeof v !== 'string') throw new TypeError(`record field "${k}" is a string or null`);
    return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
  });
  return `{${parts.join(',')}}`;
}

function isPersonalRecord(value: unknown): value is PersonalRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => v === null || typeof v === 'string');
}

/** AES-256-GCM of the canonical JSON under the person's data key; `aad` e.g. `vault:<vaultId>:contact`. */
export function sealRecord(dataKey: Buffer, record: PersonalRecord, aad: string): Buffer {
  if (dataKey.length !== AES_KEY_BYTES) throw new RangeError('a data key has 32 bytes (AES-256)');
  return sealBytes(DATA_KEY_ID, dataKey, Buffer.from(canonicalRecordJson(record), 'utf8'), aad);
}

/** The record back; throws `VaultError` if the key, the AAD or any byte differs. */
export function openRecord(dataKey: Buffer, sealed: Buffer, aad: string): PersonalRecord {
  if (dataKey.length !== AES_KEY_BYTES) throw new RangeError('a data key has 32 bytes (AES-256)');
  const json = openBytes(sealed, dataKey, aad).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new VaultError('MALFORMED');
  }
  // Authenticated bytes are ours, but a record written by a future format must not pass as this one.
  if (!isPersonalRecord(parsed)) throw new VaultError('MALFORMED');
  return parsed;
}
