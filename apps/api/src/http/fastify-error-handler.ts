import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { fromFastifyError, sendProblem } from './problem.filter';
import { problem } from './problem';

/**
 * Errors raised by Fastify itself (body parsing, size limit, media type, plugin hooks) never reach
 * a route's exception filter. Nest installs a handler during init that turns them into bare
 * HttpExceptions and loses their codes; this one, installed after init, answers problem+json with
 * a precise code instead (413 PAYLOAD_TOO_LARGE, 400 MALFORMED_JSON, 415 …).
 */
@Injectable()
export class FastifyErrorHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger('FastifyErrorHandler');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.setErrorHandler((error, request, reply) => {
      const body = fromFastifyError(error) ?? problem(500, 'INTERNAL', 'unexpected error');
      body.requestId = String(request.id);
      if (body.status >= 500)
        this.logger.error({ requestId: request.id, err: { name: (error as Error).name, message: (error as Error).message } });
      sendProblem(reply, body);
    });
  }
}
