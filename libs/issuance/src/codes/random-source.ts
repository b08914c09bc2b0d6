import { randomBytes } from 'node:crypto';

/**
 * A source of uniformly random bytes. Production uses the operating system's CSPRNG
 * (`crypto.randomBytes`); tests inject a deterministic or deliberately repeating source.
 */
export type RandomSource = (size: number) => Buffer;

export const cryptoRandom: RandomSource = (size) => randomBytes(size);

const POOL_BYTES = 64 * 1024;

/**
 * The same CSPRNG, read 64 KiB at a time: issuing a million codes calls the OS once per ~4,000 codes
 * instead of once per code (`randomBytes` has a fixed cost per call). Bytes are handed out once each.
 */
export function pooledCryptoRandom(): RandomSource {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return (size) => {
    if (size > POOL_BYTES) return randomBytes(size);
    if (offset + size > pool.length) {
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    const out = pool.subarray(offset, offset + size);
    offset += size;
    return out;
  };
}
