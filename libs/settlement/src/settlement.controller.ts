import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, PageQueryDto } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { CreatePricingRuleDto, ListPricingRulesQueryDto, PricingRuleDto, PricingRulePageDto } from './pricing/dto/pricing-rule.dto';
import { PricingRulesService } from './pricing/pricing-rules.service';
import { SettlementRunDto, SettlementRunPageDto, StartSettlementRunDto } from './runs/dto/settlement-run.dto';
import { SettlementRunsService } from './runs/settlement-runs.service';
import { ListStatementsQueryDto, StatementDto, StatementPageDto } from './statements/dto/statement.dto';
import { StatementsService } from './statements/statements.service';

@ApiTags('settlement')
@ApiBearerAuth()
@Controller('v1')
export class SettlementController {
  constructor(
    private readonly rules: PricingRulesService,
    private readonly runs: SettlementRunsService,
    private readonly statements: StatementsService,
  ) {}

  @Post('pricing-rules')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Add a pricing rule version (per contract, or the default rule): rate or fixed amount, commission, validity' })
  @ApiCreatedResponse({ type: PricingRuleDto })
  @ApiProblems(400, 401, 403, 404, 422)
  createRule(@CurrentPrincipal() principal: Principal, @Body() body: CreatePricingRuleDto, @RequestId() requestId?: string) {
    return this.rules.create(principal, body, requestId);
  }

  @Get('pricing-rules')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Pricing rules, newest first' })
  @ApiOkResponse({ type: PricingRulePageDto })
  @ApiProblems(400, 401, 403)
  listRules(@Query() query: ListPricingRulesQueryDto) {
    return this.rules.list(query);
  }

  @Post('settlement-runs')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary: 'Start a settlement run for a cutoff (201), or get the run already started for it (200); it executes in the worker',
    description:
      'Takes every live redemption in no statement recorded at least 24 h before the cutoff: one statement per site. ' +
      'A cutoff in the future is refused (422 CUTOFF_IN_FUTURE); another cutoff while a run is still running gets 409 RUN_IN_PROGRESS.',
  })
  @ApiCreatedResponse({ type: SettlementRunDto })
  @ApiOkResponse({ type: SettlementRunDto, description: 'The run already started for this cutoff' })
  @ApiProblems(400, 401, 403, 409, 422)
  async startRun(
    @CurrentPrincipal() principal: Principal,
    @Body() body: StartSettlementRunDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    const { run, created } = await this.runs.start(principal, body.cutoff, requestId);
    void reply.status(created ? 201 : 200);
    return run;
  }

  @Get('settlement-runs')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Settlement runs, latest cutoff first' })
  @ApiOkResponse({ type: SettlementRunPageDto })
  @ApiProblems(400, 401, 403)
  listRuns(@Query() query: PageQueryDto) {
    return this.runs.list(query);
  }

  @Get('settlement-runs/:id')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'One settlement run: status, statements written, total' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SettlementRunDto })
  @ApiProblems(400, 401, 403, 404)
  getRun(@Param('id', ParseIdPipe) id: string) {
    return this.runs.get(id);
  }

  @Get('statements')
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Statements: the operator sees all (filter by site, run, status), a site its own' })
  @ApiOkResponse({ type: StatementPageDto })
  @ApiProblems(400, 401, 403)
  listStatements(@CurrentPrincipal() principal: Principal, @Query() query: ListStatementsQueryDto) {
    return this.statements.list(principal, query);
  }

  @Get('statements/:id')
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'One statement with its lines (per order, service category and pricing rule)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: StatementDto })
  @ApiProblems(400, 401, 403, 404)
  getStatement(@CurrentPrincipal() principal: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.statements.get(principal, id);
  }

  @Get('statements/:id/csv')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'A statement’s lines as CSV (semicolon-separated, UTF-8 with BOM)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV', schema: { type: 'string' } })
  @ApiProblems(400, 401, 403, 404)
  async statementCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { filename, body } = await this.statements.csv(principal, id);
    void reply.header('content-disposition', `attachment; filename="${filename}"`);
    return body;
  }

  @Get('statements/:id/pdf')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary: 'A statement as PDF (justificatif de remboursement): site, cutoff, lines, corrections, totals, payment status and account',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF file', schema: { type: 'string', format: 'binary' } })
  @ApiProblems(400, 401, 403, 404)
  async statementPdf(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { filename, body } = await this.statements.pdf(principal, id);
    // Set once the statement is found, so a refusal keeps its problem+json content type.
    void reply.header('content-type', 'application/pdf');
    void reply.header('content-disposition', `attachment; filename="${filename}"`);
    return body;
  }
}
