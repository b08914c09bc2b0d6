import { LedgerAccountEntity } from './ledger-account.entity';
import { LedgerBalanceSnapshotEntity } from './ledger-balance-snapshot.entity';
import { LedgerTransferEntity } from './ledger-transfer.entity';

export const ledgerEntities = [LedgerAccountEntity, LedgerTransferEntity, LedgerBalanceSnapshotEntity];
