import { seededRandom } from '../../../../testing/src/seeded-random';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { fastBodyCheck } from '@sillage/common';
import { checkCreateRedemptionBody } from './create-redemption.fast-check';
import { CreateRedemptionDto, VoucherCodeDto } from './redemption.dto';

/** The API's validation pipe options (apps/api/src/http/validation.pipe.ts). */
const PIPE_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

async function classValidatorAccepts(body: unknown): Promise<CreateRedemptionDto | undefined> {
  const dto = plainToInstance(CreateRedemptionDto, body, { enableImplicitConversion: false });
  const errors = await validate(dto as object, PIPE_OPTIONS);
  return errors.length === 0 ? dto : undefined;
}

const TOKEN = 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzIjoiQUItMDAwMDAxLTAxIiwidiI6MTAwMH0.c2lnbmF0dXJl';
const valid = () => ({ vouchers: [{ qrToken: TOKEN }], serviceCategoryCode: 'atelier-collectif', occurredAt: '2026-11-28T10:30:00+01:00' });

/** Values each field may take in the generated bodies: valid ones and the mistakes scanners and attackers make. */
const OCCURRED = [
  '2026-11-28T10:30:00+01:00',
  '2026-11-28T09:30:00Z',
  '2026-11-28T09:30Z',
  '2026-11-28T09:30:00.123456Z',
  '2026-11-28T09:30:00.1234567Z',
  '2026-02-30T10:00:00Z',
  '2026-13-01T10:00:00Z',
  '2026-11-28T25:00:00Z',
  '2026-11-28T10:30:00',
  '2026-11-28 10:30:00Z',
  '2026-11-28',
  '2026-W48-1T10:00:00Z',
  '2026-11-28T10:30:00,5Z',
  '',
  1_795_855_540_000,
  null,
];
const CATEGORIES = ['atelier-collectif', 'workshop', 'a', 'Atelier', 'x'.repeat(41), 'ab', 'a_b-9', ' atelier', 42, null];
const CODES = ['7KQ4-M9TX-2RWC', 'x'.repeat(40), 'x'.repeat(41), '', 12, null, undefined, ['7KQ4'], { a: 1 }];
const TOKENS = [TOKEN, 'x'.repeat(600), 'x'.repeat(601), '😀'.repeat(300), '😀'.repeat(301), '', 7, null, undefined];

function pick<T>(list: readonly T[], rnd: () => number): T {
  return list[Math.floor(rnd() * list.length)];
}

function randomVoucher(rnd: () => number): unknown {
  const r = rnd();
  if (r < 0.05) return 'AB-000001-01';
  if (r < 0.08) return null;
  if (r < 0.1) return [];
  const v: Record<string, unknown> = {};
  if (rnd() < 0.6) v.qrToken = pick(TOKENS, rnd);
  if (rnd() < 0.5) v.code = pick(CODES, rnd);
  if (rnd() < 0.05) v.serial = 'AB-000001-01';
  return v;
}

function randomBody(rnd: () => number): unknown {
  const body: Record<string, unknown> = {};
  const count = pick([0, 1, 1, 1, 2, 3, 20, 21], rnd);
  if (rnd() < 0.95) body.vouchers = rnd() < 0.05 ? 'AB-000001-01' : Array.from({ length: count }, () => randomVoucher(rnd));
  if (rnd() < 0.95) body.serviceCategoryCode = pick(CATEGORIES, rnd);
  if (rnd() < 0.95) body.occurredAt = pick(OCCURRED, rnd);
  if (rnd() < 0.05) body.siteId = 'e1c0f7d0-0000-4000-8000-000000000000';
  if (rnd() < 0.02) Object.defineProperty(body, '__proto__', { value: { polluted: true }, enumerable: true });
  return body;
}

describe('the hand-written check of a redemption body', () => {
  it('is registered with the validation pipe for CreateRedemptionDto', () => {
    expect(fastBodyCheck(CreateRedemptionDto)).toBe(checkCreateRedemptionBody);
  });

  it('accepts the scanner’s usual requests, giving what class-validator gives', async () => {
    const bodies = [
      valid(),
      { ...valid(), vouchers: [{ code: '7KQ4-M9TX-2RWC' }, { code: '7kq4 m9tx 2rwc' }] },
      { ...valid(), vouchers: [{ code: '7KQ4-M9TX-2RWC', qrToken: TOKEN }] },
      { ...valid(), occurredAt: '2026-11-28T09:30:00.5Z' },
      { ...valid(), vouchers: Array.from({ length: 20 }, () => ({ qrToken: TOKEN })) },
    ];
    for (const body of bodies) {
      const fast = checkCreateRedemptionBody(JSON.parse(JSON.stringify(body)) as Record<string, unknown>);
      expect(fast).toBeInstanceOf(CreateRedemptionDto);
      expect(fast?.vouchers[0]).toBeInstanceOf(VoucherCodeDto);
      expect(fast).toEqual(await classValidatorAccepts(JSON.parse(JSON.stringify(body))));
    }
  });

  it('never accepts a body class-validator refuses, nor answers differently (5,000 generated bodies)', async () => {
    const rnd = seededRandom(20261128);
    let acceptedByBoth = 0;
    let leftToClassValidator = 0;
    for (let i = 0; i < 5_000; i++) {
      const body = randomBody(rnd) as Record<string, unknown>;
      const fast = checkCreateRedemptionBody(body);
      const reference = await classValidatorAccepts(body);
      if (fast !== undefined) {
        expect({ body, accepted: reference !== undefined }).toEqual({ body, accepted: true });
        expect(fast).toEqual(reference);
        acceptedByBoth += 1;
      } else if (reference !== undefined) {
        leftToClassValidator += 1;
      }
    }
    // The generator reaches both sides: valid bodies taken by the fast path, invalid ones refused.
    expect(acceptedByBoth).toBeGreaterThan(50);
    expect(leftToClassValidator).toBeLessThan(acceptedByBoth);
  });
});
