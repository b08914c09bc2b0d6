import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents, formatDate, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { addDays, parisToday, SOON_DAYS, useFunderNames } from './common';
import './distributor.css';

type Line = components['schemas']['StockLineDto'];

const TEXT = {
  fr: {
    title: 'Stock de carnets',
    loading: 'Chargement du stock…',
    intro: 'Les carnets que les financeurs vous ont confiés, par financeur et par commande.',
    inStock: 'En stock',
    handedOver: 'Remis',
    soon: 'À remettre bientôt',
    soonHint: `carnets en stock dont la distribution s’arrête dans les ${SOON_DAYS} jours`,
    empty: 'Aucun carnet ne vous a encore été confié.',
    funder: (name: string) => `Financeur : ${name}`,
    order: 'Commande',
    blocked: 'Dont bloqués',
    face: 'Valeur d’un chèque',
    until: 'Remise possible jusqu’au',
    validity: 'Chèques valables jusqu’au',
    status: 'Échéance',
    ended: 'Distribution terminée',
    endsSoon: (n: number) => (n === 0 ? 'S’arrête aujourd’hui' : `S’arrête dans ${n} jour${n > 1 ? 's' : ''}`),
    ok: '—',
    handOver: 'Remettre un carnet',
    total: 'Total',
  },
  en: {
    title: 'Booklet stock',
    loading: 'Loading the stock…',
    intro: 'The booklets funders have entrusted to you, by funder and order.',
    inStock: 'In stock',
    handedOver: 'Handed over',
    soon: 'To hand over soon',
    soonHint: `booklets in stock whose distribution stops within ${SOON_DAYS} days`,
    empty: 'No booklet has been entrusted to you yet.',
    funder: (name: string) => `Funder: ${name}`,
    order: 'Order',
    blocked: 'Of which blocked',
    face: 'Voucher value',
    until: 'May be handed over until',
    validity: 'Vouchers valid until',
    status: 'Deadline',
    ended: 'Distribution ended',
    endsSoon: (n: number) => (n === 0 ? 'Stops today' : `Stops in ${n} day${n > 1 ? 's' : ''}`),
    ok: '—',
    handOver: 'Hand a booklet over',
    total: 'Total',
  },
};

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Booklets in stock, handed over and soon out of distribution, for a line or a set of lines. */
export function stockFigures(lines: Line[], today = parisToday()) {
  const soonLimit = addDays(today, SOON_DAYS);
  return {
    inStock: lines.reduce((a, l) => a + l.allocated, 0),
    handedOver: lines.reduce((a, l) => a + l.distributed, 0),
    soon: lines.filter((l) => l.distributionEndsOn >= today && l.distributionEndsOn <= soonLimit).reduce((a, l) => a + l.allocated, 0),
  };
}

/** The distributor's stock per funder and order (GET /v1/distributors/{id}/stock), with what must go out soon. */
export function StockPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const stock = useLoad(
    () => api.GET('/v1/distributors/{id}/stock', { params: { path: { id: me.organisation.id } } }),
    [me.organisation.id],
  );
  const lines = stock.data?.lines ?? [];
  const names = useFunderNames(lines.map((l) => l.funderId));
  const today = parisToday();
  const funders = [...new Set(lines.map((l) => l.funderId))];
  const all = stockFigures(lines, today);
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <ProblemNotice lang={lang} problem={stock.problem} />
      {stock.loading && !stock.data && <p aria-busy="true">{t.loading}</p>}
      {stock.data && (
        <>
          <dl class="tiles">
            <div>
              <dt>{t.inStock}</dt>
              <dd data-figure="in-stock">{all.inStock}</dd>
            </div>
            <div>
              <dt>{t.handedOver}</dt>
              <dd data-figure="handed-over">{all.handedOver}</dd>
            </div>
            <div>
              <dt>{t.soon}</dt>
              <dd data-figure="soon">{all.soon}</dd>
              <dd class="hint">{t.soonHint}</dd>
            </div>
          </dl>
          {me.role !== 'viewer' && me.role !== 'finance' && all.inStock > 0 && (
            <p>
              <Link href="/app/hand-over">{t.handOver}</Link>
            </p>
          )}
          {lines.length === 0 && <p>{t.empty}</p>}
          {funders.map((funderId) => (
            <FunderStock
              key={funderId}
              lang={lang}
              name={names[funderId] ?? funderId}
              lines={lines.filter((l) => l.funderId === funderId)}
              today={today}
            />
          ))}
        </>
      )}
    </section>
  );
}

function FunderStock({ lang, name, lines, today }: { lang: Lang; name: string; lines: Line[]; today: string }) {
  const t = TEXT[lang];
  const id = `funder-${lines[0].funderId}`;
  const f = stockFigures(lines, today);
  return (
    <section aria-labelledby={id} class="funder-stock">
      <h2 id={id}>{t.funder(name)}</h2>
      <div class="table-scroll">
        <table aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">{t.order}</th>
              <th scope="col" class="num">
                {t.inStock}
              </th>
              <th scope="col" class="num">
                {t.blocked}
              </th>
              <th scope="col" class="num">
                {t.handedOver}
              </th>
              <th scope="col" class="num">
                {t.face}
              </th>
              <th scope="col">{t.until}</th>
              <th scope="col">{t.validity}</th>
              <th scope="col">{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => {
              const left = daysBetween(today, l.distributionEndsOn);
              return (
                <tr key={l.orderId} data-order={l.orderReference}>
                  <th scope="row">{l.orderReference}</th>
                  <td class="num">{l.allocated}</td>
                  <td class="num">{l.blocked}</td>
                  <td class="num">{l.distributed}</td>
                  <td class="num">{formatCents(lang, l.faceValueCents)}</td>
                  <td>{formatDate(lang, l.distributionEndsOn)}</td>
                  <td>{formatDate(lang, l.validityEndDate)}</td>
                  <td class={left < 0 ? 'muted' : left <= SOON_DAYS && l.allocated > 0 ? 'warn' : undefined}>
                    {left < 0 ? t.ended : left <= SOON_DAYS ? t.endsSoon(left) : t.ok}
                  </td>
                </tr>
              );
            })}
          </tbody>
          {lines.length > 1 && (
            <tfoot>
              <tr>
                <th scope="row">{t.total}</th>
                <td class="num">{f.inStock}</td>
                <td class="num">{lines.reduce((a, l) => a + l.blocked, 0)}</td>
                <td class="num">{f.handedOver}</td>
                <td colSpan={4} />
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </section>
  );
}
