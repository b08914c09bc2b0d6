import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobHandler, JobHandlerRegistry, JobPayloads } from '@sillage/queue';
import { PrintFilesService } from '../print-files/print-files.service';

type Name = 'issuance.render-print-file';

/** Renders one print-file part (PDF or CSV) with progress; a retry renders it again from scratch. */
@Injectable()
export class RenderPrintFileJob implements JobHandler<Name>, OnModuleInit {
  readonly name = 'issuance.render-print-file' as const;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly printFiles: PrintFilesService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  handle({ printFileId }: JobPayloads[Name]): Promise<void> {
    return this.printFiles.render(printFileId);
  }
}
