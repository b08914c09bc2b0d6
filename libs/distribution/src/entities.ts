import { AllocationMovementEntity } from './allocations/allocation-movement.entity';
import { PublicCategoryEntity } from './categories/public-category.entity';
import { BeneficiaryProfileEntity, HandoverEntity } from './handovers/handover.entity';
import { NoticeEntity } from './notices/notice.entity';

export const distributionEntities = [
  AllocationMovementEntity,
  PublicCategoryEntity,
  BeneficiaryProfileEntity,
  HandoverEntity,
  NoticeEntity,
];
