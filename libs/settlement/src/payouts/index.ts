import { PayoutBatchFileWriter } from './payout-batch-file';
import { PayoutBatchesService } from './payout-batches.service';
import { PayoutPlanner } from './payout-planner';
import { PayoutsService } from './payouts.service';

export { PayoutsController } from './payouts.controller';
export { PayoutBatchFileWriter, PayoutBatchesService, PayoutPlanner, PayoutsService };

export const PAYOUT_PROVIDERS = [PayoutPlanner, PayoutBatchFileWriter, PayoutsService, PayoutBatchesService];
