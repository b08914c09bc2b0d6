/**
 * Every entity, listed explicitly: the app, the migration runner and the drift check load the same
 * set without globbing the file system (globs differ between ts sources, tests and the build).
 * Relative imports on purpose: entity files import only TypeORM, so this never creates a cycle
 * through a domain lib's index (which itself depends on @sillage/db).
 */
import { identityEntities } from '../../../identity/src/entities';
import { auditEntities } from '../../../audit/src/entities';
import { queueEntities } from '../../../queue/src/entities';
import { ledgerEntities } from '../../../ledger/src/entities';
import { fundingEntities } from '../../../funding/src/entities';
import { issuanceEntities } from '../../../issuance/src/entities';
import { distributionEntities } from '../../../distribution/src/entities';
import { privacyEntities } from '../../../privacy/src/entities';
import { sitesEntities } from '../../../sites/src/entities';
import { redemptionEntities } from '../../../redemption/src/entities';
import { settlementEntities } from '../../../settlement/src/entities';
import { reportingEntities } from '../../../reporting/src/entities';

export const allEntities = [
  ...identityEntities,
  ...auditEntities,
  ...queueEntities,
  ...ledgerEntities,
  ...fundingEntities,
  ...issuanceEntities,
  ...distributionEntities,
  ...privacyEntities,
  ...sitesEntities,
  ...redemptionEntities,
  ...settlementEntities,
  ...reportingEntities,
];
