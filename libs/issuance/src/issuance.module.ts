import { Module } from '@nestjs/common';
import { LedgerModule } from '@sillage/ledger';
import { BookletRepository } from './booklets/booklet.repository';
import { BookletsController } from './booklets/booklets.controller';
import { BookletsService } from './booklets/booklets.service';
import { IssuanceService } from './issuing/issuance.service';
import { IssueOrderJob } from './jobs/issue-order.job';
import { IssuanceKeys } from './keys/issuance-keys';
import { IssuanceKeysController } from './keys/issuance-keys.controller';

/** Issuance: booklets, vouchers, codes and QR tokens, print files, blocking and replacement. */
@Module({
  imports: [LedgerModule],
  controllers: [IssuanceKeysController, BookletsController],
  providers: [IssuanceKeys, IssuanceService, IssueOrderJob, BookletRepository, BookletsService],
  exports: [IssuanceService, IssuanceKeys],
})
export class IssuanceModule {}
