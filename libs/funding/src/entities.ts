import { ContractEntity } from './contracts/contract.entity';
import { GrantAmendmentEntity, GrantEntity } from './grants/grant.entity';
import { PolicyAnnouncementEntity, PolicyEntity } from './policies/policy.entity';
import { ProgrammeEntity, ProgrammeFundingSourceEntity } from './programmes/programme.entity';

export const fundingEntities = [
  PolicyEntity,
  PolicyAnnouncementEntity,
  ProgrammeEntity,
  ProgrammeFundingSourceEntity,
  GrantEntity,
  GrantAmendmentEntity,
  ContractEntity,
];
