import { BookletFactsCache } from './booklets/booklet-facts';
import { Module } from '@nestjs/common';
import { LedgerModule } from '@sillage/ledger';
import { BookletRepository } from './booklets/booklet.repository';
import { BookletsController } from './booklets/booklets.controller';
import { BookletsService } from './booklets/booklets.service';
import { IssuanceService } from './issuing/issuance.service';
import { IssueOrderJob } from './jobs/issue-order.job';
import { RenderPrintFileJob } from './jobs/render-print-file.job';
import { PrintFilesController } from './print-files/print-files.controller';
import { PrintFilesService } from './print-files/print-files.service';
import { IssuanceKeys } from './keys/issuance-keys';
import { IssuanceKeysController } from './keys/issuance-keys.controller';

/** Issuance: booklets, vouchers, codes and QR tokens, print files, blocking and replacement. */
@Module({
  imports: [LedgerModule],
  controllers: [IssuanceKeysController, BookletsController, PrintFilesController],
  providers: [
    BookletFactsCache,
    IssuanceKeys,
    IssuanceService,
    IssueOrderJob,
    BookletRepository,
    BookletsService,
    PrintFilesService,
    RenderPrintFileJob,
  ],
  exports: [IssuanceService, IssuanceKeys, BookletFactsCache],
})
export class IssuanceModule {}
