import { SiteBankAccountEntity } from './bank-accounts/site-bank-account.entity';
import { SiteProfileEntity } from './profiles/site-profile.entity';
import { SiteQualificationEntity } from './qualification/site-qualification.entity';

export const sitesEntities = [SiteProfileEntity, SiteQualificationEntity, SiteBankAccountEntity];
