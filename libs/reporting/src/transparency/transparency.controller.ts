import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, ParseIdPipe, Public } from '@sillage/identity';
import type { FastifyReply } from 'fastify';
import { PolicyTransparencyDto, ProgrammeTransparencyDto } from './dto/transparency.dto';
import { ReportFormat, TransparencyQueryDto } from './dto/transparency-query.dto';
import { transparencyCsv, TransparencyService } from './transparency.service';
import { transparencyPdf } from './transparency-pdf';

/**
 * Programme and policy totals mix several funders' figures: the operator's (ADR 16) until a policy is
 * published. JSON by default; CSV with `format=csv` or `Accept: text/csv`.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class TransparencyController {
  constructor(private readonly transparency: TransparencyService) {}

  @Get('programmes/:id/transparency')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary:
      'A programme’s obtained, attributed, executed and co-financed amounts as of a date, per grant, with the checkpoint they are exactly as of',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({ type: ProgrammeTransparencyDto })
  @ApiProblems(400, 401, 403, 404)
  async programme(
    @Param('id', new ParseIdPipe('programme')) id: string,
    @Query() query: TransparencyQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.transparency.programme(id, query.asOf);
    return respond(reply, formatOf(query.format, accept), report, `transparence-programme-${report.asOf}.csv`);
  }

  @Get('policies/:id/transparency')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary: 'A policy’s announcements against what its programmes obtained, attributed, executed and co-financed, as of a date',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({ type: PolicyTransparencyDto })
  @ApiProblems(400, 401, 403, 404)
  async policy(
    @Param('id', new ParseIdPipe('policy')) id: string,
    @Query() query: TransparencyQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.transparency.policy(id, query.asOf);
    return respond(reply, formatOf(query.format, accept), report, `transparence-politique-${report.asOf}.csv`);
  }
}

/** A published policy's transparency report: no login (ADR 16). */
@ApiTags('reports')
@Controller('v1/public/policies')
export class PublicTransparencyController {
  constructor(private readonly transparency: TransparencyService) {}

  @Get(':slug/transparency')
  @Public()
  @ApiOperation({ summary: 'The transparency report of a policy the operator published, as of a date, for anyone (JSON or CSV)' })
  @ApiParam({ name: 'slug', example: 'pass-numerique' })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({ type: PolicyTransparencyDto })
  @ApiProblems(400, 404)
  async policy(
    @Param('slug') slug: string,
    @Query() query: TransparencyQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.transparency.publishedPolicy(slug.slice(0, 80), query.asOf);
    return respond(reply, formatOf(query.format, accept), report, `transparence-${slug.slice(0, 80)}-${report.asOf}.csv`);
  }
}

/** `format=` wins; else the Accept header (CSV or PDF when asked for without JSON); JSON by default. */
export function formatOf(format: ReportFormat | undefined, accept: string | undefined): ReportFormat {
  if (format) return format;
  if (!accept || /\bapplication\/json\b/.test(accept)) return 'json';
  return /\btext\/csv\b/.test(accept) ? 'csv' : /\bapplication\/pdf\b/.test(accept) ? 'pdf' : 'json';
}

async function respond(
  reply: FastifyReply,
  format: ReportFormat,
  report: ProgrammeTransparencyDto | PolicyTransparencyDto,
  filename: string,
) {
  if (format === 'json') return report;
  if (format === 'pdf') {
    void reply.header('content-type', 'application/pdf');
    void reply.header('content-disposition', `attachment; filename="${filename.replace(/\.csv$/, '.pdf')}"`);
    return transparencyPdf(report);
  }
  void reply.header('content-type', 'text/csv; charset=utf-8');
  void reply.header('content-disposition', `attachment; filename="${filename}"`);
  return transparencyCsv(report);
}
