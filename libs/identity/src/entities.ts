import { ApiKeyEntity } from './api-keys/api-key.entity';
import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { SetPasswordTokenEntity } from './auth/set-password-token.entity';
import { OrganisationEntity } from './organisations/organisation.entity';
import { PartnershipEntity } from './partnerships/partnership.entity';
import { ServiceCategoryEntity } from './service-categories/service-category.entity';
import { UserEntity } from './users/user.entity';

export const identityEntities = [
  OrganisationEntity,
  PartnershipEntity,
  ServiceCategoryEntity,
  UserEntity,
  RefreshTokenEntity,
  SetPasswordTokenEntity,
  ApiKeyEntity,
];
