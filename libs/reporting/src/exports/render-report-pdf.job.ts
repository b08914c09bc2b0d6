import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobHandler, JobHandlerRegistry, JobPayloads } from '@sillage/queue';
import { ReportExports } from './report-exports.service';

type Name = 'reporting.render-pdf';

/** Renders a large report's PDF with progress; a retry renders it again from scratch. */
@Injectable()
export class RenderReportPdfJob implements JobHandler<Name>, OnModuleInit {
  readonly name = 'reporting.render-pdf' as const;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly exports: ReportExports,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  handle({ exportId }: JobPayloads[Name]): Promise<void> {
    return this.exports.render(exportId);
  }
}
