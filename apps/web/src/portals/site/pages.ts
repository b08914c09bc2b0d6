import type { PortalPage } from '../../portal/page';

/** The site's screens: the scanner first (what an agent opens on a phone), then what was redeemed. */
export const sitePages: PortalPage[] = [
  {
    path: '/app/scanner',
    title: { fr: 'Scanner', en: 'Scanner' },
    kinds: ['site'],
    roles: ['admin', 'agent'],
    load: () => import('./scanner').then((m) => m.ScannerPage),
  },
  {
    path: '/app/redemptions',
    title: { fr: 'Encaissements', en: 'Redemptions' },
    kinds: ['site'],
    load: () => import('./redemptions').then((m) => m.RedemptionsPage),
  },
  {
    path: '/app/incidents',
    title: { fr: 'Incidents', en: 'Incidents' },
    kinds: ['site'],
    load: () => import('./incidents').then((m) => m.IncidentsPage),
  },
];
