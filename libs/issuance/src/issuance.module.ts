import { Module } from '@nestjs/common';
import { LedgerModule } from '@sillage/ledger';
import { IssuanceService } from './issuing/issuance.service';
import { IssueOrderJob } from './jobs/issue-order.job';
import { IssuanceKeys } from './keys/issuance-keys';
import { IssuanceKeysController } from './keys/issuance-keys.controller';

/** Issuance: booklets, vouchers, codes and QR tokens, print files, blocking and replacement. */
@Module({
  imports: [LedgerModule],
  controllers: [IssuanceKeysController],
  providers: [IssuanceKeys, IssuanceService, IssueOrderJob],
  exports: [IssuanceService, IssuanceKeys],
})
export class IssuanceModule {}
