import { ReportingLoop } from '@sillage/reporting';
import fastifyCookie from '@fastify/cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { AuditSealLoop } from '@sillage/audit';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig, nestLogger } from '@sillage/config';
import { FastifyReply, FastifyRequest, LogController } from 'fastify';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { problem } from './http/problem';
import { fromFastifyError, sendProblem } from './http/problem.filter';
import { registerStatementBodyParser } from './http/statement-body-parser';
import { serveWebApp } from './http/web-app';
import { METRICS, Metrics } from './metrics/metrics';
import { buildOpenApi } from './openapi/openapi';
import { mountQueuesBoard } from './queues/queues-board';

/**
 * Builds the HTTP application (not yet listening): used by `main.ts`, the e2e tests and the
 * benchmark, so all three run exactly the same stack.
 */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // pino JSON logs. Default serializers log method, url and status only: never headers (tokens,
    // cookies) nor bodies (personal data, voucher codes).
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    // Errors of Fastify's router (a broken percent-encoding, an over-long parameter) happen before
    // any hook: answer them as problems too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const body = fromFastifyError(error) ?? problem(400, 'VALIDATION_FAILED', 'the request URL is malformed', { field: 'url' });
      body.requestId = String(request.id);
      sendProblem(reply, body);
    },
  });
  // Fastify's own errors (body parsing, size limit, media type) are answered by FastifyErrorHandler
  // with precise problem codes; Nest's generic handler would only be overridden, with a warning.
  adapter.setErrorHandler = () => adapter.getInstance();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: nestLogger(config),
    bufferLogs: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // With Redis there is a worker: it seals the audit log, the API keeps its event loop for requests.
  if (config.redis.mode === 'redis') {
    app.get(AuditSealLoop).leaveToWorker();
    app.get(ReportingLoop).leaveToWorker();
  }
  // The API speaks JSON only: a text/plain body is an unsupported media type (415), not a string.
  fastify.removeContentTypeParser('text/plain');
  // Bank statement files, raw, for their import route only.
  registerStatementBodyParser(fastify);

  const securityHeaders = helmetHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(securityHeaders);
    done();
  });
  await app.register(fastifyCookie);
  await serveWebApp(app, config.http.webDir);
  app.enableCors({ origin: config.http.corsOrigins.length > 0 ? config.http.corsOrigins : false, credentials: true });

  // Once the process is stopping, each answer closes its connection: a client's keep-alive connection
  // would otherwise hold the stop until Fastify's keep-alive timeout (72 s) had passed.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (closing) void reply.header('connection', 'close');
  });
  const metrics = app.get<Metrics>(METRICS);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // Bull Board at /admin/queues (operator admins; a problem explaining in-process jobs without Redis).
  await mountQueuesBoard(app, config);

  SwaggerModule.setup('docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'docs/openapi.json' });
  app.enableShutdownHooks();
  return app;
}

/**
 * helmet's security headers, computed once: they are the same for every response, and
 * @fastify/helmet rebuilt helmet's middleware (parsing the CSP directives) on every request.
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet({
    // Swagger UI at /docs needs inline scripts and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // 'wasm-unsafe-eval': the scanner's QR reader is WebAssembly (compiling it is not eval of JS).
        scriptSrc: ["'self'", "'unsafe-inline'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  })({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}
