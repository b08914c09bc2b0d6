import type { components } from '../../api/schema';
import { Link } from '../../router';
import { formatCents, Lang } from '../../i18n';
import { DownloadButton, formatDateTime, TableScroll, WORDS } from './common';

export type Statement = components['schemas']['StatementDto'];

const TEXT = {
  fr: {
    caption: 'Relevés de remboursement',
    number: 'Relevé',
    site: 'Lieu',
    cutoff: 'Date d’arrêté',
    vouchers: 'Chèques',
    face: 'Valeur faciale',
    commission: 'Commission',
    total: 'Dû au lieu',
    status: 'État',
    files: 'Fichiers',
    pdf: (n: string) => `PDF ${n}`,
    csv: (n: string) => `CSV ${n}`,
  },
  en: {
    caption: 'Reimbursement statements',
    number: 'Statement',
    site: 'Site',
    cutoff: 'Cutoff',
    vouchers: 'Vouchers',
    face: 'Face value',
    commission: 'Commission',
    total: 'Owed to the site',
    status: 'Status',
    files: 'Files',
    pdf: (n: string) => `PDF ${n}`,
    csv: (n: string) => `CSV ${n}`,
  },
};

/** Statements with their amounts and their PDF and CSV downloads (run detail, statements list). */
export function StatementTable({ lang, items, caption }: { lang: Lang; items: Statement[]; caption?: string }) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  return (
    <TableScroll label={caption ?? t.caption}>
      <table class="statements">
        <caption class="sr-only">{caption ?? t.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.number}</th>
            <th scope="col">{t.site}</th>
            <th scope="col">{t.cutoff}</th>
            <th scope="col" class="num">
              {t.vouchers}
            </th>
            <th scope="col" class="num">
              {t.face}
            </th>
            <th scope="col" class="num">
              {t.commission}
            </th>
            <th scope="col" class="num">
              {t.total}
            </th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.files}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id} data-number={s.number}>
              <th scope="row">
                <Link href={`/app/statements/${s.id}`}>{s.number}</Link>
              </th>
              <td>{s.siteName}</td>
              <td>{formatDateTime(lang, s.cutoff)}</td>
              <td class="num">{s.voucherCount}</td>
              <td class="num">{formatCents(lang, s.faceValueCents)}</td>
              <td class="num">{formatCents(lang, s.commissionCents)}</td>
              <td class="num total">{formatCents(lang, s.totalCents)}</td>
              <td>{w.statementStatus[s.status] ?? s.status}</td>
              <td>
                <DownloadButton
                  lang={lang}
                  url={`/v1/statements/${s.id}/pdf`}
                  name={`${s.number}.pdf`}
                  accept="application/pdf"
                  label="PDF"
                  ariaLabel={t.pdf(s.number)}
                />
                <DownloadButton
                  lang={lang}
                  url={`/v1/statements/${s.id}/csv`}
                  name={`${s.number}.csv`}
                  accept="text/csv"
                  label="CSV"
                  ariaLabel={t.csv(s.number)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
