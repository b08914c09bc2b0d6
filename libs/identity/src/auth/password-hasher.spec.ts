import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id at the configured parameters and verifies', async () => {
    const h = await hasher.hash('Correct-horse-7-battery');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(hasher.verify(h, 'Correct-horse-7-battery')).resolves.toBe(true);
    await expect(hasher.verify(h, 'correct-horse-7-battery')).resolves.toBe(false);
  });

  it('treats NFC and NFD spellings of a password as the same password', async () => {
    const h = await hasher.hash('Élodie-2024-pass');
    await expect(hasher.verify(h, 'E\u0301lodie-2024-pass')).resolves.toBe(true);
  });

  it('answers false, never throws, for a malformed hash or an oversized password', async () => {
    await expect(hasher.verify('not-a-hash', 'x')).resolves.toBe(false);
    const h = await hasher.hash('Correct-horse-7-battery');
    await expect(hasher.verify(h, 'x'.repeat(2000))).resolves.toBe(false);
    expect(() => hasher.hash('x'.repeat(2000))).toThrow(RangeError);
  });

  it('asks for a rehash when the algorithm or a parameter differs from today’s', async () => {
    const today = await hasher.hash('Correct-horse-7-battery');
    expect(hasher.needsRehash(today)).toBe(false);
    // A hash made by the `argon2` package's defaults (64 MiB, 3 passes, 4 lanes) still verifies…
    const older = '$argon2id$v=19$m=65536,p=4,t=3$xUloZryBGQzy4/4hj7sj/g$GdKPhyHMimxsHoNOMwd6pHWtd8LDazQgiRsFVRNq5zA';
    await expect(hasher.verify(older, 'x')).resolves.toBe(true);
    // …and is due for an upgrade, whatever the order of its parameters.
    expect(hasher.needsRehash(older)).toBe(true);
    expect(hasher.needsRehash(older.replace('m=65536,p=4,t=3', 'm=65536,t=3,p=4'))).toBe(true);
    expect(hasher.needsRehash(today.replace('m=19456,t=2,p=1', 'm=19456,p=1,t=2'))).toBe(false);
    expect(hasher.needsRehash(today.replace('$argon2id$', '$argon2i$'))).toBe(true);
    expect(hasher.needsRehash('garbage')).toBe(false);
  });
});
