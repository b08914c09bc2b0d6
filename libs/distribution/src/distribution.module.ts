import { Module } from '@nestjs/common';
import { IssuanceModule } from '@sillage/issuance';
import { PrivacyModule } from '@sillage/privacy';
import { AllocationsController } from './allocations/allocations.controller';
import { AllocationsService } from './allocations/allocations.service';
import { PublicCategoriesController, PublicCategoriesService } from './categories/public-categories';
import { HandoversController } from './handovers/handovers.controller';
import { HandoversService } from './handovers/handovers.service';
import { BeneficiariesController } from './beneficiaries/beneficiaries.controller';
import { BeneficiariesService } from './beneficiaries/beneficiaries.service';
import { PersonalDataRetentionJob } from './beneficiaries/retention.job';
import { DistributionNoticesJob, SendNoticeEmailJob } from './notices/notices.job';
import { NoticesController, NoticesService } from './notices/notices';
import { PassController } from './pass/pass.controller';
import { PassService } from './pass/pass.service';
import { PublicTokenThrottle } from './pass/public-throttle';
import { StockController } from './stock/stock.controller';
import { StockService } from './stock/stock.service';

/** Distribution: booklet movements to and between distributors, stock, public categories, hand-overs. */
@Module({
  imports: [PrivacyModule, IssuanceModule],
  controllers: [
    AllocationsController,
    StockController,
    PublicCategoriesController,
    HandoversController,
    PassController,
    BeneficiariesController,
    NoticesController,
  ],
  providers: [
    AllocationsService,
    StockService,
    PublicCategoriesService,
    HandoversService,
    PassService,
    PublicTokenThrottle,
    BeneficiariesService,
    PersonalDataRetentionJob,
    NoticesService,
    DistributionNoticesJob,
    SendNoticeEmailJob,
  ],
})
export class DistributionModule {}
