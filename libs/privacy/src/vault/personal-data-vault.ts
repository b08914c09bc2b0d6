import { randomUUID } from 'node:crypto';
import { checkMasterKeyRing, generateDataKey, MasterKey, masterKeyIdOf, rewrapDataKey, unwrapDataKey, wrapDataKey } from './data-keys';
import { checkPseudonymKey, pseudonym } from './pseudonym';
import { openRecord, PersonalRecord, sealRecord } from './records';

/** What a new person's vault row stores; the plaintext data key is never returned. */
export interface NewVaultPerson {
  vaultId: string;
  dataKeyWrapped: Buffer;
  pseudonym: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// A field name cannot hold ':' so `vault:<id>:<field>` parses one way only.
const FIELD = /^[a-z][a-z0-9_.-]{0,63}$/;

/** The AAD that binds a sealed record to its person and field. */
export function recordAad(vaultId: string, field: string): string {
  if (!UUID.test(vaultId)) throw new RangeError('a vault id is a lowercase UUID');
  if (!FIELD.test(field)) throw new RangeError('a vault field is lowercase letters, digits, "_", "." or "-"');
  return `vault:${vaultId}:${field}`;
}

/**
 * The master key ring and the pseudonym key, bundled. Stateless: the caller stores the wrapped key
 * and the sealed records (one per field) in the person's vault row; deleting the wrapped key erases
 * the person's data everywhere it was copied, backups included.
 */
export class PersonalDataVault {
  private readonly ring: readonly MasterKey[];

  /** The id of the master key new data keys are wrapped with (the ring's first). */
  get currentMasterKeyId(): number {
    return this.ring[0].id;
  }

  constructor(
    masterKeys: readonly MasterKey[],
    private readonly pseudonymKey: Buffer,
  ) {
    checkMasterKeyRing(masterKeys);
    this.ring = [...masterKeys];
    checkPseudonymKey(pseudonymKey);
  }

  newPerson(): NewVaultPerson {
    const vaultId = randomUUID();
    const dataKey = generateDataKey();
    try {
      return { vaultId, dataKeyWrapped: wrapDataKey(this.ring[0], dataKey, vaultId), pseudonym: this.pseudonymOf(vaultId) };
    } finally {
      dataKey.fill(0);
    }
  }

  pseudonymOf(vaultId: string): string {
    return pseudonym(this.pseudonymKey, vaultId);
  }

  seal(vaultId: string, wrappedKey: Buffer, field: string, record: PersonalRecord): Buffer {
    const aad = recordAad(vaultId, field);
    const dataKey = unwrapDataKey(this.ring, wrappedKey, vaultId);
    try {
      return sealRecord(dataKey, record, aad);
    } finally {
      dataKey.fill(0);
    }
  }

  open(vaultId: string, wrappedKey: Buffer, field: string, sealed: Buffer): PersonalRecord {
    const aad = recordAad(vaultId, field);
    const dataKey = unwrapDataKey(this.ring, wrappedKey, vaultId);
    try {
      return openRecord(dataKey, sealed, aad);
    } finally {
      dataKey.fill(0);
    }
  }

  /** True when the wrapped key is under an older master: what a rotation job selects. */
  needsRewrap(wrappedKey: Buffer): boolean {
    return masterKeyIdOf(wrappedKey) !== this.ring[0].id;
  }

  /** The same data key wrapped under the current master; the person's sealed records are untouched. */
  rewrap(vaultId: string, wrappedKey: Buffer): Buffer {
    return rewrapDataKey(this.ring, wrappedKey, vaultId);
  }
}
