import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first configuration (19 MiB, 2 passes,
 * 1 lane): ~50–100 ms per hash on these machines, enough to make offline guessing slow and cheap
 * enough for a login. `@node-rs/argon2` ships prebuilt binaries per platform in registry packages
 * (the `argon2` package's prebuilt Linux binary crashed on these machines unless compiled locally).
 */
export const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Anything longer is refused before hashing, whatever the DTO allowed (bounded hashing cost). */
export const PASSWORD_MAX_BYTES = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), ARGON2_OPTIONS);
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
      return await verify(storedHash, password.normalize('NFC'));
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

  /** True when a PHC string was made with another algorithm or other parameters than today's. */
  needsRehash(storedHash: string): boolean {
    const m = /^\$(argon2(?:id|i|d))\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/.exec(storedHash);
    if (!m) return false;
    const [, algorithm, version, paramList] = m;
    // Parameters in any order: the `argon2` package wrote m,p,t where the PHC format says m,t,p.
    const params = Object.fromEntries(paramList.split(',').map((kv) => kv.split('='))) as Record<string, string>;
    return (
      algorithm !== 'argon2id' ||
      version !== '19' ||
      Number(params.m) !== ARGON2_OPTIONS.memoryCost ||
      Number(params.t) !== ARGON2_OPTIONS.timeCost ||
      Number(params.p) !== ARGON2_OPTIONS.parallelism
    );
  }
}
