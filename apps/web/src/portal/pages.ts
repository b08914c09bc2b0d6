import { distributorPages } from '../portals/distributor/pages';
import { financePages } from '../portals/finance/pages';
import { funderPages } from '../portals/funder/pages';
import { operatorPages } from '../portals/operator/pages';
import { sitePages } from '../portals/site/pages';
import type { PortalPage } from './page';

/** Every portal screen, in menu order; each portal lists its own in `portals/<portal>/pages.ts`. */
export const PORTAL_PAGES: PortalPage[] = [...operatorPages, ...funderPages, ...distributorPages, ...sitePages, ...financePages];
