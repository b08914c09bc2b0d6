import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import { formatCents, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { downloadFile } from '../../session';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { MoreButton } from '../../ui/more-button';
import { usePages } from '../../ui/use-pages';
import './site.css';

const TEXT = {
  fr: {
    title: 'Encaissements',
    from: 'Du',
    to: 'Au',
    includeUndone: 'Montrer les encaissements annulés',
    totals: (n: number, v: number, a: string) => `${n} encaissement${n > 1 ? 's' : ''}, ${v} chèque${v > 1 ? 's' : ''}, ${a}.`,
    byCategory: 'Par prestation',
    category: 'Prestation',
    count: 'Encaissements',
    vouchers: 'Chèques',
    amount: 'Montant',
    list: 'Détail',
    when: 'Date du service',
    booklet: 'Carnet',
    state: 'État',
    undone: 'Annulé',
    done: 'Encaissé',
    undo: 'Annuler',
    undoReason: 'Motif d’annulation',
    reasons: {
      scan_error: 'Erreur de scan',
      wrong_voucher: 'Mauvais chèque',
      service_cancelled: 'Prestation annulée',
      duplicate_entry: 'Saisie en double',
      other: 'Autre',
    },
    confirmUndo: 'Confirmer l’annulation',
    cancel: 'Garder',
    undoneOk: 'Encaissement annulé : ses chèques peuvent être utilisés à nouveau.',
    csv: 'Télécharger en CSV',
    none: 'Aucun encaissement sur cette période.',
  },
  en: {
    title: 'Redemptions',
    from: 'From',
    to: 'To',
    includeUndone: 'Show undone redemptions',
    totals: (n: number, v: number, a: string) => `${n} redemption${n > 1 ? 's' : ''}, ${v} voucher${v > 1 ? 's' : ''}, ${a}.`,
    byCategory: 'By service',
    category: 'Service',
    count: 'Redemptions',
    vouchers: 'Vouchers',
    amount: 'Amount',
    list: 'Detail',
    when: 'Service date',
    booklet: 'Booklet',
    state: 'State',
    undone: 'Undone',
    done: 'Redeemed',
    undo: 'Undo',
    undoReason: 'Reason for undoing',
    reasons: {
      scan_error: 'Scan error',
      wrong_voucher: 'Wrong voucher',
      service_cancelled: 'Service cancelled',
      duplicate_entry: 'Entered twice',
      other: 'Other',
    },
    confirmUndo: 'Confirm undo',
    cancel: 'Keep it',
    undoneOk: 'Redemption undone: its vouchers can be used again.',
    csv: 'Download as CSV',
    none: 'No redemption in this period.',
  },
};

const UNDO_MESSAGES = {
  UNDO_WINDOW_CLOSED: {
    fr: 'Trop tard : une annulation se fait dans les 24 heures.',
    en: 'Too late: undoing is possible within 24 hours.',
  },
  ALREADY_SETTLED: {
    fr: 'Cet encaissement est déjà sur un relevé de paiement : il ne peut plus être annulé.',
    en: 'This redemption is already on a payment statement: it can no longer be undone.',
  },
  ALREADY_UNDONE: { fr: 'Cet encaissement est déjà annulé.', en: 'This redemption is already undone.' },
};

type Reason = keyof (typeof TEXT)['fr']['reasons'];

const dateTime = (lang: Lang, iso: string) =>
  new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(
    new Date(iso),
  );

/** What the site redeemed: totals for a period, by service, the list (undo within 24 h) and a CSV. */
export function RedemptionsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [includeUndone, setIncludeUndone] = useState(true);
  const [undoing, setUndoing] = useState<string>();
  const [reason, setReason] = useState<Reason>('scan_error');
  const [notice, setNotice] = useState<{ ok?: string; problem?: ApiProblem }>({});
  const query = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const totals = useLoad(() => api.GET('/v1/redemptions/totals', { params: { query } }), [from, to]);
  const list = usePages(
    (cursor) =>
      api.GET('/v1/redemptions', {
        params: { query: { ...query, includeUndone: includeUndone ? 'true' : 'false', ...(cursor ? { cursor } : {}) } },
      }),
    [from, to, includeUndone],
  );
  const categories = useLoad(() => api.GET('/v1/service-categories', { params: { query: { limit: 100 } } }), []);
  const label = (code: string) => {
    const c = categories.data?.items.find((x) => x.code === code);
    return c ? (lang === 'fr' ? c.labelFr : c.labelEn) : code;
  };
  const undo = async (id: string) => {
    const { error, response } = await api.POST('/v1/redemptions/{id}/undo', { params: { path: { id } }, body: { reasonCode: reason } });
    setUndoing(undefined);
    if (response.ok) {
      setNotice({ ok: t.undoneOk });
      list.reload();
      totals.reload();
    } else setNotice({ problem: asProblem(error, response) });
  };
  const csvQuery = new URLSearchParams({ ...query, includeUndone: includeUndone ? 'true' : 'false' }).toString();
  return (
    <section>
      <h1>{t.title}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Field id="from" label={t.from}>
          {(aria) => <input {...aria} type="date" value={from} onChange={(e) => setFrom(valueOf(e))} />}
        </Field>
        <Field id="to" label={t.to}>
          {(aria) => <input {...aria} type="date" value={to} onChange={(e) => setTo(valueOf(e))} />}
        </Field>
        <label class="check">
          <input type="checkbox" checked={includeUndone} onChange={(e) => setIncludeUndone(e.currentTarget.checked)} /> {t.includeUndone}
        </label>
      </form>
      <ProblemNotice lang={lang} problem={totals.problem ?? list.problem} />
      {totals.data && (
        <>
          <p class="big totals">{t.totals(totals.data.count, totals.data.vouchers, formatCents(lang, totals.data.amountCents))}</p>
          {totals.data.byCategory.length > 0 && (
            <table>
              <caption>{t.byCategory}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.category}</th>
                  <th scope="col" class="num">
                    {t.count}
                  </th>
                  <th scope="col" class="num">
                    {t.vouchers}
                  </th>
                  <th scope="col" class="num">
                    {t.amount}
                  </th>
                </tr>
              </thead>
              <tbody>
                {totals.data.byCategory.map((c) => (
                  <tr key={c.serviceCategoryCode}>
                    <th scope="row">{label(c.serviceCategoryCode)}</th>
                    <td class="num">{c.count}</td>
                    <td class="num">{c.vouchers}</td>
                    <td class="num">{formatCents(lang, c.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <p>
        <button type="button" onClick={() => void downloadFile(`/v1/redemptions/export.csv?${csvQuery}`, 'encaissements.csv')}>
          {t.csv}
        </button>
      </p>
      {notice.ok && <p role="status">{notice.ok}</p>}
      <ProblemNotice lang={lang} problem={notice.problem} messages={UNDO_MESSAGES} />
      <h2>{t.list}</h2>
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      {list.items.length > 0 && (
        <table class="redemptions">
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.category}</th>
              <th scope="col">{t.booklet}</th>
              <th scope="col" class="num">
                {t.vouchers}
              </th>
              <th scope="col" class="num">
                {t.amount}
              </th>
              <th scope="col">{t.state}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((r) => (
              <tr key={r.id}>
                <td>{dateTime(lang, r.occurredAt)}</td>
                <td>{label(r.serviceCategoryCode)}</td>
                <td>{r.bookletSerial}</td>
                <td class="num">{r.vouchers.length}</td>
                <td class="num">{formatCents(lang, r.amountCents)}</td>
                <td>
                  {r.undoneAt ? (
                    t.undone
                  ) : undoing === r.id ? (
                    <div class="undo">
                      <Field id={`reason-${r.id}`} label={t.undoReason}>
                        {(aria) => (
                          <select {...aria} value={reason} onChange={(e) => setReason(valueOf(e) as Reason)}>
                            {(Object.keys(t.reasons) as Reason[]).map((k) => (
                              <option key={k} value={k}>
                                {t.reasons[k]}
                              </option>
                            ))}
                          </select>
                        )}
                      </Field>
                      <button type="button" class="primary" onClick={() => void undo(r.id)}>
                        {t.confirmUndo}
                      </button>{' '}
                      <button type="button" onClick={() => setUndoing(undefined)}>
                        {t.cancel}
                      </button>
                    </div>
                  ) : (
                    <>
                      {t.done}{' '}
                      {new Date(r.undoableUntil) > new Date() && me.role !== 'viewer' && (
                        <button type="button" onClick={() => setUndoing(r.id)}>
                          {t.undo}
                        </button>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
    </section>
  );
}
