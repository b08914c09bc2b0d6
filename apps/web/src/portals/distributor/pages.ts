import type { PortalPage } from '../../portal/page';

/** The distributor portal's screens. */
export const distributorPages: PortalPage[] = [];
