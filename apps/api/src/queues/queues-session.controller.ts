import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLog } from '@sillage/audit';
import { CommonError } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { AccessTokenService, Allow, AUDIENCES, CurrentPrincipal, Principal } from '@sillage/identity';
import { FastifyReply, FastifyRequest } from 'fastify';
import { QueuesSessionDto } from './dto/queues-session.dto';
import { QUEUES_BOARD_PATH, QUEUES_COOKIE, QUEUES_SESSION_TTL_SECONDS } from './queues-board';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
export class QueuesSessionController {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('queues-session')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({
    summary: 'Open the queue board (Bull Board) in this browser',
    description: `Sets a 15-minute HttpOnly cookie \`${QUEUES_COOKIE}\` scoped to ${QUEUES_BOARD_PATH}. Only when Redis is configured.`,
  })
  @ApiOkResponse({ type: QueuesSessionDto })
  async open(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<QueuesSessionDto> {
    if (this.config.redis.mode !== 'redis') {
      throw new CommonError(
        'NOT_FOUND',
        'jobs run in-process (REDIS_URL is not set), so there is no queue board; see GET /v1/admin/jobs/failed',
      );
    }
    const token = this.tokens.sign(
      { sub: principal.id, org: principal.organisationId, kinds: principal.organisationKinds, role: principal.role },
      AUDIENCES.queuesBoard,
      QUEUES_SESSION_TTL_SECONDS,
    );
    await this.transactions.run((tx) =>
      this.audit.append(tx, {
        action: 'admin.queues_board_opened',
        actor: { type: principal.type, id: principal.id, organisationId: principal.organisationId },
        subject: { type: 'queues_board' },
        requestId: String(request.id),
      }),
    );
    void reply.setCookie(QUEUES_COOKIE, token, {
      httpOnly: true,
      secure: this.config.auth.cookieSecure,
      sameSite: 'strict',
      path: QUEUES_BOARD_PATH,
      maxAge: QUEUES_SESSION_TTL_SECONDS,
    });
    return { boardPath: QUEUES_BOARD_PATH, expiresAt: new Date(Date.now() + QUEUES_SESSION_TTL_SECONDS * 1000).toISOString() };
  }
}
