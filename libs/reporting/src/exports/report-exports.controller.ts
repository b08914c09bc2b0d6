import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { ReportExportDto, ReportExportListDto } from './dto/report-export.dto';
import { ReportExports } from './report-exports.service';

/** Report PDFs the worker renders (issue 8): status with progress, then the file, for the organisation that asked. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports/exports')
export class ReportExportsController {
  constructor(private readonly exports: ReportExports) {}

  @Get()
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({ summary: 'The organisation’s report PDFs being rendered or ready, newest first (the last 50)' })
  @ApiOkResponse({ type: ReportExportListDto })
  @ApiProblems(401, 403)
  list(@CurrentPrincipal() principal: Principal) {
    return this.exports.list(principal);
  }

  @Get(':id')
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({ summary: 'A report PDF’s status and progress (rows drawn), with its download link once ready' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReportExportDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('report export')) id: string) {
    return this.exports.get(principal, id);
  }

  @Get(':id/download')
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({ summary: 'Download a ready report PDF (409 REPORT_EXPORT_NOT_READY while it is rendered)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF' })
  @ApiProblems(401, 403, 404, 409)
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('report export')) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const file = await this.exports.download(principal, id);
    void reply.header('content-type', 'application/pdf');
    void reply.header('content-length', String(file.size));
    void reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    void reply.header('cache-control', 'private, no-store');
    return file.stream;
  }
}
