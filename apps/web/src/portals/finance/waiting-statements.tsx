import type { components } from '../../api/schema';
import { formatCents, Lang } from '../../i18n';
import { ProblemNotice } from '../../ui/problem';
import type { useLoad } from '../../ui/use-load';
import { WORDS } from './common';

const TEXT = {
  fr: {
    waitingIntro: (min: string) =>
      `Un lieu est payé quand il a un compte bancaire vérifié, n’est pas suspendu et que ses relevés impayés atteignent ${min}.`,
    site: 'Lieu',
    amount: 'Montant',
    statements: 'Relevés',
    why: 'Pourquoi',
    nextBatch: 'Payé dans le prochain lot',
    noneWaiting: 'Aucun relevé impayé.',
  },
  en: {
    waitingIntro: (min: string) =>
      `A site is paid once it has a verified bank account, is not suspended and its unpaid statements reach ${min}.`,
    site: 'Site',
    amount: 'Amount',
    statements: 'Statements',
    why: 'Why',
    nextBatch: 'Paid in the next batch',
    noneWaiting: 'No unpaid statement.',
  },
};

type Waiting = components['schemas']['WaitingPageDto'];

/** The sites whose unpaid statements wait, and why (GET /v1/payouts/waiting), on the batches and payouts screens. */
export function WaitingStatements({ lang, waiting }: { lang: Lang; waiting: ReturnType<typeof useLoad<Waiting>> }) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  return (
    <>
      <ProblemNotice lang={lang} problem={waiting.problem} />
      {waiting.data && (
        <>
          <p>{t.waitingIntro(formatCents(lang, waiting.data.minimumCents))}</p>
          {waiting.data.items.length === 0 ? (
            <p>{t.noneWaiting}</p>
          ) : (
            <table class="waiting">
              <thead>
                <tr>
                  <th scope="col">{t.site}</th>
                  <th scope="col" class="num">
                    {t.amount}
                  </th>
                  <th scope="col" class="num">
                    {t.statements}
                  </th>
                  <th scope="col">{t.why}</th>
                </tr>
              </thead>
              <tbody>
                {waiting.data.items.map((i) => (
                  <tr key={i.siteId}>
                    <th scope="row">{i.siteName}</th>
                    <td class="num">{formatCents(lang, i.amountCents)}</td>
                    <td class="num">{i.statements}</td>
                    <td>{i.waitingReason ? (w.waitingReason[i.waitingReason] ?? i.waitingReason) : t.nextBatch}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
