import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDate } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import './distributor.css';

type Notice = components['schemas']['NoticeDto'];

const TEXT = {
  fr: {
    title: 'Alertes d’échéance',
    intro:
      'La plateforme vous prévient 30, 15 et 7 jours avant la fin de validité des chèques d’une commande dont vous avez des carnets, et le jour où leur distribution s’arrête.',
    loading: 'Chargement…',
    empty: 'Aucune alerte pour l’instant.',
    received: (d: string) => `Reçue le ${d}`,
    left: 'Carnets restant à remettre',
    until: 'Remise possible jusqu’au',
    validity: 'Chèques valables jusqu’au',
    read: (d: string) => `Lue le ${d}`,
    unread: 'Non lue',
    markRead: (title: string) => `Marquer comme lue : ${title}`,
    markReadShort: 'Marquer comme lue',
    more: 'Page suivante',
    stock: 'Voir le stock',
  },
  en: {
    title: 'Expiry notices',
    intro:
      'The platform tells you 30, 15 and 7 days before the vouchers of an order whose booklets you hold expire, and on the day their distribution stops.',
    loading: 'Loading…',
    empty: 'No notice yet.',
    received: (d: string) => `Received on ${d}`,
    left: 'Booklets left to hand over',
    until: 'May be handed over until',
    validity: 'Vouchers valid until',
    read: (d: string) => `Read on ${d}`,
    unread: 'Unread',
    markRead: (title: string) => `Mark as read: ${title}`,
    markReadShort: 'Mark as read',
    more: 'Next page',
    stock: 'See the stock',
  },
};

/** The organisation's expiry and stop-distribution notices (GET /v1/notices), each marked read by a click. */
export function NoticesPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const list = usePages<Notice>((cursor) => api.GET('/v1/notices', { params: { query: { limit: 20, cursor } } }), []);
  const [read, setRead] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  async function markRead(n: Notice) {
    setProblem(undefined);
    const { data, error, response } = await api
      .POST('/v1/notices/{id}/read', { params: { path: { id: n.id } } })
      .catch(() => ({ data: undefined, error: undefined, response: undefined }));
    if (data?.readAt) setRead((r) => ({ ...r, [n.id]: data.readAt! }));
    else setProblem(asProblem(error, response));
  }
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <p>
        <Link href="/app/stock">{t.stock}</Link>
      </p>
      <ProblemNotice lang={lang} problem={list.problem ?? problem} />
      {!list.loading && list.items.length === 0 && !list.problem && <p>{t.empty}</p>}
      {list.items.map((n) => {
        const readAt = read[n.id] ?? n.readAt;
        const title = lang === 'fr' ? n.titleFr : n.titleEn;
        return (
          <article key={n.id} class="notice" aria-labelledby={`notice-${n.id}`} data-kind={n.kind}>
            <h2 id={`notice-${n.id}`} class={readAt ? undefined : 'unread'}>
              {title}
            </h2>
            <p class="muted">
              {t.received(formatDate(lang, n.createdAt.slice(0, 10)))} · {readAt ? t.read(formatDate(lang, readAt.slice(0, 10))) : t.unread}
            </p>
            <dl class="facts">
              <dt>{t.left}</dt>
              <dd>{n.remainingBooklets}</dd>
              <dt>{t.until}</dt>
              <dd>{formatDate(lang, n.distributionEndsOn)}</dd>
              <dt>{t.validity}</dt>
              <dd>{formatDate(lang, n.validityEndDate)}</dd>
            </dl>
            {!readAt && (
              <p>
                <button type="button" aria-label={t.markRead(title)} onClick={() => void markRead(n)}>
                  {t.markReadShort}
                </button>
              </p>
            )}
          </article>
        );
      })}
      {list.loading && <p aria-busy="true">{t.loading}</p>}
      {list.hasMore && (
        <button type="button" onClick={list.more} disabled={list.loading}>
          {t.more}
        </button>
      )}
    </section>
  );
}
