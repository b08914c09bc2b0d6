import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { eurosToCents, formatCents, formatDate, Lang, parisToday } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import { MoreButton } from '../../ui/more-button';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { useOrgNames } from '../operator/common';
import { TableScroll } from './common';

type Order = components['schemas']['OrderDto'];

const TEXT = {
  fr: {
    title: 'Paiements des commandes',
    intro:
      'Les commandes confirmées attendent le virement du financeur. Enregistrez chaque virement reçu (référence bancaire, date, montant) : une commande payée en entier active ses chèques.',
    reference: 'Commande',
    funder: 'Financeur',
    due: 'Montant dû',
    paid: 'Déjà payé',
    left: 'Reste à payer',
    action: 'Action',
    record: (ref: string) => `Enregistrer un virement pour ${ref}`,
    bankReference: 'Référence du virement',
    bankReferenceHint: 'Telle qu’elle figure sur le relevé bancaire ; enregistrer deux fois la même référence ne change rien.',
    paidOn: 'Reçu le',
    paidOnHint: (d: string) => `Entre le ${d} (date de la commande) et aujourd’hui.`,
    amount: 'Montant reçu (€)',
    amountHint: 'Par exemple 1 240,50',
    badAmount: 'Saisissez un montant en euros, par exemple 1240,50.',
    noReference: 'Saisissez la référence du virement.',
    save: 'Enregistrer le virement',
    cancel: 'Annuler',
    fullyPaid: (ref: string) => `${ref} est payée en entier : ses chèques sont actifs.`,
    partlyPaid: (ref: string, left: string) => `Virement enregistré pour ${ref} ; il reste ${left} à payer.`,
    already: (ref: string) => `Ce virement était déjà enregistré pour ${ref} : rien n’a changé.`,
    none: 'Aucune commande n’attend de paiement.',
  },
  en: {
    title: 'Order payments',
    intro:
      'Confirmed orders wait for the funder’s transfer. Record each transfer received (bank reference, date, amount): an order paid in full activates its vouchers.',
    reference: 'Order',
    funder: 'Funder',
    due: 'Amount due',
    paid: 'Paid so far',
    left: 'Left to pay',
    action: 'Action',
    record: (ref: string) => `Record a transfer for ${ref}`,
    bankReference: 'Transfer reference',
    bankReferenceHint: 'As it appears on the bank statement; recording the same reference twice changes nothing.',
    paidOn: 'Received on',
    paidOnHint: (d: string) => `Between ${d} (the order date) and today.`,
    amount: 'Amount received (€)',
    amountHint: 'For example 1240.50',
    badAmount: 'Type an amount in euros, for example 1240.50.',
    noReference: 'Type the transfer reference.',
    save: 'Record the transfer',
    cancel: 'Cancel',
    fullyPaid: (ref: string) => `${ref} is paid in full: its vouchers are active.`,
    partlyPaid: (ref: string, left: string) => `Transfer recorded for ${ref}; ${left} left to pay.`,
    already: (ref: string) => `This transfer was already recorded for ${ref}: nothing changed.`,
    none: 'No order waits for a payment.',
  },
};

const MESSAGES = {
  PAYMENT_EXCEEDS_DUE: { fr: 'Ce montant dépasse ce qui reste à payer.', en: 'This amount is more than what is left to pay.' },
  DATES_OUT_OF_ORDER: {
    fr: 'La date de réception doit être entre la date de la commande et aujourd’hui.',
    en: 'The date received must be between the order date and today.',
  },
  PAYMENT_REFERENCE_CONFLICT: {
    fr: 'Cette référence de virement est déjà enregistrée avec un autre montant ou une autre commande.',
    en: 'This transfer reference is already recorded with another amount or order.',
  },
  ORDER_STATE_CONFLICT: { fr: 'Cette commande n’attend plus de paiement.', en: 'This order no longer waits for a payment.' },
};

