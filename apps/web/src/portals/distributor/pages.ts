import type { PortalPage } from '../../portal/page';

/** The distributor portal's screens: its stock, the hand-over desk, past hand-overs, notices, and (admins) a person's data. */
export const distributorPages: PortalPage[] = [
  {
    path: '/app/stock',
    title: { fr: 'Stock de carnets', en: 'Booklet stock' },
    kinds: ['distributor'],
    load: () => import('./stock').then((m) => m.StockPage),
  },
  {
    path: '/app/hand-over',
    title: { fr: 'Remettre un carnet', en: 'Hand a booklet over' },
    kinds: ['distributor'],
    roles: ['admin', 'agent'],
    load: () => import('./hand-over').then((m) => m.HandOverPage),
  },
  {
    path: '/app/hand-overs',
    title: { fr: 'Remises effectuées', en: 'Past hand-overs' },
    kinds: ['distributor'],
    load: () => import('./hand-overs').then((m) => m.HandOversPage),
  },
  {
    path: '/app/expiry-notices',
    title: { fr: 'Alertes d’échéance', en: 'Expiry notices' },
    kinds: ['distributor'],
    load: () => import('./notices').then((m) => m.NoticesPage),
  },
  {
    path: '/app/personal-data',
    title: { fr: 'Données personnelles', en: 'Personal data' },
    kinds: ['distributor'],
    roles: ['admin'],
    load: () => import('./personal-data').then((m) => m.PersonalDataPage),
  },
  {
    path: '/app/beneficiaries/:id',
    title: { fr: 'Données d’un bénéficiaire', en: 'A beneficiary’s data' },
    kinds: ['distributor'],
    roles: ['admin'],
    nav: false,
    load: () => import('./beneficiary').then((m) => m.BeneficiaryPage),
  },
];
