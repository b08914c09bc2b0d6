export { ConfirmAction } from '../../ui/confirm-action';
export { formatDateTime, parisToday } from '../../i18n';
export { saveResponse } from '../../session';
import { useEffect, useRef } from 'preact/hooks';
import type { components } from '../../api/schema';
import type { Lang } from '../../i18n';
import { authorisedFetch } from '../../session';

export type Order = components['schemas']['OrderDto'];
export type OrderStatus = Order['status'];

/** How an order's status reads to a funder. */
export const ORDER_STATUS: Record<OrderStatus, Record<Lang, string>> = {
  draft: { fr: 'Brouillon', en: 'Draft' },
  confirmed: { fr: 'Confirmée, en attente de paiement', en: 'Confirmed, awaiting payment' },
  paid: { fr: 'Payée', en: 'Paid' },
  closed: { fr: 'Clôturée', en: 'Closed' },
  cancelled: { fr: 'Annulée', en: 'Cancelled' },
};

/** Today in Europe/Paris as YYYY-MM-DD (the API's calendar). */
/** Basis points as a percentage (400 → 4 %). */
export const formatBp = (lang: Lang, bp: number) =>
  new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10000);

export const formatCount = (lang: Lang, n: number) => new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB').format(n);

/** Calls `tick` every `ms` while `active`; stops on unmount. */
export function usePolling(active: boolean, ms: number, tick: () => void): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => saved.current(), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
}

/** A GET with the session's token (for routes whose answer is a file or a 202). */
export const authorisedGet = (url: string, accept?: string) => authorisedFetch(new Request(url, accept ? { headers: { accept } } : {}));
