import type { PortalPage } from '../../portal/page';

/** The finance portal's screens. */
export const financePages: PortalPage[] = [];
