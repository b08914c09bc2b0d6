import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { CreditNoteFile, CreditNotesService } from './credit-notes.service';
import { CreditNoteDetailDto, CreditNotePageDto, ListCreditNotesQueryDto } from './dto/credit-note.dto';

const CREDIT_NOTE_ID = new ParseIdPipe('credit note');
const READERS = { kinds: ['operator', 'funder'], roles: ['admin', 'finance'] } as const;

@ApiTags('settlement')
@ApiBearerAuth()
@Controller('v1/credit-notes')
export class CreditNotesController {
  constructor(private readonly notes: CreditNotesService) {}

  @Get()
  @Allow({ kinds: [...READERS.kinds], roles: [...READERS.roles] })
  @ApiOperation({ summary: 'Expiry credit notes: all for the operator, its own for a funder; filter by order' })
  @ApiOkResponse({ type: CreditNotePageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListCreditNotesQueryDto) {
    return this.notes.list(principal, query);
  }

  @Get(':id')
  @Allow({ kinds: [...READERS.kinds], roles: [...READERS.roles] })
  @ApiOperation({ summary: 'One credit note: unused face value, accepted incidents deducted or invoiced, amount credited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CreditNoteDetailDto })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', CREDIT_NOTE_ID) id: string) {
    return this.notes.get(principal, id);
  }

  @Get(':id/pdf')
  @Allow({ kinds: [...READERS.kinds], roles: [...READERS.roles] })
  @ApiOperation({ summary: 'The credit note as PDF (French, with legal mentions), referring to the invoice it credits; audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF file' })
  @ApiProblems(400, 401, 403, 404)
  async pdf(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CREDIT_NOTE_ID) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    return send(reply, await this.notes.file(principal, id, 'pdf', requestId));
  }

  @Get(':id/xml')
  @Allow({ kinds: [...READERS.kinds], roles: [...READERS.roles] })
  @ApiOperation({ summary: 'The structured e-invoice: UBL 2.1 CreditNote (type 381, EN 16931) referring to the invoice; audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'UBL 2.1 CreditNote XML' })
  @ApiProblems(400, 401, 403, 404)
  async xml(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CREDIT_NOTE_ID) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    return send(reply, await this.notes.file(principal, id, 'xml', requestId));
  }
}

function send(reply: FastifyReply, file: CreditNoteFile): Buffer | string {
  void reply.header('Content-Type', file.contentType);
  void reply.header('Content-Disposition', `attachment; filename="${file.filename}"`);
  void reply.header('Cache-Control', 'private, no-store');
  return file.body;
}
