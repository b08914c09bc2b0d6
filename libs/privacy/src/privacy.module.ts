import { Module } from '@nestjs/common';
import { PersonalDataAccessLog } from './access-log/access-log';
import { PrivacyRequestsService } from './requests/privacy-requests.service';
import { VaultService } from './store/vault.service';

/** Personal data: the vault, the access log, exports, erasure and retention. */
@Module({
  providers: [VaultService, PersonalDataAccessLog, PrivacyRequestsService],
  exports: [VaultService, PersonalDataAccessLog, PrivacyRequestsService],
})
export class PrivacyModule {}
