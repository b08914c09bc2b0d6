import { RedemptionEntity, RedemptionIncidentEntity, RedemptionLineEntity } from './redemptions/redemption.entity';

export const redemptionEntities = [RedemptionEntity, RedemptionLineEntity, RedemptionIncidentEntity];
