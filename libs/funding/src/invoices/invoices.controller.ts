import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { InvoiceDetailDto, InvoicePageDto, ListInvoicesQueryDto } from './dto/invoice.dto';
import { InvoiceFile, InvoicesService } from './invoices.service';

const INVOICE_ID = new ParseIdPipe('invoice');

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'Invoices and credit notes: all for the operator, its own for a funder; filters by order, kind, year' })
  @ApiOkResponse({ type: InvoicePageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListInvoicesQueryDto) {
    return this.invoices.list(principal, query);
  }

  @Get(':id')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'An invoice or credit note with its whole document as issued' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: InvoiceDetailDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', INVOICE_ID) id: string) {
    return this.invoices.get(principal, id);
  }

  @Get(':id/pdf')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'The invoice or credit note as PDF (French, with legal mentions); audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF file' })
  @ApiProblems(401, 404)
  async pdf(
    @CurrentPrincipal() principal: Principal,
    @Param('id', INVOICE_ID) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    return send(reply, await this.invoices.file(principal, id, 'pdf', requestId));
  }

  @Get(':id/ubl')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'The structured e-invoice: UBL 2.1 (EN 16931), accepted by Chorus Pro; audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'UBL 2.1 Invoice or CreditNote XML' })
  @ApiProblems(401, 404)
  async ubl(
    @CurrentPrincipal() principal: Principal,
    @Param('id', INVOICE_ID) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    return send(reply, await this.invoices.file(principal, id, 'ubl', requestId));
  }
}

function send(reply: FastifyReply, file: InvoiceFile): Buffer | string {
  void reply.header('Content-Type', file.contentType);
  void reply.header('Content-Disposition', `attachment; filename="${file.filename}"`);
  void reply.header('Cache-Control', 'private, no-store');
  return file.body;
}
