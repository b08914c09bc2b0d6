import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first configuration (19 MiB, 2 passes,
 * 1 lane): ~50–100 ms per hash on these machines, enough to make offline guessing slow and cheap
 * enough for a login.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Anything longer is refused before hashing, whatever the DTO allowed (bounded hashing cost). */
export const PASSWORD_MAX_BYTES = 1024;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password.normalize('NFC'), ARGON2_OPTIONS);
}

@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) throw new RangeError('password too long to hash');
    return hashPassword(password);
  }

  /** False for a malformed stored hash or an oversized password, never a throw. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return false;
    try {
      return await argon2.verify(storedHash, password.normalize('NFC'));
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as a real verification when there is no hash to check (unknown email,
   * invited user), so response times do not reveal which accounts exist. Always false.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= hashPassword('sillage-dummy-password-for-constant-time');
    await this.verify(await this.dummyHash, password);
    return false;
  }

  needsRehash(storedHash: string): boolean {
    try {
      return argon2.needsRehash(storedHash, ARGON2_OPTIONS);
    } catch {
      return false;
    }
  }
}
