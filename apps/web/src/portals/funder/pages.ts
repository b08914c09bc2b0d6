import type { PortalPage } from '../../portal/page';

/** The funder portal's screens. */
export const funderPages: PortalPage[] = [];
