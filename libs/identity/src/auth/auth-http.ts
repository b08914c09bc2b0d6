import { CommonError } from '@sillage/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AuthRequestContext } from './auth-context';
import { RefreshTokenDelivery } from './dto/refresh-token-delivery';
import { TokenResponseDto } from './dto/token-response.dto';
import { Session } from './session.service';

/** HTTP details of the auth routes, kept out of the services. */
export const REFRESH_COOKIE = 'sillage_refresh';
/** The cookie is only ever sent to the auth routes (refresh, logout), never to business routes. */
export const REFRESH_COOKIE_PATH = '/v1/auth';

export function requestContext(req: FastifyRequest): AuthRequestContext {
  return { ip: req.ip, requestId: String(req.id) };
}

export function bearerOf(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  return /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1];
}

export function refreshCookieOf(req: FastifyRequest): string | undefined {
  const value = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[REFRESH_COOKIE];
  return value === '' ? undefined : value;
}

/**
 * Answers a new session: the refresh token goes in the HttpOnly cookie (browsers) or in the body
 * (devices, scripts), never both. Token responses must not be cached (RFC 6749 §5.1).
 */
export function deliverSession(
  reply: FastifyReply,
  session: Session,
  delivery: RefreshTokenDelivery,
  cookieSecure: boolean,
): TokenResponseDto {
  void reply.header('Cache-Control', 'no-store');
  const body: TokenResponseDto = { accessToken: session.accessToken, tokenType: 'Bearer', expiresIn: session.expiresIn };
  if (delivery === 'body') {
    body.refreshToken = session.refreshToken;
  } else {
    void reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      secure: cookieSecure,
      sameSite: 'strict',
      path: REFRESH_COOKIE_PATH,
      maxAge: session.refreshTtlSeconds,
    });
  }
  return body;
}

export function clearRefreshCookie(reply: FastifyReply, cookieSecure: boolean): void {
  void reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure: cookieSecure, sameSite: 'strict', path: REFRESH_COOKIE_PATH });
}

/** Routes without a body DTO still refuse fields they do not accept. */
export function assertEmptyBody(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new CommonError('VALIDATION_FAILED', 'the body must be an empty JSON object or absent', { field: 'body' });
  }
  const field = Object.keys(body)[0];
  if (field !== undefined) {
    const message = `${field} is not an accepted field`;
    throw new CommonError('VALIDATION_FAILED', message, { field, errors: [{ field, code: 'whitelistValidation', message }] });
  }
}
