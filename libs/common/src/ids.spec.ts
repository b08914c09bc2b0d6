import { isUUID } from 'class-validator';
import { uuidV7, uuidV7Time } from './ids';

describe('time-ordered ids (uuidV7)', () => {
  it('is an RFC 9562 version 7 UUID holding the millisecond it was made at', () => {
    const at = Date.UTC(2026, 10, 29, 11, 42, 7, 123);
    const id = uuidV7(new Date(at));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.slice(0, 13)).toBe('01a2271c-c713'); // 2026-11-29T11:42:07.123Z in ms, hexadecimal
    expect(uuidV7Time(id)).toBe(at);
    // The validation the API applies to ids in paths and bodies accepts it.
    expect(isUUID(id, 'all')).toBe(true);
  });

  it('sorts by time, as text and as PostgreSQL compares uuids (byte order)', () => {
    const base = Date.UTC(2026, 0, 1);
    const ids = [base + 86_400_000, base, base + 1, base + 255, base + 256, base + 65_536].map((ms) => uuidV7(ms));
    const byTime = [...ids].sort((a, b) => uuidV7Time(a)! - uuidV7Time(b)!);
    expect([...ids].sort()).toEqual(byTime);
  });

  it('keeps 74 random bits: ids of the same millisecond differ', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidV7(1_800_000_000_000)));
    expect(ids.size).toBe(10_000);
  });

  it('refuses a time it cannot hold', () => {
    expect(() => uuidV7(-1)).toThrow(RangeError);
    expect(() => uuidV7(2 ** 48)).toThrow('cannot hold');
    expect(() => uuidV7(new Date(Number.NaN))).toThrow(RangeError);
    expect(uuidV7(2 ** 48 - 1).slice(0, 13)).toBe('ffffffff-ffff');
    expect(uuidV7(0).slice(0, 13)).toBe('00000000-0000');
  });

  it('reads no time from other UUIDs', () => {
    expect(uuidV7Time('9b2f7c1e-4d3a-4f6b-8a2c-1e5d7f9a0b3c')).toBeUndefined();
    expect(uuidV7Time('not a uuid')).toBeUndefined();
  });
});
