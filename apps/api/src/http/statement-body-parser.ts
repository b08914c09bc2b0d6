import { errorCodes, FastifyInstance } from 'fastify';
import { BANK_STATEMENT_MEDIA_TYPES, BANK_STATEMENTS_ROUTE, MAX_STATEMENT_BYTES } from '@sillage/settlement';

/**
 * Bank statement files (`application/xml`, `text/xml`, `text/csv`) as raw bytes, up to 20 MB, for
 * `POST /v1/bank-statements` only: every other route still speaks JSON, so these media types get 415
 * there before a byte of the body is read. The bytes stay raw because the import fingerprints them.
 */
export function registerStatementBodyParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(Object.keys(BANK_STATEMENT_MEDIA_TYPES), (request, payload, done) => {
    if (request.method !== 'POST' || request.routeOptions.url !== BANK_STATEMENTS_ROUTE) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type'])), undefined);
      return;
    }
    if (Number(request.headers['content-length']) > MAX_STATEMENT_BYTES) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (error: Error | null, body?: Buffer): void => {
      if (finished) return;
      finished = true;
      payload.removeAllListeners('data');
      done(error, body);
    };
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_STATEMENT_BYTES) finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      else chunks.push(chunk);
    });
    payload.on('end', () => finish(null, Buffer.concat(chunks)));
    payload.on('error', (error) => finish(error));
  });
}
