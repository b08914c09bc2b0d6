import { randomBytes } from 'node:crypto';

/**
 * A source of uniformly random bytes. Production uses the operating system's CSPRNG
 * (`crypto.randomBytes`); tests inject a deterministic or deliberately repeating source.
 */
export type RandomSource = (size: number) => Buffer;

export const cryptoRandom: RandomSource = (size) => randomBytes(size);
