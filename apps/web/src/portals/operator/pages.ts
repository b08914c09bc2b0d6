import type { PortalPage } from '../../portal/page';

/** The operator portal's screens. */
export const operatorPages: PortalPage[] = [];
