import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems, PageQueryDto } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { SettlementError } from '../settlement.errors';
import { BankStatementFormat } from './bank-statement-import.entity';
import { BankStatementImporter } from './bank-statement-importer';
import { BankStatementsService } from './bank-statements.service';
import {
  BankStatementEntryPageDto,
  BankStatementImportDetailDto,
  BankStatementImportPageDto,
  ListBankStatementEntriesQueryDto,
} from './dto/bank-statement.dto';

/** The media types of a statement file, and the format each one is read as. */
export const BANK_STATEMENT_MEDIA_TYPES: Readonly<Record<string, BankStatementFormat>> = {
  'application/xml': 'camt053',
  'text/xml': 'camt053',
  'text/csv': 'csv',
};

/** The route whose body may be a statement file (the body parser refuses these media types anywhere else). */
export const BANK_STATEMENTS_ROUTE = '/v1/bank-statements';

@ApiTags('settlement')
@ApiBearerAuth()
@Controller('v1')
export class BankStatementsController {
  constructor(
    private readonly importer: BankStatementImporter,
    private readonly statements: BankStatementsService,
  ) {}

  @Post('bank-statements')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary: 'Import a bank statement (camt.053.001.08 XML or the bank’s CSV export) and reconcile it with the payouts',
    description:
      'The body is the file itself (application/xml or text/csv, at most 20 MB). 201: a new import, its transactions and their ' +
      'outcomes; 200: this very file was imported before, nothing changed. A refused file writes nothing: 400 ' +
      'BANK_STATEMENT_MALFORMED / BANK_STATEMENT_EMPTY, 415 for another media type, 422 BANK_STATEMENT_INVALID (`reason` gives the ' +
      'parser’s code, e.g. WRONG_CURRENCY, NOT_CAMT053).',
  })
  @ApiConsumes('application/xml', 'text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: BankStatementImportDetailDto })
  @ApiOkResponse({ type: BankStatementImportDetailDto, description: 'The same file, imported before: unchanged' })
  @ApiProblems(400, 401, 403, 413, 415, 422)
  async import(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    const mediaType = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const format = Object.hasOwn(BANK_STATEMENT_MEDIA_TYPES, mediaType) ? BANK_STATEMENT_MEDIA_TYPES[mediaType] : undefined;
    const body: unknown = request.body;
    if (!format) {
      throw new SettlementError('UNSUPPORTED_STATEMENT_TYPE', 'send the statement file as application/xml (camt.053) or text/csv');
    }
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const { created, statement } = await this.importer.import(principal, raw, format, requestId);
    void reply.status(created ? 201 : 200);
    return statement;
  }

  @Get('bank-statements')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Imported bank statements, newest first, with their outcome counts' })
  @ApiOkResponse({ type: BankStatementImportPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() query: PageQueryDto) {
    return this.statements.list(query);
  }

  @Get('bank-statements/entries')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary: 'Imported transactions across imports, newest first: by default those left for review (unmatched, amount_mismatch, conflict)',
  })
  @ApiOkResponse({ type: BankStatementEntryPageDto })
  @ApiProblems(400, 401, 403)
  entries(@Query() query: ListBankStatementEntriesQueryDto) {
    return this.statements.entries(query);
  }

  @Get('bank-statements/:id')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'One import: every transaction in file order, its outcome and the payout it names' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BankStatementImportDetailDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', ParseIdPipe) id: string) {
    return this.statements.get(id);
  }
}
