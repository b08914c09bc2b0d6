export { ConfirmAction } from '../../ui/confirm-action';
export { formatDateTime } from '../../i18n';
export { MoreButton } from '../../ui/more-button';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Lang } from '../../i18n';
import { downloadFile } from '../../session';
import './finance.css';

/** Words the finance screens share: statuses, buttons, the same in every table. */
export const WORDS = {
  fr: {
    loading: 'Chargement…',
    more: 'Page suivante',
    none: 'Aucun élément.',
    cancel: 'Annuler',
    downloadFailed: 'Le téléchargement a échoué. Réessayez ; si cela continue, rechargez la page.',
    downloaded: (name: string) => `Téléchargement de ${name} lancé.`,
    all: 'Tous',
    runStatus: { running: 'En cours', completed: 'Terminé' } as Record<string, string>,
    trigger: { operator: 'Lancé à la main', schedule: 'Planifié' } as Record<string, string>,
    batchStatus: {
      building: 'En préparation',
      awaiting_release: 'En attente de libération',
      released: 'Libéré',
    } as Record<string, string>,
    statementStatus: { unpaid: 'Non payé', in_payout: 'Virement en cours', paid: 'Payé' } as Record<string, string>,
    payoutStatus: {
      pending: 'En attente de paiement',
      paid: 'Payé',
      rejected: 'Rejeté par la banque',
      returned: 'Retourné par la banque',
    } as Record<string, string>,
    waitingReason: {
      NO_VERIFIED_BANK_ACCOUNT: 'Pas de compte bancaire vérifié',
      SITE_SUSPENDED: 'Lieu suspendu',
      BELOW_MINIMUM: 'Sous le montant minimum',
      BANK_DETAILS_INVALID: 'Coordonnées bancaires refusées par la banque',
    } as Record<string, string>,
  },
  en: {
    loading: 'Loading…',
    more: 'Next page',
    none: 'Nothing here.',
    cancel: 'Cancel',
    downloadFailed: 'The download failed. Try again; if it keeps failing, reload the page.',
    downloaded: (name: string) => `Download of ${name} started.`,
    all: 'All',
    runStatus: { running: 'Running', completed: 'Completed' } as Record<string, string>,
    trigger: { operator: 'Started by hand', schedule: 'Scheduled' } as Record<string, string>,
    batchStatus: { building: 'Being prepared', awaiting_release: 'Awaiting release', released: 'Released' } as Record<string, string>,
    statementStatus: { unpaid: 'Unpaid', in_payout: 'Transfer in progress', paid: 'Paid' } as Record<string, string>,
    payoutStatus: {
      pending: 'Awaiting payment',
      paid: 'Paid',
      rejected: 'Rejected by the bank',
      returned: 'Returned by the bank',
    } as Record<string, string>,
    waitingReason: {
      NO_VERIFIED_BANK_ACCOUNT: 'No verified bank account',
      SITE_SUSPENDED: 'Site suspended',
      BELOW_MINIMUM: 'Below the minimum amount',
      BANK_DETAILS_INVALID: 'Bank details refused by the bank',
    } as Record<string, string>,
  },
};

/** A date-time of the API (ISO) as people read it, in Paris time. */

/**
 * A button that downloads a file the API serves to signed-in users, under the API's file name; it
 * says when the download started (status) or failed (alert).
 */
export function DownloadButton(props: {
  lang: Lang;
  url: string;
  name: string;
  accept?: string;
  label: string;
  /** The full name when the visible label is short (it starts with the label, so speech input finds it). */
  ariaLabel?: string;
  primary?: boolean;
}) {
  const w = WORDS[props.lang];
  const [state, setState] = useState<'idle' | 'busy' | 'done' | 'failed'>('idle');
  const go = async () => {
    setState('busy');
    const ok = await downloadFile(props.url, props.name, props.accept).catch(() => false);
    setState(ok ? 'done' : 'failed');
  };
  return (
    <span class="download">
      <button
        type="button"
        class={props.primary ? 'primary' : undefined}
        aria-label={props.ariaLabel}
        disabled={state === 'busy'}
        onClick={() => void go()}
      >
        {props.label}
      </button>
      {state === 'done' && (
        <span role="status" class="sr-only">
          {w.downloaded(props.name)}
        </span>
      )}
      {state === 'failed' && (
        <span role="alert" class="problem">
          {w.downloadFailed}
        </span>
      )}
    </span>
  );
}

/** A wide table that scrolls sideways on a small screen: a labelled region keyboard users can scroll. */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
