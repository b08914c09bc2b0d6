import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { PrintFileListDto, PrintFilesService, RequestPrintFilesDto } from './print-files.service';

@ApiTags('issuance')
@ApiBearerAuth()
@Controller()
export class PrintFilesController {
  constructor(private readonly printFiles: PrintFilesService) {}

  @Post('v1/purchase-orders/:id/print-files')
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({ summary: 'Render the order’s print file (PDF or CSV, in parts) in the background; follow progress in the list' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: PrintFileListDto })
  @ApiProblems(400, 401, 403, 404, 409)
  request(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('order')) orderId: string,
    @Body() body: RequestPrintFilesDto,
    @RequestId() requestId?: string,
  ) {
    return this.printFiles.request(principal, orderId, body.format, requestId);
  }

  @Get('v1/purchase-orders/:id/print-files')
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({ summary: 'The order’s print files, newest first, with status, progress and download links' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PrintFileListDto })
  @ApiProblems(401, 403, 404)
  list(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('order')) orderId: string) {
    return this.printFiles.list(principal, orderId);
  }

  @Get('v1/print-files/:id/download')
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({ summary: 'Download a ready print file (funder admin, operator); audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf', 'text/csv')
  @ApiOkResponse({ description: 'The file' })
  @ApiProblems(401, 403, 404, 409)
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('print file')) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId?: string,
  ) {
    const file = await this.printFiles.download(principal, id, requestId);
    void reply.header('Content-Type', file.contentType);
    void reply.header('Content-Length', String(file.size));
    void reply.header('Content-Disposition', `attachment; filename="${file.filename}"`);
    void reply.header('Cache-Control', 'private, no-store');
    return file.stream;
  }
}
