import { createParamDecorator, ExecutionContext, PipeTransform } from '@nestjs/common';
import type { AuditActor } from '@sillage/audit';
import { CommonError, decodeCursor, KeysetCursor } from '@sillage/common';
import { Matches, ValidateIf } from 'class-validator';
import { Principal } from '../access/principal';
import { IdentityError } from '../identity.errors';

/**
 * Small pieces shared by the directory controllers, services and repositories (organisations,
 * partnerships, service categories, users, API keys).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * Path ids. A malformed id names nothing anyone may see, so it answers exactly like a well-formed
 * id outside the caller's scope: 404 NOT_FOUND (with `field` naming the path parameter). PostgreSQL
 * never sees it, so it cannot turn into a 500 (`invalid input syntax for type uuid`).
 * Use as `@Param('id', new ParseIdPipe('user'))`.
 */
export class ParseIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly subject = 'resource') {}

  transform(value: unknown): string {
    if (!isUuid(value)) throw new IdentityError('NOT_FOUND', `${this.subject} not found`, { field: 'id' });
    return value.toLowerCase();
  }
}

/** Optional in a PATCH body: absent is fine, but an explicit `null` is validated (and refused). */
export const IfPresent = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);

/**
 * Free text without control characters: PostgreSQL refuses NUL in text (which would surface as a
 * 500), and line breaks or escapes have no place in names and labels.
 */
export const NoControlCharacters = (): PropertyDecorator =>
  // eslint-disable-next-line no-control-regex
  Matches(/^[^\u0000-\u001f\u007f]*$/, { message: '$property must not contain control characters' });

/** The request id Fastify assigned (or the client sent as X-Request-Id), for audit events. */
export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const id = ctx.switchToHttp().getRequest<{ id?: unknown }>().id;
  return typeof id === 'string' ? id : undefined;
});

/** Pseudonymous audit actor for the caller: ids only. */
export function actorOf(principal: Principal): AuditActor {
  return { type: principal.type, id: principal.id, organisationId: principal.organisationId };
}

const MICROS_ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{6}Z$/;

/**
 * A cursor over `(created_at, id)`. The key is the timestamp with microseconds, as PostgreSQL stores
 * it (a JavaScript Date would round to milliseconds and skip or repeat rows). Anything that does not
 * look like a cursor this API returned is refused before it reaches SQL.
 */
export function decodeTimeCursor(raw: string | undefined): KeysetCursor | undefined {
  const c = decodeCursor(raw);
  if (!c) return undefined;
  const m = MICROS_ISO.exec(c.k);
  const parsed = m ? new Date(`${m[1]}Z`) : undefined;
  // Year 0000 is a JavaScript date but not a PostgreSQL one: refused like any date the API never wrote.
  if (
    !m ||
    !parsed ||
    Number.isNaN(parsed.getTime()) ||
    parsed.getUTCFullYear() < 1 ||
    parsed.toISOString().slice(0, 19) !== m[1] ||
    !isUuid(c.id)
  ) {
    throw new CommonError('INVALID_CURSOR', 'cursor is not a cursor returned by this API', { field: 'cursor' });
  }
  return c;
}

/** SQL fragment formatting a timestamptz column as a cursor key (UTC, microseconds). */
export function cursorKeySql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** True when `error` is PostgreSQL's unique violation (23505) on the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return isPgError(error, '23505', constraint);
}

/** True when `error` is a CHECK constraint violation (23514) of the named constraint. */
export function isCheckViolation(error: unknown, constraint: string): boolean {
  return isPgError(error, '23514', constraint);
}

function isPgError(error: unknown, sqlState: string, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown; driverError?: { code?: unknown; constraint?: unknown } };
  const code = e.driverError?.code ?? e.code;
  const name = e.driverError?.constraint ?? e.constraint;
  return code === sqlState && name === constraint;
}
