import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import { BarChart } from '../ui/bar-chart';
import type { components } from '../api/schema';
import { formatCents, formatDate, formatRatio, Lang } from '../i18n';

type Report = components['schemas']['PolicyTransparencyDto'];

const TEXT = {
  fr: {
    title: 'Transparence',
    loading: 'Chargement des chiffres…',
    notFound: 'Cette politique publique n’est pas publiée, ou n’existe pas.',
    failed: 'Les chiffres n’ont pas pu être chargés. Réessayez dans un instant.',
    asOf: (d: string) => `Situation au ${d}`,
    summary: (r: Report, lang: Lang) =>
      `${formatCents(lang, r.obtainedCents)} ont été obtenus pour cette politique, dont ${formatCents(lang, r.attributedCents)} attribués. ` +
      `Les commandes payées représentent ${formatCents(lang, r.executedCents)} de chèques, dont ${formatCents(lang, r.cofinancedCents)} cofinancés.`,
    bars: ['Obtenu', 'Attribué', 'Exécuté (commandes payées)', 'Cofinancé'],
    chart: 'Montants de la politique',
    programmes: 'Par programme',
    programme: 'Programme',
    announcements: 'Annonces',
    announcement: 'Annonce',
    announced: 'Montant annoncé',
    useRate: 'Taux d’utilisation',
    proof: 'Preuve',
    proofText: (n: number) =>
      `Ces chiffres sont calculés à partir des événements scellés du journal d’audit, exactement au point de contrôle n° ${n}, signé par la plateforme.`,
    noProof: 'Aucun événement n’a encore été scellé : les chiffres sont nuls.',
    downloads: 'Télécharger : ',
  },
  en: {
    title: 'Transparency',
    loading: 'Loading the figures…',
    notFound: 'This policy is not published, or does not exist.',
    failed: 'The figures could not be loaded. Try again in a moment.',
    asOf: (d: string) => `As of ${d}`,
    summary: (r: Report, lang: Lang) =>
      `${formatCents(lang, r.obtainedCents)} was obtained for this policy, of which ${formatCents(lang, r.attributedCents)} was awarded. ` +
      `Paid orders amount to ${formatCents(lang, r.executedCents)} of vouchers, of which ${formatCents(lang, r.cofinancedCents)} co-financed.`,
    bars: ['Obtained', 'Awarded', 'Executed (paid orders)', 'Co-financed'],
    chart: 'Amounts of the policy',
    programmes: 'By programme',
    programme: 'Programme',
    announcements: 'Announcements',
    announcement: 'Announcement',
    announced: 'Announced amount',
    useRate: 'Use rate',
    proof: 'Proof',
    proofText: (n: number) =>
      `These figures are computed from the sealed events of the audit log, exactly as of checkpoint no. ${n}, signed by the platform.`,
    noProof: 'No event has been sealed yet: the figures are zero.',
    downloads: 'Download: ',
  },
};

/** The public transparency page of a published policy (no login): its figures, a chart, the proof. */
export function PublicTransparency({ slug, lang }: { slug: string; lang: Lang }) {
  const t = TEXT[lang];
  const [state, setState] = useState<{ report?: Report; error?: 'notFound' | 'failed' }>({});
  useEffect(() => {
    setState({});
    api
      .GET('/v1/public/policies/{slug}/transparency', { params: { path: { slug } } })
      .then(({ data, response }) => setState(data ? { report: data } : { error: response.status === 404 ? 'notFound' : 'failed' }))
      .catch(() => setState({ error: 'failed' }));
  }, [slug]);

  if (state.error) return <p role="alert">{t[state.error]}</p>;
  const r = state.report;
  if (!r) return <p aria-busy="true">{t.loading}</p>;
  const values = [r.obtainedCents, r.attributedCents, r.executedCents, r.cofinancedCents];
  return (
    <article>
      <h1>
        {t.title} — {r.name}
      </h1>
      <p class="muted">{t.asOf(formatDate(lang, r.asOf))}</p>
      <p class="summary">{t.summary(r, lang)}</p>
      <BarChart label={t.chart} bars={values.map((value, i) => ({ label: t.bars[i], value, text: formatCents(lang, value) }))} />
      <h2>{t.programmes}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.programme}</th>
            {t.bars.map((b) => (
              <th scope="col" key={b} class="num">
                {b}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.programmes.map((p) => (
            <tr key={p.programmeId}>
              <th scope="row">{p.name}</th>
              {[p.obtainedCents, p.attributedCents, p.executedCents, p.cofinancedCents].map((v, i) => (
                <td key={i} class="num">
                  {formatCents(lang, v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {r.announcements.length > 0 && (
        <>
          <h2>{t.announcements}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.announcement}</th>
                <th scope="col" class="num">
                  {t.announced}
                </th>
                <th scope="col" class="num">
                  {t.useRate}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.announcements.map((a) => (
                <tr key={a.announcementId}>
                  <th scope="row">
                    {a.label} ({formatDate(lang, a.announcedOn)})
                  </th>
                  <td class="num">
                    {a.amount
                      ? formatCents(lang, a.amount.amountCents)
                      : `${formatCents(lang, a.min!.amountCents)} – ${formatCents(lang, a.max!.amountCents)}`}
                  </td>
                  <td class="num">
                    {a.amount
                      ? formatRatio(lang, a.amount.useRate)
                      : `${formatRatio(lang, a.max!.useRate)} – ${formatRatio(lang, a.min!.useRate)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>{t.proof}</h2>
      <p>{r.checkpoint ? t.proofText(r.checkpoint.treeSize) : t.noProof}</p>
      <p>
        {t.downloads}
        <a href={`/v1/public/policies/${encodeURIComponent(slug)}/transparency?format=csv`}>CSV</a> ·{' '}
        <a href={`/v1/public/policies/${encodeURIComponent(slug)}/transparency?format=pdf`}>PDF</a>
      </p>
    </article>
  );
}
