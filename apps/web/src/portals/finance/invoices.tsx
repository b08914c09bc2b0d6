import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents, formatDate } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { DownloadButton, MoreButton, TableScroll, WORDS } from './common';
import { OrgPicker } from './org-picker';

type Invoice = components['schemas']['InvoiceSummaryDto'];

const TEXT = {
  fr: {
    title: 'Factures et avoirs',
    introOperator: 'Les factures et avoirs émis à tous les financeurs, du plus ancien au plus récent.',
    introFunder:
      'Les factures de vos commandes et les avoirs reçus (chèques expirés sans être utilisés), du plus ancien au plus récent. Chacun se télécharge en PDF, ou en facture électronique UBL (Chorus Pro).',
    kind: 'Type de document',
    kinds: { invoice: 'Facture', credit_note: 'Avoir' } as Record<string, string>,
    year: 'Année d’émission',
    yearHint: 'Par exemple 2026. Vide : toutes les années.',
    yearInvalid: 'Saisissez une année entre 2000 et 2100.',
    funder: 'financeur',
    number: 'Numéro',
    issued: 'Émis le',
    taxExclusive: 'Montant HT',
    vat: 'TVA',
    payable: 'Total TTC',
    credited: 'sur',
    files: 'Fichiers',
    pdf: (n: string) => `PDF ${n}`,
    ubl: (n: string) => `UBL ${n}`,
    none: 'Aucun document pour ces critères.',
  },
  en: {
    title: 'Invoices and credit notes',
    introOperator: 'Invoices and credit notes issued to every funder, oldest first.',
    introFunder:
      'The invoices of your orders and the credit notes you received (vouchers that expired unused), oldest first. Each downloads as PDF, or as a UBL e-invoice (Chorus Pro).',
    kind: 'Document type',
    kinds: { invoice: 'Invoice', credit_note: 'Credit note' } as Record<string, string>,
    year: 'Year issued',
    yearHint: 'For example 2026. Empty: every year.',
    yearInvalid: 'Type a year between 2000 and 2100.',
    funder: 'funder',
    number: 'Number',
    issued: 'Issued',
    taxExclusive: 'Excl. VAT',
    vat: 'VAT',
    payable: 'Total incl. VAT',
    credited: 'for',
    files: 'Files',
    pdf: (n: string) => `PDF ${n}`,
    ubl: (n: string) => `UBL ${n}`,
    none: 'No document for these filters.',
  },
};

/** Invoices and credit notes: the operator's (all funders, filter by funder) and a funder's own; PDF and UBL downloads. */
export function InvoicesPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const operator = me.organisation.kinds.includes('operator');
  const [kind, setKind] = useState('');
  const [yearText, setYearText] = useState('');
  const [funderId, setFunderId] = useState('');
  const year = /^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= 2100 ? Number(yearText) : undefined;
  const yearError = yearText !== '' && year === undefined ? t.yearInvalid : undefined;
  const docs = usePages<Invoice>(
    (cursor) =>
      api.GET('/v1/invoices', {
        params: {
          query: { cursor, kind: (kind || undefined) as Invoice['kind'] | undefined, year, funderId: funderId || undefined },
        },
      }),
    [kind, year, funderId],
  );
  const numbers = new Map(docs.items.map((d) => [d.id, d.number]));
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{operator ? t.introOperator : t.introFunder}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Field id="invoice-kind" label={t.kind}>
          {(aria) => (
            <select {...aria} value={kind} onChange={(e) => setKind(valueOf(e))}>
              <option value="">{w.all}</option>
              {Object.entries(t.kinds).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="invoice-year" label={t.year} hint={t.yearHint} error={yearError}>
          {(aria) => (
            <input {...aria} inputMode="numeric" maxLength={4} size={6} value={yearText} onInput={(e) => setYearText(valueOf(e).trim())} />
          )}
        </Field>
        {operator && <OrgPicker lang={lang} id="invoice-funder" kind="funder" noun={t.funder} value={funderId} onChange={setFunderId} />}
      </form>
      <ProblemNotice lang={lang} problem={docs.problem} />
      {docs.items.length === 0 && !docs.loading ? (
        <p>{t.none}</p>
      ) : (
        <TableScroll label={t.title}>
          <table class="invoices">
            <thead>
              <tr>
                <th scope="col">{t.number}</th>
                <th scope="col">{t.kind}</th>
                <th scope="col">{t.issued}</th>
                <th scope="col" class="num">
                  {t.taxExclusive}
                </th>
                <th scope="col" class="num">
                  {t.vat}
                </th>
                <th scope="col" class="num">
                  {t.payable}
                </th>
                <th scope="col">{t.files}</th>
              </tr>
            </thead>
            <tbody>
              {docs.items.map((d) => (
                <tr key={d.id} data-number={d.number}>
                  <th scope="row">{d.kind === 'credit_note' ? <Link href={`/app/credit-notes/${d.id}`}>{d.number}</Link> : d.number}</th>
                  <td>
                    {t.kinds[d.kind] ?? d.kind}
                    {d.creditedInvoiceId && numbers.has(d.creditedInvoiceId) && ` ${t.credited} ${numbers.get(d.creditedInvoiceId)}`}
                  </td>
                  <td>{formatDate(lang, d.issuedOn)}</td>
                  <td class="num">{formatCents(lang, d.taxExclusiveCents)}</td>
                  <td class="num">{formatCents(lang, d.vatCents)}</td>
                  <td class="num payable">{formatCents(lang, d.payableCents)}</td>
                  <td>
                    <DownloadButton
                      lang={lang}
                      url={`/v1/invoices/${d.id}/pdf`}
                      name={`${d.number}.pdf`}
                      accept="application/pdf"
                      label="PDF"
                      ariaLabel={t.pdf(d.number)}
                    />
                    <DownloadButton
                      lang={lang}
                      url={`/v1/invoices/${d.id}/ubl`}
                      name={`${d.number}.xml`}
                      accept="application/xml"
                      label="UBL"
                      ariaLabel={t.ubl(d.number)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <MoreButton lang={lang} hasMore={docs.hasMore} loading={docs.loading} more={docs.more} />
    </section>
  );
}
