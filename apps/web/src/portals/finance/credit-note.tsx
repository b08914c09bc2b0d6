import { api } from '../../api/client';
import { formatCents, formatDate } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { DownloadButton, TableScroll, WORDS } from './common';

const TEXT = {
  fr: {
    title: (n: string) => `Avoir ${n}`,
    back: 'Toutes les factures et tous les avoirs',
    order: 'Commande',
    credited: 'Facture créditée',
    issued: 'Émis le',
    expired: 'Chèques expirés sans être utilisés',
    face: 'Valeur faciale d’un chèque',
    unused: 'Valeur non utilisée',
    deduction: 'Incidents acceptés déduits',
    amount: 'Montant crédité',
    explain: (unused: string, deduction: string, amount: string) =>
      `Valeur non utilisée ${unused}, moins ${deduction} d’incidents acceptés imputés à la commande : ${amount} crédités.`,
    incidents: 'Incidents acceptés de la commande',
    incident: 'Incident',
    treatment: 'Traitement',
    kinds: { deducted: 'Déduit de cet avoir', invoiced: 'Facturé au financeur' } as Record<string, string>,
    invoice: 'Facture',
    noIncident: 'Aucun incident accepté sur cette commande.',
    pdf: 'Télécharger le PDF',
    xml: 'Télécharger l’avoir électronique (UBL)',
  },
  en: {
    title: (n: string) => `Credit note ${n}`,
    back: 'All invoices and credit notes',
    order: 'Order',
    credited: 'Invoice credited',
    issued: 'Issued',
    expired: 'Vouchers that expired unused',
    face: 'Face value of a voucher',
    unused: 'Unused face value',
    deduction: 'Accepted incidents deducted',
    amount: 'Amount credited',
    explain: (unused: string, deduction: string, amount: string) =>
      `Unused face value ${unused}, less ${deduction} of accepted incidents charged to the order: ${amount} credited.`,
    incidents: 'Accepted incidents of the order',
    incident: 'Incident',
    treatment: 'Treatment',
    kinds: { deducted: 'Deducted from this credit note', invoiced: 'Invoiced to the funder' } as Record<string, string>,
    invoice: 'Invoice',
    noIncident: 'No accepted incident on this order.',
    pdf: 'Download the PDF',
    xml: 'Download the e-credit note (UBL)',
  },
};

/** One expiry credit note: what expired, the accepted incidents deducted or invoiced, the amount credited; its files. */
export function CreditNotePage({ lang, params }: PageProps) {
  const t = TEXT[lang];
  const found = useLoad(() => api.GET('/v1/credit-notes/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const n = found.data;
  if (!n) return found.problem ? <ProblemNotice lang={lang} problem={found.problem} /> : <p aria-busy="true">{WORDS[lang].loading}</p>;
  const money = (c: number) => formatCents(lang, c);
  return (
    <section>
      <p>
        <Link href="/app/invoices">{t.back}</Link>
      </p>
      <h1>{t.title(n.number)}</h1>
      <p class="summary">{t.explain(money(n.unusedFaceValueCents), money(n.incidentDeductionCents), money(n.amountCents))}</p>
      <dl class="facts">
        <dt>{t.order}</dt>
        <dd>{n.orderReference}</dd>
        <dt>{t.credited}</dt>
        <dd>{n.creditedInvoiceNumber}</dd>
        <dt>{t.issued}</dt>
        <dd>{formatDate(lang, n.issuedOn)}</dd>
        <dt>{t.expired}</dt>
        <dd>{n.expiredVoucherCount}</dd>
        <dt>{t.face}</dt>
        <dd>{money(n.faceValueCents)}</dd>
        <dt>{t.unused}</dt>
        <dd>{money(n.unusedFaceValueCents)}</dd>
        <dt>{t.deduction}</dt>
        <dd>{money(n.incidentDeductionCents)}</dd>
        <dt>{t.amount}</dt>
        <dd class="credited-amount">{money(n.amountCents)}</dd>
      </dl>
      <p>
        <DownloadButton
          lang={lang}
          primary
          url={`/v1/credit-notes/${n.id}/pdf`}
          name={`${n.number}.pdf`}
          accept="application/pdf"
          label={t.pdf}
        />
        <DownloadButton lang={lang} url={`/v1/credit-notes/${n.id}/xml`} name={`${n.number}.xml`} accept="application/xml" label={t.xml} />
      </p>
      <h2>{t.incidents}</h2>
      {n.incidents.length === 0 ? (
        <p>{t.noIncident}</p>
      ) : (
        <TableScroll label={t.incidents}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.incident}</th>
                <th scope="col">{t.treatment}</th>
                <th scope="col" class="num">
                  {t.amount}
                </th>
                <th scope="col">{t.invoice}</th>
              </tr>
            </thead>
            <tbody>
              {n.incidents.map((i) => (
                <tr key={i.incidentId}>
                  <th scope="row">
                    <code>{i.incidentId.slice(0, 8)}</code>
                  </th>
                  <td>{t.kinds[i.kind] ?? i.kind}</td>
                  <td class="num">{money(i.amountCents)}</td>
                  <td>{i.invoiceNumber ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
