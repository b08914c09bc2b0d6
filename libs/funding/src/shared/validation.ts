import { applyDecorators } from '@nestjs/common';
import { buildMessage, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidationOptions } from 'class-validator';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-30 is refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && Number(m[1]) >= 1900;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: isCalendarDate,
        defaultMessage: buildMessage((each) => `${each}$property must be a real calendar date written YYYY-MM-DD`, options),
      },
    },
    options,
  );
}

/** A positive amount in integer cents that JSON carries exactly (a safe integer). */
export const AmountCents = (): PropertyDecorator => applyDecorators(IsInt(), Min(1), Max(Number.MAX_SAFE_INTEGER));

/** A rate in basis points, 0..10000. */
export const RateBp = (): PropertyDecorator => applyDecorators(IsInt(), Min(0), Max(10000));

/** Free text: a non-empty string without control characters, at most `max` characters. */
export const Text = (max: number): PropertyDecorator =>
  applyDecorators(
    IsString(),
    IsNotEmpty(),
    MaxLength(max),
    // eslint-disable-next-line no-control-regex
    Matches(/^[^\u0000-\u001f\u007f]*$/, { message: '$property must not contain control characters' }),
  );

/** bigint columns arrive from pg as strings; amounts stay below 2^53 by validation. */
export const cents = (v: string | number): number => Number(v);
export const centsOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Audit facts without the absent ones (the catalogue marks them optional). */
export function presentFacts(
  facts: Record<string, string | number | boolean | null | undefined>,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(facts)) if (v !== undefined) out[k] = v;
  return out;
}
