/**
 * A tiny validator kit for job payloads (ids, small codes): no decorators, no class instances, so a
 * payload read back from JSON is checked field by field and unknown fields are refused.
 */
export type PayloadValidator<T> = (raw: unknown) => T;
type FieldCheck<V> = (value: unknown, field: string) => V;

export class PayloadInvalid extends Error {
  constructor(
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadInvalid';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidField: FieldCheck<string> = (value, field) => {
  if (typeof value !== 'string' || !UUID.test(value)) throw new PayloadInvalid(field, `${field} must be a UUID`);
  return value.toLowerCase();
};

export function stringField(maxLength: number): FieldCheck<string> {
  return (value, field) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
      throw new PayloadInvalid(field, `${field} must be a non-empty string of at most ${maxLength} characters`);
    }
    return value;
  };
}

export function objectPayload<T extends Record<string, unknown>>(fields: { [K in keyof T]: FieldCheck<T[K]> }): PayloadValidator<T> {
  return (raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PayloadInvalid(undefined, 'payload must be an object');
    const input = raw as Record<string, unknown>;
    const unknown = Object.keys(input).filter((k) => !Object.prototype.hasOwnProperty.call(fields, k));
    if (unknown.length > 0) throw new PayloadInvalid(unknown[0], `unknown field ${unknown.join(', ')}`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      if (!(key in input)) throw new PayloadInvalid(key, `${key} is required`);
      out[key] = fields[key](input[key], key);
    }
    return out as T;
  };
}
