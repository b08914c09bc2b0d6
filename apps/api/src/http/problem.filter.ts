import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '@sillage/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { statusFor } from './error-status';
import { problem, Problem, PROBLEM_CONTENT_TYPE } from './problem';

/**
 * Every error leaves as application/problem+json. Domain errors map through `statusFor`; framework
 * HTTP exceptions keep their status; anything else is a 500 logged with an error id that the client
 * sees too, and never with the request body (it may hold personal data).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toProblem(exception, request);
    body.requestId = String(request.id);
    sendProblem(reply, body);
  }

  private toProblem(exception: unknown, request: FastifyRequest): Problem {
    if (exception instanceof DomainError) {
      const domainError = exception as DomainError<string>;
      const status = statusFor(domainError);
      // `meta` becomes RFC 9457 extension members (e.g. the enrolment token of TOTP_ENROLMENT_REQUIRED).
      const p = problem(status, domainError.code, domainError.message, {
        ...domainError.options.meta,
        field: domainError.options.field,
        errors: domainError.options.errors,
      });
      if (domainError.options.retryAfterSeconds !== undefined) {
        (p as Problem & { retryAfterSeconds?: number }).retryAfterSeconds = domainError.options.retryAfterSeconds;
      }
      if (status === 500) return this.internal(domainError, request);
      return p;
    }
    const fastifyProblem = fromFastifyError(exception);
    if (fastifyProblem) return fastifyProblem;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return problem(404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
      if (status >= 500) return this.internal(exception, request);
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const detail = typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : exception.message;
      return problem(status, status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'VALIDATION_FAILED', detail);
    }
    return this.internal(exception, request);
  }

  private internal(exception: unknown, request: FastifyRequest): Problem {
    const errorId = randomUUID();
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error({
      errorId,
      requestId: request.id,
      method: request.method,
      route: request.routeOptions?.url,
      err: { name: err.name, message: err.message, stack: err.stack },
    });
    return problem(500, 'INTERNAL', `unexpected error; quote error id ${errorId} to support`, { errorId });
  }
}

export function sendProblem(reply: FastifyReply, body: Problem): void {
  const retry = (body as Problem & { retryAfterSeconds?: number }).retryAfterSeconds;
  if (retry !== undefined) void reply.header('Retry-After', String(Math.max(1, Math.ceil(retry))));
  void reply.status(body.status).header('Content-Type', PROBLEM_CONTENT_TYPE).header('Cache-Control', 'no-store').send(body);
}

/** Errors Fastify raises itself before a handler runs: body parsing, size limits, media types. */
export function fromFastifyError(exception: unknown): Problem | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const code = (exception as { code?: unknown }).code;
  const statusCode = (exception as { statusCode?: unknown }).statusCode;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413) {
    return problem(413, 'PAYLOAD_TOO_LARGE', 'request body is larger than the limit', { field: 'body' });
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || statusCode === 415) {
    return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json', { field: 'body' });
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return problem(400, 'MALFORMED_JSON', 'the JSON body is empty', { field: 'body' });
  }
  if (
    code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ||
    (exception instanceof SyntaxError && statusCode === 400)
  ) {
    return problem(400, 'MALFORMED_JSON', 'the body is not valid JSON', { field: 'body' });
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && typeof code === 'string' && code.startsWith('FST_')) {
    return problem(statusCode, 'VALIDATION_FAILED', (exception as Error).message);
  }
  return undefined;
}
