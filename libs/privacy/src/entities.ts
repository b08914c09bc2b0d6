import { PersonalDataAccessEntity } from './access-log/personal-data-access.entity';
import { PrivacyRequestEntity } from './requests/privacy-request.entity';
import { VaultPersonEntity, VaultRecordEntity } from './store/vault.entity';

export const privacyEntities = [VaultPersonEntity, VaultRecordEntity, PersonalDataAccessEntity, PrivacyRequestEntity];
