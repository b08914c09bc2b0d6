import { Module } from '@nestjs/common';
import { IssuanceModule } from '@sillage/issuance';
import { LedgerModule } from '@sillage/ledger';
import { PrivacyModule } from '@sillage/privacy';
import { RedemptionBatchController } from './batch/redemption-batch.controller';
import { RedemptionBatchService } from './batch/redemption-batch.service';
import { VoucherCodes } from './codes/voucher-codes';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsService } from './incidents/incidents.service';
import { VoucherRedeemedJob } from './jobs/voucher-redeemed.job';
import { RedemptionFailures } from './redemptions/redemption-failures';
import { RedemptionReader } from './redemptions/redemption-reader';
import { RedemptionRefusals } from './redemptions/redemption-refusals';
import { RedemptionUndo } from './redemptions/redemption-undo';
import { RedemptionWriter } from './redemptions/redemption-writer';
import { RedemptionViews } from './redemptions/redemption-views';
import { RedemptionViewsController } from './redemptions/redemption-views.controller';
import { RedemptionsController } from './redemptions/redemptions.controller';
import { RedemptionsService } from './redemptions/redemptions.service';
import { VoucherCheck } from './redemptions/voucher-check';

/** Redemption: check, exactly-once redeem, undo, offline batches, incidents, exports; the after-redemption survey email. */
@Module({
  imports: [LedgerModule, IssuanceModule, PrivacyModule],
  // RedemptionViewsController before RedemptionsController: `/redemptions/export.csv` and `/totals` are not `/redemptions/:id`.
  controllers: [RedemptionViewsController, RedemptionBatchController, RedemptionsController, IncidentsController],
  providers: [
    VoucherCodes,
    RedemptionFailures,
    RedemptionReader,
    RedemptionRefusals,
    RedemptionUndo,
    RedemptionWriter,
    RedemptionsService,
    VoucherCheck,
    RedemptionViews,
    IncidentsService,
    RedemptionBatchService,
    VoucherRedeemedJob,
  ],
  exports: [RedemptionsService, RedemptionReader, RedemptionWriter, IncidentsService],
})
export class RedemptionModule {}
