import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDate, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import './distributor.css';

type Handover = components['schemas']['HandoverDto'];
type Reason = components['schemas']['ReturnHandoverDto']['reasonCode'];

const REASONS: Reason[] = ['recorded_in_error', 'not_collected', 'beneficiary_declined', 'other'];

const TEXT = {
  fr: {
    title: 'Remises effectuées',
    intro: 'Les carnets que votre structure a remis, les plus anciens d’abord.',
    order: 'Commande',
    allOrders: 'Toutes les commandes',
    loading: 'Chargement…',
    empty: 'Aucune remise pour l’instant.',
    caption: 'Remises de carnets',
    handedOn: 'Remis le',
    serial: 'Carnet',
    contact: 'Coordonnées',
    yes: 'Oui, avec accord',
    no: 'Non',
    state: 'État',
    handed: 'Remis',
    returned: (d: string, r: string) => `Annulée le ${d} (${r})`,
    actions: 'Actions',
    personalData: (s: string) => `Données de la personne (carnet ${s})`,
    cancel: (s: string) => `Annuler la remise du carnet ${s}`,
    cancelShort: 'Annuler la remise',
    more: 'Page suivante',
    confirmTitle: (s: string) => `Annuler la remise du carnet ${s}`,
    confirmText:
      'Le carnet revient dans votre stock et pourra être remis à quelqu’un d’autre. Refusé si un chèque du carnet a déjà été utilisé.',
    reason: 'Motif',
    reasons: {
      recorded_in_error: 'Saisie par erreur',
      not_collected: 'Carnet pas récupéré par la personne',
      beneficiary_declined: 'La personne a refusé le carnet',
      other: 'Autre motif',
    } as Record<Reason, string>,
    confirm: 'Confirmer l’annulation',
    keep: 'Ne rien changer',
    cancelled: (s: string) => `La remise du carnet ${s} est annulée : le carnet est de nouveau dans votre stock.`,
    handOver: 'Remettre un carnet',
  },
  en: {
    title: 'Past hand-overs',
    intro: 'The booklets your organisation handed over, oldest first.',
    order: 'Order',
    allOrders: 'All orders',
    loading: 'Loading…',
    empty: 'No hand-over yet.',
    caption: 'Booklet hand-overs',
    handedOn: 'Handed over on',
    serial: 'Booklet',
    contact: 'Contact details',
    yes: 'Yes, with consent',
    no: 'No',
    state: 'State',
    handed: 'Handed over',
    returned: (d: string, r: string) => `Cancelled on ${d} (${r})`,
    actions: 'Actions',
    personalData: (s: string) => `The person’s data (booklet ${s})`,
    cancel: (s: string) => `Cancel the hand-over of booklet ${s}`,
    cancelShort: 'Cancel the hand-over',
    more: 'Next page',
    confirmTitle: (s: string) => `Cancel the hand-over of booklet ${s}`,
    confirmText: 'The booklet comes back to your stock and may be handed to someone else. Refused once a voucher of the booklet was used.',
    reason: 'Reason',
    reasons: {
      recorded_in_error: 'Recorded in error',
      not_collected: 'Booklet not collected by the person',
      beneficiary_declined: 'The person declined the booklet',
      other: 'Other reason',
    } as Record<Reason, string>,
    confirm: 'Confirm the cancellation',
    keep: 'Change nothing',
    cancelled: (s: string) => `The hand-over of booklet ${s} is cancelled: the booklet is back in your stock.`,
    handOver: 'Hand a booklet over',
  },
};

const PROBLEMS = {
  HANDOVER_NOT_RETURNABLE: {
    fr: 'Cette remise ne peut pas être annulée : elle l’est déjà, ou un chèque du carnet a déjà été utilisé.',
    en: 'This hand-over cannot be cancelled: it already is, or a voucher of the booklet was already used.',
  },
};

