import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@sillage/config';
import { AccessTokenService, AUDIENCES } from '@sillage/identity';
import { BullQueues } from '@sillage/queue';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../http/problem.filter';
import { problem } from '../http/problem';

export const QUEUES_BOARD_PATH = '/admin/queues';
export const QUEUES_COOKIE = 'sillage_queues';
export const QUEUES_SESSION_TTL_SECONDS = 15 * 60;

interface BoardClaims {
  kinds?: unknown;
  role?: unknown;
}

function isOperatorAdmin(kinds: unknown, role: unknown): boolean {
  return Array.isArray(kinds) && kinds.includes('operator') && role === 'admin';
}

/**
 * Who may see the board: an operator admin, by the short-lived `sillage_queues` cookie (browsers
 * cannot send a bearer header when navigating) or by a bearer access token. Everyone else gets a
 * 404, as for any route that is not theirs to know about.
 */
function mayOpenBoard(request: FastifyRequest, tokens: AccessTokenService): boolean {
  const cookie = request.cookies?.[QUEUES_COOKIE];
  if (cookie) {
    try {
      const claims = tokens.verifyFor<BoardClaims>(cookie, AUDIENCES.queuesBoard);
      if (isOperatorAdmin(claims.kinds, claims.role)) return true;
    } catch {
      // expired or forged: try the bearer token
    }
  }
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
  if (bearer) {
    try {
      const principal = tokens.verify(bearer);
      return isOperatorAdmin(principal.organisationKinds, principal.role);
    } catch {
      return false;
    }
  }
  return false;
}

function notFound(request: FastifyRequest, reply: FastifyReply, detail: string): void {
  const body = problem(404, 'ROUTE_NOT_FOUND', detail);
  body.requestId = String(request.id);
  sendProblem(reply, body);
}

/**
 * Bull Board at /admin/queues when Redis is configured, behind the operator-admin check above. In
 * embedded mode (jobs run in-process) the path answers a problem saying so.
 */
export async function mountQueuesBoard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const queues = app.get(BullQueues);
  if (config.redis.mode !== 'redis' || !queues.enabled) {
    const inProcess = (request: FastifyRequest, reply: FastifyReply) =>
      notFound(
        request,
        reply,
        'jobs run in-process (REDIS_URL is not set), so there is no queue board; operators list failed jobs with GET /v1/admin/jobs/failed',
      );
    fastify.all(QUEUES_BOARD_PATH, inProcess);
    fastify.all(`${QUEUES_BOARD_PATH}/*`, inProcess);
    return;
  }
  const tokens = app.get(AccessTokenService);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({
    queues: queues.all().map((q) => new BullMQAdapter(q)),
    // @bull-board/fastify 9.10.1 declares its own copy of @bull-board/api 9.10.1 types; same runtime shape.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Sillage jobs' } },
  });
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (!mayOpenBoard(request, tokens)) {
        notFound(request, reply, `no route ${request.method} ${request.url.split('?')[0]}`);
        return reply;
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUES_BOARD_PATH });
  });
}
