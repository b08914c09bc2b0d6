import type { components } from '../../api/schema';
import { formatCents, formatDate, Lang } from '../../i18n';
import { TableScroll, WORDS } from './common';

export type ImportDetail = components['schemas']['BankStatementImportDetailDto'];
type Outcomes = components['schemas']['OutcomeCountsDto'];

export const OUTCOMES = {
  fr: {
    paid: 'Rapproché : virement payé',
    already_applied: 'Déjà rapproché par un relevé précédent',
    rejected: 'Rejeté par la banque (jamais débité)',
    returned: 'Retourné par la banque après paiement',
    amount_mismatch: 'À vérifier : montant différent du virement',
    unmatched: 'À vérifier : aucun virement ne correspond',
    conflict: 'À vérifier : contredit l’état du virement',
    not_booked: 'Non comptabilisé (en attente ou information)',
  } as Record<string, string>,
  en: {
    paid: 'Matched: transfer paid',
    already_applied: 'Already matched by an earlier statement',
    rejected: 'Rejected by the bank (never debited)',
    returned: 'Returned by the bank after payment',
    amount_mismatch: 'To review: amount differs from the transfer',
    unmatched: 'To review: no transfer matches',
    conflict: 'To review: contradicts the transfer’s state',
    not_booked: 'Not booked (pending or information)',
  } as Record<string, string>,
};

const ORDER: (keyof Outcomes)[] = [
  'paid',
  'already_applied',
  'returned',
  'rejected',
  'unmatched',
  'amount_mismatch',
  'conflict',
  'not_booked',
];

const TEXT = {
  fr: {
    summary: (o: Outcomes, n: number) =>
      `${n} transaction${n > 1 ? 's' : ''} lue${n > 1 ? 's' : ''} : ${o.paid + o.already_applied} rapprochée${o.paid + o.already_applied > 1 ? 's' : ''}, ` +
      `${o.returned + o.rejected} retournée${o.returned + o.rejected > 1 ? 's' : ''} ou rejetée${o.returned + o.rejected > 1 ? 's' : ''}, ` +
      `${o.unmatched + o.amount_mismatch + o.conflict} à vérifier.`,
    counts: 'Résultat du rapprochement',
    outcome: 'Résultat',
    count: 'Transactions',
    entries: 'Transactions du relevé, dans l’ordre du fichier',
    position: 'N°',
    date: 'Date comptable',
    amount: 'Montant',
    direction: 'Sens',
    debit: 'Débit',
    credit: 'Crédit',
    reference: 'Référence (EndToEndId)',
    payout: 'État du virement maintenant',
    note: 'Remarque (en anglais)',
    reason: 'motif',
  },
  en: {
    summary: (o: Outcomes, n: number) =>
      `${n} transaction${n === 1 ? '' : 's'} read: ${o.paid + o.already_applied} matched, ${o.returned + o.rejected} returned or rejected, ` +
      `${o.unmatched + o.amount_mismatch + o.conflict} to review.`,
    counts: 'Match report',
    outcome: 'Outcome',
    count: 'Transactions',
    entries: 'Transactions of the statement, in file order',
    position: 'No.',
    date: 'Booking date',
    amount: 'Amount',
    direction: 'Direction',
    debit: 'Debit',
    credit: 'Credit',
    reference: 'Reference (EndToEndId)',
    payout: 'Transfer status now',
    note: 'Note',
    reason: 'reason',
  },
};

/** What an import did: counts per outcome (matched, returned, to review…) and every transaction with its outcome. */
export function MatchReport({ lang, report }: { lang: Lang; report: ImportDetail }) {
  const t = TEXT[lang];
  const o = report.outcomes;
  return (
    <div class="match-report">
      <p class="summary">{t.summary(o, report.transactionCount)}</p>
      <h2>{t.counts}</h2>
      <table class="outcomes">
        <thead>
          <tr>
            <th scope="col">{t.outcome}</th>
            <th scope="col" class="num">
              {t.count}
            </th>
          </tr>
        </thead>
        <tbody>
          {ORDER.map((k) => (
            <tr key={k} data-outcome={k}>
              <th scope="row">{OUTCOMES[lang][k]}</th>
              <td class="num">{o[k]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t.entries}</h2>
      <EntriesTable lang={lang} entries={report.entries} label={t.entries} />
    </div>
  );
}

type Entry = components['schemas']['BankStatementEntryDto'];

/** Transactions of bank statements with their outcome (an import's, or those left for review). */
export function EntriesTable({ lang, entries, label }: { lang: Lang; entries: Entry[]; label: string }) {
  const t = TEXT[lang];
  return (
    <TableScroll label={label}>
      <table class="entries">
        <thead>
          <tr>
            <th scope="col">{t.position}</th>
            <th scope="col">{t.date}</th>
            <th scope="col" class="num">
              {t.amount}
            </th>
            <th scope="col">{t.direction}</th>
            <th scope="col">{t.reference}</th>
            <th scope="col">{t.outcome}</th>
            <th scope="col">{t.payout}</th>
            <th scope="col">{t.note}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.importId}-${e.position}`} data-outcome={e.outcome}>
              <th scope="row">{e.position}</th>
              <td>{e.bookingDate ? formatDate(lang, e.bookingDate) : '—'}</td>
              <td class="num">{formatCents(lang, e.amountCents ?? e.entryAmountCents)}</td>
              <td>{e.direction === 'debit' ? t.debit : t.credit}</td>
              <td>{e.endToEndId ? <code>{e.endToEndId}</code> : '—'}</td>
              <td>
                {OUTCOMES[lang][e.outcome] ?? e.outcome}
                {e.returnReason && ` (${t.reason} ${e.returnReason})`}
              </td>
              <td>{e.payoutStatus ? (WORDS[lang].payoutStatus[e.payoutStatus] ?? e.payoutStatus) : '—'}</td>
              <td lang="en">{e.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
