import { randomBytes } from 'node:crypto';
import { AES_KEY_BYTES, keyIdOf, OVERHEAD_BYTES, openBytes, sealBytes } from './envelope';
import { VaultError } from './vault.errors';

/**
 * Envelope encryption: each person's record is sealed under their own random data key, and only
 * the data key is encrypted ("wrapped") under a master key from configuration. Erasing a person
 * deletes their wrapped key (crypto-shredding); rotating a master key re-wraps 62-byte keys and
 * never touches the sealed records.
 */

/** A master key from configuration: a one-byte id (written in every wrapped key) and 32 bytes. */
export interface MasterKey {
  id: number;
  key: Buffer;
}

/** Length of a wrapped data key: header + IV + 32-byte key + tag. */
export const WRAPPED_DATA_KEY_BYTES = OVERHEAD_BYTES + AES_KEY_BYTES;

// Domain separation: a wrapped key is bound to its person, and cannot pass for any other blob kind.
const WRAP_AAD = (vaultId: string): string => `sillage:vault:data-key:${vaultId}`;

function checkMasterKey(master: MasterKey): void {
  if (!Number.isInteger(master.id) || master.id < 0 || master.id > 255) throw new RangeError('a master key id is a byte (0-255)');
  if (master.key.length !== AES_KEY_BYTES) throw new RangeError('a master key has 32 bytes (AES-256)');
}

/** A ring is the current master key first, then older ones not yet retired; ids are distinct. */
export function checkMasterKeyRing(ring: readonly MasterKey[]): void {
  if (ring.length === 0) throw new RangeError('the master key ring holds at least the current key');
  ring.forEach(checkMasterKey);
  // Two keys under one id would make "the key this blob names" ambiguous.
  if (new Set(ring.map((m) => m.id)).size !== ring.length) throw new RangeError('master key ids are distinct');
}

function checkDataKey(dataKey: Buffer): void {
  if (dataKey.length !== AES_KEY_BYTES) throw new RangeError('a data key has 32 bytes (AES-256)');
}

function checkVaultId(vaultId: string): void {
  if (vaultId.length === 0) throw new RangeError('a vault id is not empty');
}

/** A fresh per-person key: 32 bytes from the CSPRNG. */
export function generateDataKey(): Buffer {
  return randomBytes(AES_KEY_BYTES);
}

/** The data key encrypted under `master`, bound to `vaultId` (moved to another person, it fails). */
export function wrapDataKey(master: MasterKey, dataKey: Buffer, vaultId: string): Buffer {
  checkMasterKey(master);
  checkDataKey(dataKey);
  checkVaultId(vaultId);
  return sealBytes(master.id, master.key, dataKey, WRAP_AAD(vaultId));
}

/** The master key id a wrapped key was made under, e.g. to find keys still to re-wrap. */
export function masterKeyIdOf(wrapped: Buffer): number {
  if (wrapped.length !== WRAPPED_DATA_KEY_BYTES) throw new VaultError('MALFORMED');
  return keyIdOf(wrapped);
}

/** The data key back, with whichever master of the ring the wrapped key names. Throws `VaultError`. */
export function unwrapDataKey(ring: readonly MasterKey[], wrapped: Buffer, vaultId: string): Buffer {
  checkMasterKeyRing(ring);
  checkVaultId(vaultId);
  const id = masterKeyIdOf(wrapped);
  const master = ring.find((m) => m.id === id);
  if (!master) throw new VaultError('UNKNOWN_MASTER_KEY');
  return openBytes(wrapped, master.key, WRAP_AAD(vaultId));
}

/** Master-key rotation: unwrap with the master the key names, wrap again under the current (first) one. */
export function rewrapDataKey(ring: readonly MasterKey[], wrapped: Buffer, vaultId: string): Buffer {
  const dataKey = unwrapDataKey(ring, wrapped, vaultId);
  try {
    return wrapDataKey(ring[0], dataKey, vaultId);
  } finally {
    dataKey.fill(0); // best effort: the plaintext key does not outlive the call
  }
}