/** The distributor's hand-overs (GET /v1/handovers), by order, with the cancellation of one recorded in error. */
export function HandOversPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [orderId, setOrderId] = useState('');
  const stock = useLoad(
    () => api.GET('/v1/distributors/{id}/stock', { params: { path: { id: me.organisation.id } } }),
    [me.organisation.id],
  );
  const orders = stock.data?.lines ?? [];
  const list = usePages<Handover>(
    (cursor) => api.GET('/v1/handovers', { params: { query: { limit: 50, order: 'newest', cursor, ...(orderId ? { orderId } : {}) } } }),
    [orderId],
  );
  const [cancelling, setCancelling] = useState<Handover | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const canAct = me.role === 'admin' || me.role === 'agent';
  const reference = (id: string) => orders.find((o) => o.orderId === id)?.orderReference ?? id.slice(0, 8);
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      {canAct && (
        <p>
          <Link href="/app/hand-over">{t.handOver}</Link>
        </p>
      )}
      {orders.length > 1 && (
        <div class="narrow">
          <Field id="order-filter" label={t.order}>
            {(aria) => (
              <select {...aria} value={orderId} onChange={(e) => setOrderId(valueOf(e))}>
                <option value="">{t.allOrders}</option>
                {orders.map((o) => (
                  <option key={o.orderId} value={o.orderId}>
                    {o.orderReference}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      <div role="status">{done && <p class="success">{done}</p>}</div>
      {cancelling && (
        <CancelHandover
          lang={lang}
          handover={cancelling}
          onClose={(message) => {
            setCancelling(undefined);
            if (message) {
              setDone(message);
              list.reload();
            }
          }}
        />
      )}
      <ProblemNotice lang={lang} problem={list.problem} />
      {!list.loading && list.items.length === 0 && !list.problem && <p>{t.empty}</p>}
      {list.items.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption class="muted">{t.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.serial}</th>
                <th scope="col">{t.handedOn}</th>
                <th scope="col">{t.order}</th>
                <th scope="col">{t.contact}</th>
                <th scope="col">{t.state}</th>
                {canAct && <th scope="col">{t.actions}</th>}
              </tr>
            </thead>
            <tbody>
              {list.items.map((h) => (
                <tr key={h.id} data-serial={h.bookletSerial}>
                  <th scope="row">{h.bookletSerial}</th>
                  <td>{formatDate(lang, h.handedOn)}</td>
                  <td>{reference(h.orderId)}</td>
                  <td>{h.withContact ? t.yes : t.no}</td>
                  <td>
                    {h.returnedAt
                      ? t.returned(formatDate(lang, h.returnedAt.slice(0, 10)), t.reasons[h.returnReason as Reason] ?? h.returnReason ?? '')
                      : t.handed}
                  </td>
                  {canAct && (
                    <td class="actions">
                      {me.role === 'admin' && h.beneficiaryId && (
                        <Link href={`/app/beneficiaries/${h.beneficiaryId}`}>{t.personalData(h.bookletSerial)}</Link>
                      )}
                      {!h.returnedAt && (
                        <button
                          type="button"
                          aria-label={t.cancel(h.bookletSerial)}
                          onClick={() => {
                            setDone(undefined);
                            setCancelling(h);
                          }}
                        >
                          {t.cancelShort}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.loading && <p aria-busy="true">{t.loading}</p>}
      {list.hasMore && (
        <button type="button" onClick={list.more} disabled={list.loading}>
          {t.more}
        </button>
      )}
    </section>
  );
}

/** The confirmation before a hand-over is undone: what happens, why, then confirm or keep. */
function CancelHandover({ lang, handover, onClose }: { lang: Lang; handover: Handover; onClose: (message?: string) => void }) {
  const t = TEXT[lang];
  const [reason, setReason] = useState<Reason>('recorded_in_error');
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => heading.current?.focus(), [handover.id]);
  async function confirm(e: Event) {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api
      .POST('/v1/handovers/{id}/return', { params: { path: { id: handover.id } }, body: { reasonCode: reason } })
      .catch(() => ({ data: undefined, error: undefined, response: undefined }));
    setBusy(false);
    if (data) onClose(t.cancelled(handover.bookletSerial));
    else setProblem(asProblem(error, response));
  }
  return (
    <section class="notice" aria-labelledby="cancel-title">
      <h2 id="cancel-title" tabIndex={-1} ref={heading}>
        {t.confirmTitle(handover.bookletSerial)}
      </h2>
      <p>{t.confirmText}</p>
      <ProblemNotice lang={lang} problem={problem} messages={PROBLEMS} />
      <form onSubmit={(e) => void confirm(e)}>
        <Field id="return-reason" label={t.reason}>
          {(aria) => (
            <select {...aria} value={reason} onChange={(e) => setReason(valueOf(e) as Reason)}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {t.reasons[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="danger" disabled={busy}>
            {t.confirm}
          </button>
          <button type="button" onClick={() => onClose()}>
            {t.keep}
          </button>
        </div>
      </form>
    </section>
  );
}
