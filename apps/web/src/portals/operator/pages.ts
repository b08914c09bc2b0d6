import type { PortalPage, Role } from '../../portal/page';

/** Operator finance users have their own menu (the finance portal); these screens are for the others. */
const NOT_FINANCE: Role[] = ['admin', 'viewer', 'dpo', 'agent'];

const OP = ['operator'] as const;

/** The operator portal's screens (organisation kind `operator`; the API checks each role again). */
export const operatorPages: PortalPage[] = [
  {
    path: '/app/organisations',
    title: { fr: 'Structures', en: 'Organisations' },
    kinds: OP,
    roles: NOT_FINANCE,
    load: () => import('./organisations').then((m) => m.OrganisationsPage),
  },
  {
    path: '/app/organisations/:id',
    title: { fr: 'Structure', en: 'Organisation' },
    kinds: OP,
    roles: NOT_FINANCE,
    nav: false,
    load: () => import('./organisations').then((m) => m.OrganisationPage),
  },
  {
    path: '/app/partnerships',
    title: { fr: 'Partenariats', en: 'Partnerships' },
    kinds: OP,
    roles: NOT_FINANCE,
    load: () => import('./partnerships').then((m) => m.PartnershipsPage),
  },
  {
    path: '/app/users',
    title: { fr: 'Utilisateurs', en: 'Users' },
    kinds: OP,
    roles: ['admin', 'dpo'],
    load: () => import('./users').then((m) => m.UsersPage),
  },
  {
    path: '/app/service-categories',
    title: { fr: 'Catégories de service', en: 'Service categories' },
    kinds: OP,
    roles: NOT_FINANCE,
    load: () => import('./service-categories').then((m) => m.ServiceCategoriesPage),
  },
  {
    path: '/app/sites',
    title: { fr: 'Qualification des lieux', en: 'Site qualification' },
    kinds: OP,
    roles: NOT_FINANCE,
    load: () => import('./sites').then((m) => m.SitesPage),
  },
  {
    path: '/app/sites/:id',
    title: { fr: 'Lieu', en: 'Site' },
    kinds: OP,
    roles: NOT_FINANCE,
    nav: false,
    load: () => import('./sites').then((m) => m.SitePage),
  },
  {
    path: '/app/bank-accounts',
    title: { fr: 'Comptes bancaires', en: 'Bank accounts' },
    kinds: OP,
    roles: ['admin', 'finance'],
    load: () => import('./bank-accounts').then((m) => m.BankAccountsPage),
  },
  {
    path: '/app/incidents',
    title: { fr: 'Incidents', en: 'Incidents' },
    kinds: OP,
    roles: NOT_FINANCE,
    load: () => import('./incidents').then((m) => m.IncidentsPage),
  },
  {
    path: '/app/audit',
    title: { fr: 'Journal d’audit', en: 'Audit log' },
    kinds: OP,
    load: () => import('./audit').then((m) => m.AuditPage),
  },
  {
    path: '/app/audit/trace',
    title: { fr: 'Trace d’un chèque', en: 'A voucher’s trace' },
    kinds: OP,
    load: () => import('./trace').then((m) => m.TracePage),
  },
  {
    path: '/app/ledger',
    title: { fr: 'Contrôle du grand livre', en: 'Ledger check' },
    kinds: OP,
    roles: ['admin', 'finance'],
    load: () => import('./ledger').then((m) => m.LedgerPage),
  },
  {
    path: '/app/policies',
    title: { fr: 'Publication des politiques', en: 'Publishing policies' },
    kinds: OP,
    roles: NOT_FINANCE,
    load: () => import('./policies').then((m) => m.PoliciesPage),
  },
  {
    path: '/app/queues',
    title: { fr: 'Files de tâches', en: 'Job queues' },
    kinds: OP,
    roles: ['admin'],
    load: () => import('./queues').then((m) => m.QueuesPage),
  },
];
