import type { PortalPage } from '../../portal/page';

/** The funder portal's screens (organisation kind `funder`), in menu order. */
export const funderPages: PortalPage[] = [
  {
    path: '/app/dashboard',
    title: { fr: 'Tableau de bord', en: 'Dashboard' },
    kinds: ['funder'],
    roles: ['admin', 'finance', 'viewer'],
    load: () => import('./dashboard').then((m) => m.DashboardPage),
  },
  {
    path: '/app/orders',
    title: { fr: 'Bons de commande', en: 'Purchase orders' },
    kinds: ['funder'],
    load: () => import('./orders').then((m) => m.OrdersPage),
  },
  {
    path: '/app/orders/new',
    title: { fr: 'Nouvelle commande', en: 'New order' },
    kinds: ['funder'],
    roles: ['admin'],
    nav: false,
    load: () => import('./order-new').then((m) => m.NewOrderPage),
  },
  {
    path: '/app/orders/:id',
    title: { fr: 'Bon de commande', en: 'Purchase order' },
    kinds: ['funder'],
    nav: false,
    load: () => import('./order').then((m) => m.OrderPage),
  },
  {
    path: '/app/orders/:id/booklets',
    title: { fr: 'Carnets de la commande', en: 'Booklets of the order' },
    kinds: ['funder'],
    nav: false,
    load: () => import('./booklets').then((m) => m.BookletsPage),
  },
  {
    path: '/app/allocations',
    title: { fr: 'Attributions', en: 'Allocations' },
    kinds: ['funder'],
    load: () => import('./allocations').then((m) => m.AllocationsPage),
  },
  {
    path: '/app/funding',
    title: { fr: 'Financements', en: 'Funding' },
    kinds: ['funder'],
    load: () => import('./funding').then((m) => m.FundingPage),
  },
  {
    path: '/app/public-categories',
    title: { fr: 'Publics suivis', en: 'Publics followed' },
    kinds: ['funder'],
    load: () => import('./public-categories').then((m) => m.PublicCategoriesPage),
  },
];
