import type { PortalPage } from '../../portal/page';

const FINANCE = ['admin', 'finance'] as const;

/**
 * The finance portal's screens (finance and admin users, as the API allows): the operator's settlement
 * runs, payout batches and bank statements; statements for the operator and each site; invoices and
 * credit notes for the operator and each funder.
 */
export const financePages: PortalPage[] = [
  {
    path: '/app/settlement-runs',
    title: { fr: 'Règlements', en: 'Settlement runs' },
    kinds: ['operator'],
    roles: FINANCE,
    load: () => import('./settlement-runs').then((m) => m.SettlementRunsPage),
  },
  {
    path: '/app/settlement-runs/:id',
    title: { fr: 'Règlement', en: 'Settlement run' },
    kinds: ['operator'],
    roles: FINANCE,
    nav: false,
    load: () => import('./settlement-run').then((m) => m.SettlementRunPage),
  },
  {
    path: '/app/payout-batches',
    title: { fr: 'Lots de virements', en: 'Payout batches' },
    kinds: ['operator'],
    roles: FINANCE,
    load: () => import('./payout-batches').then((m) => m.PayoutBatchesPage),
  },
  {
    path: '/app/payout-batches/:id',
    title: { fr: 'Lot de virements', en: 'Payout batch' },
    kinds: ['operator'],
    roles: FINANCE,
    nav: false,
    load: () => import('./payout-batch').then((m) => m.PayoutBatchPage),
  },
  {
    path: '/app/statements',
    title: { fr: 'Relevés', en: 'Statements' },
    kinds: ['operator', 'site'],
    roles: FINANCE,
    load: () => import('./statements').then((m) => m.StatementsPage),
  },
  {
    path: '/app/statements/:id',
    title: { fr: 'Relevé', en: 'Statement' },
    kinds: ['operator', 'site'],
    roles: FINANCE,
    nav: false,
    load: () => import('./statement').then((m) => m.StatementPage),
  },
  {
    path: '/app/payouts',
    title: { fr: 'Virements', en: 'Payouts' },
    kinds: ['operator', 'site'],
    roles: FINANCE,
    load: () => import('./payouts').then((m) => m.PayoutsPage),
  },
  {
    path: '/app/order-payments',
    title: { fr: 'Paiements des commandes', en: 'Order payments' },
    kinds: ['operator'],
    roles: FINANCE,
    load: () => import('./order-payments').then((m) => m.OrderPaymentsPage),
  },
  {
    path: '/app/bank-statements',
    title: { fr: 'Relevés bancaires', en: 'Bank statements' },
    kinds: ['operator'],
    roles: FINANCE,
    load: () => import('./bank-statements').then((m) => m.BankStatementsPage),
  },
  {
    path: '/app/bank-statements/:id',
    title: { fr: 'Relevé bancaire', en: 'Bank statement' },
    kinds: ['operator'],
    roles: FINANCE,
    nav: false,
    load: () => import('./bank-statement').then((m) => m.BankStatementPage),
  },
  {
    path: '/app/invoices',
    title: { fr: 'Factures et avoirs', en: 'Invoices and credit notes' },
    kinds: ['operator', 'funder'],
    roles: FINANCE,
    load: () => import('./invoices').then((m) => m.InvoicesPage),
  },
  {
    path: '/app/credit-notes/:id',
    title: { fr: 'Avoir', en: 'Credit note' },
    kinds: ['operator', 'funder'],
    roles: FINANCE,
    nav: false,
    load: () => import('./credit-note').then((m) => m.CreditNotePage),
  },
];
