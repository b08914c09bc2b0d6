import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { formatCents, formatDate } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { formatCount, ORDER_STATUS, OrderStatus } from './common';
import './funder.css';

const TEXT = {
  fr: {
    title: 'Bons de commande',
    intro: 'Vos commandes de carnets : brouillons à confirmer, commandes en attente de paiement, commandes payées.',
    create: 'Nouvelle commande',
    status: 'Statut',
    all: 'Tous',
    reference: 'Référence',
    orderedOn: 'Commandée le',
    booklets: 'Carnets',
    vouchers: 'Chèques',
    faceValue: 'Valeur faciale',
    due: 'Montant dû',
    paid: 'Payé',
    validity: 'Valable jusqu’au',
    caption: 'Vos bons de commande, dans l’ordre où ils ont été créés',
    none: 'Aucune commande avec ce statut.',
    more: 'Page suivante',
    loading: 'Chargement…',
    historical: 'historique',
    count: (n: number) => `${n} commande${n > 1 ? 's' : ''} affichée${n > 1 ? 's' : ''}`,
  },
  en: {
    title: 'Purchase orders',
    intro: 'Your booklet orders: drafts to confirm, orders awaiting payment, paid orders.',
    create: 'New order',
    status: 'Status',
    all: 'All',
    reference: 'Reference',
    orderedOn: 'Ordered on',
    booklets: 'Booklets',
    vouchers: 'Vouchers',
    faceValue: 'Face value',
    due: 'Amount due',
    paid: 'Paid',
    validity: 'Valid until',
    caption: 'Your purchase orders, in the order they were created',
    none: 'No order with this status.',
    more: 'Next page',
    loading: 'Loading…',
    historical: 'historical',
    count: (n: number) => `${n} order${n > 1 ? 's' : ''} shown`,
  },
};

const STATUSES: OrderStatus[] = ['draft', 'confirmed', 'paid', 'closed', 'cancelled'];

/** The funder's purchase orders, filtered by status, a page at a time. */
export function OrdersPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const list = usePages(
    (cursor) => api.GET('/v1/purchase-orders', { params: { query: { status: status || undefined, cursor, limit: 20 } } }),
    [status],
  );
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      {me.role === 'admin' && (
        <p>
          <Link href="/app/orders/new" class="button-link">
            {t.create}
          </Link>
        </p>
      )}
      <div class="filters">
        <Field id="order-status" label={t.status}>
          {(aria) => (
            <select {...aria} value={status} onChange={(e) => setStatus(valueOf(e) as OrderStatus | '')}>
              <option value="">{t.all}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {ORDER_STATUS[s][lang]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ProblemNotice lang={lang} problem={list.problem} />
      <div class="table-scroll">
        <table>
          <caption>{t.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.reference}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.orderedOn}</th>
              <th scope="col" class="num">
                {t.booklets}
              </th>
              <th scope="col" class="num">
                {t.vouchers}
              </th>
              <th scope="col" class="num">
                {t.faceValue}
              </th>
              <th scope="col" class="num">
                {t.due}
              </th>
              <th scope="col" class="num">
                {t.paid}
              </th>
              <th scope="col">{t.validity}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((o) => (
              <tr key={o.id}>
                <th scope="row">
                  <Link href={`/app/orders/${o.id}`}>{o.reference}</Link>
                  {o.historical && <span class="tag"> ({t.historical})</span>}
                </th>
                <td>{ORDER_STATUS[o.status][lang]}</td>
                <td>{formatDate(lang, o.orderedOn)}</td>
                <td class="num">{formatCount(lang, o.bookletCount)}</td>
                <td class="num">{formatCount(lang, o.voucherCount)}</td>
                <td class="num">{formatCents(lang, o.totalFaceValueCents)}</td>
                <td class="num">{o.amountDueCents === null ? '—' : formatCents(lang, o.amountDueCents)}</td>
                <td class="num">{formatCents(lang, o.paidCents)}</td>
                <td>{formatDate(lang, o.validityEndDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!list.loading && list.items.length === 0 && !list.problem && <p>{t.none}</p>}
      <p role="status" class="muted">
        {list.loading ? t.loading : t.count(list.items.length)}
      </p>
      {list.hasMore && (
        <button type="button" onClick={list.more} disabled={list.loading}>
          {t.more}
        </button>
      )}
    </section>
  );
}