/** Operator finance: the confirmed orders waiting for their funder's transfer, and recording each transfer received. */
export function OrderPaymentsPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const [open, setOpen] = useState<string>();
  const [status, setStatus] = useState<string>();
  const orders = usePages((cursor) => api.GET('/v1/purchase-orders', { params: { query: { status: 'confirmed', cursor } } }), []);
  const funder = useOrgNames(orders.items.map((o) => o.funderId));
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      {status && <p role="status">{status}</p>}
      <ProblemNotice lang={lang} problem={orders.problem} />
      {!orders.loading && orders.items.length === 0 && <p>{t.none}</p>}
      {orders.items.length > 0 && (
        <TableScroll label={t.title}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.reference}</th>
                <th scope="col">{t.funder}</th>
                <th scope="col" class="num">
                  {t.due}
                </th>
                <th scope="col" class="num">
                  {t.paid}
                </th>
                <th scope="col" class="num">
                  {t.left}
                </th>
                <th scope="col">{t.action}</th>
              </tr>
            </thead>
            <tbody>
              {orders.items.map((o) => (
                <tr key={o.id} data-order={o.reference}>
                  <th scope="row">{o.reference}</th>
                  <td>{funder(o.funderId)}</td>
                  <td class="num">{formatCents(lang, o.amountDueCents ?? 0)}</td>
                  <td class="num">{formatCents(lang, o.paidCents)}</td>
                  <td class="num">{formatCents(lang, (o.amountDueCents ?? 0) - o.paidCents)}</td>
                  <td>
                    {open === o.id ? (
                      <PaymentForm
                        lang={lang}
                        order={o}
                        onCancel={() => setOpen(undefined)}
                        onRecorded={(message) => {
                          setOpen(undefined);
                          setStatus(message);
                          orders.reload();
                        }}
                      />
                    ) : (
                      <button type="button" onClick={() => (setStatus(undefined), setOpen(o.id))}>
                        {t.record(o.reference)}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <MoreButton lang={lang} hasMore={orders.hasMore} loading={orders.loading} more={orders.more} />
    </section>
  );
}

function PaymentForm({
  lang,
  order,
  onCancel,
  onRecorded,
}: {
  lang: Lang;
  order: Order;
  onCancel: () => void;
  onRecorded: (m: string) => void;
}) {
  const t = TEXT[lang];
  const left = (order.amountDueCents ?? 0) - order.paidCents;
  const [reference, setReference] = useState('');
  const [paidOn, setPaidOn] = useState(parisToday());
  const [amount, setAmount] = useState((left / 100).toFixed(2).replace('.', lang === 'fr' ? ',' : '.'));
  const [errors, setErrors] = useState<{ reference?: string; amount?: string }>({});
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const cents = eurosToCents(amount);
    const found = { reference: reference.trim() ? undefined : t.noReference, amount: cents && cents > 0 ? undefined : t.badAmount };
    setErrors(found);
    if (found.reference || found.amount) return;
    setBusy(true);
    const { data, error, response } = await api
      .POST('/v1/purchase-orders/{id}/payments', {
        params: { path: { id: order.id } },
        body: { reference: reference.trim(), paidOn, amountCents: cents! },
      })
      .catch(() => ({ data: undefined, error: undefined, response: undefined }));
    setBusy(false);
    if (!data) return setProblem(asProblem(error, response));
    const after = data.order;
    onRecorded(
      !data.recorded
        ? t.already(order.reference)
        : after.status === 'paid'
          ? t.fullyPaid(order.reference)
          : t.partlyPaid(order.reference, formatCents(lang, (after.amountDueCents ?? 0) - after.paidCents)),
    );
  };
  return (
    <form class="payment-form" onSubmit={(e) => void submit(e)} noValidate aria-label={t.record(order.reference)}>
      <Field id={`ref-${order.id}`} label={t.bankReference} hint={t.bankReferenceHint} error={errors.reference}>
        {(a) => <input {...a} maxLength={140} value={reference} onInput={(e) => setReference(valueOf(e))} autoFocus />}
      </Field>
      <Field id={`on-${order.id}`} label={t.paidOn} hint={t.paidOnHint(formatDate(lang, order.orderedOn))}>
        {(a) => <input {...a} type="date" min={order.orderedOn} max={parisToday()} value={paidOn} onInput={(e) => setPaidOn(valueOf(e))} />}
      </Field>
      <Field id={`amount-${order.id}`} label={t.amount} hint={t.amountHint} error={errors.amount}>
        {(a) => <input {...a} inputMode="decimal" value={amount} onInput={(e) => setAmount(valueOf(e))} />}
      </Field>
      <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t.save}
        </button>
        <button type="button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
