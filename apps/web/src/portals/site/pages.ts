import type { PortalPage } from '../../portal/page';

/** The site portal's screens. */
export const sitePages: PortalPage[] = [];
