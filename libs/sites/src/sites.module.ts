import { Module } from '@nestjs/common';
import { LedgerModule } from '@sillage/ledger';
import { BankAccountQueueController, BankAccountsController } from './bank-accounts/bank-accounts.controller';
import { BankAccountsService } from './bank-accounts/bank-accounts.service';
import { SiteBankAccountRepository } from './bank-accounts/site-bank-account.repository';
import { SiteProfilesController } from './profiles/site-profiles.controller';
import { SiteProfilesService } from './profiles/site-profiles.service';
import { SiteRepository } from './profiles/site.repository';
import { QualificationController } from './qualification/qualification.controller';
import { QualificationService } from './qualification/qualification.service';
import { SiteQualificationRepository } from './qualification/site-qualification.repository';

/** Sites: profile, qualification (labels) and bank accounts under four eyes. */
@Module({
  imports: [LedgerModule],
  controllers: [SiteProfilesController, QualificationController, BankAccountsController, BankAccountQueueController],
  providers: [
    SiteRepository,
    SiteProfilesService,
    SiteQualificationRepository,
    QualificationService,
    SiteBankAccountRepository,
    BankAccountsService,
  ],
  exports: [],
})
export class SitesModule {}
