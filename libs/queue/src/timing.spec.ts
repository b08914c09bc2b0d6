import { errorSummary, exponentialBackoffMs, publishRetryDelayMs, TimeoutError, withTimeout } from './timing';

describe('timing helpers', () => {
  it('follows BullMQ exponential backoff', () => {
    expect([1, 2, 3, 4].map((a) => exponentialBackoffMs(1000, a))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('caps the publish retry delay', () => {
    expect([1, 2, 3, 10, 50].map((a) => publishRetryDelayMs(a, 5000))).toEqual([500, 1000, 2000, 5000, 5000]);
  });

  it('bounds a promise that never settles, and passes results through', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20, 'Redis did not answer')).rejects.toEqual(
      new TimeoutError('Redis did not answer'),
    );
    await expect(withTimeout(Promise.resolve(42), 1000, 'x')).resolves.toBe(42);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'x')).rejects.toThrow('boom');
  });

  it('summarises errors on one bounded line', () => {
    expect(errorSummary(new Error('a\n  b'))).toBe('a b');
    expect(errorSummary(new TypeError('bad'))).toBe('TypeError: bad');
    expect(errorSummary('x'.repeat(2000)).length).toBe(1000);
  });
});
