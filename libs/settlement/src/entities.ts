import { PricingRuleEntity } from './pricing/pricing-rule.entity';
import { SettlementRunEntity } from './runs/settlement-run.entity';
import { SettlementStatementEntity, SettlementStatementLineEntity } from './statements/statement.entity';

export const settlementEntities = [PricingRuleEntity, SettlementRunEntity, SettlementStatementEntity, SettlementStatementLineEntity];
