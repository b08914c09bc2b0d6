import { Module } from '@nestjs/common';
import { PersonalDataAccessLog } from './access-log/access-log';
import { VaultService } from './store/vault.service';

/** Personal data: the vault, the access log, exports, erasure and retention. */
@Module({
  providers: [VaultService, PersonalDataAccessLog],
  exports: [VaultService, PersonalDataAccessLog],
})
export class PrivacyModule {}
