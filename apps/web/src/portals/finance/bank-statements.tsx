import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { authorisedFetch } from '../../session';
import { Field } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { formatDateTime, MoreButton, TableScroll } from './common';
import { EntriesTable, ImportDetail, MatchReport } from './match-report';

type Import = components['schemas']['BankStatementImportDto'];
type Entry = components['schemas']['BankStatementEntryDto'];

const TEXT = {
  fr: {
    title: 'Relevés bancaires',
    intro:
      'Importez le relevé de compte de la banque (camt.053 en XML, ou l’export CSV de la banque) : chaque transaction est rapprochée du virement dont elle porte la référence, qui passe payé, rejeté ou retourné. Un même fichier n’est importé qu’une fois.',
    file: 'Fichier du relevé (camt.053 XML ou CSV, 20 Mo au plus)',
    fileHint: 'Le fichier tel que la banque l’a fourni.',
    noFile: 'Choisissez un fichier.',
    tooLarge: 'Ce fichier dépasse 20 Mo.',
    import: 'Importer et rapprocher',
    importing: 'Import en cours…',
    imported: (id: string) => `Relevé ${id} importé.`,
    again: (id: string) => `Ce fichier (relevé ${id}) avait déjà été importé : rien n’a changé. Voici son rapprochement.`,
    report: 'Rapprochement de ce relevé',
    open: 'Ouvrir la page de ce relevé bancaire',
    history: 'Relevés importés',
    statementId: 'Relevé',
    format: 'Format',
    importedAt: 'Importé le',
    transactions: 'Transactions',
    matched: 'Rapprochées',
    review: 'À vérifier',
    returned: 'Retournées ou rejetées',
    none: 'Aucun relevé importé.',
    reviewTitle: 'Transactions à vérifier, tous relevés',
    reviewIntro:
      'Montant différent du virement, aucun virement correspondant, ou contradiction avec son état : rien n’a été appliqué pour elles. Voyez-les avec la banque.',
    noReview: 'Aucune transaction à vérifier.',
  },
  en: {
    title: 'Bank statements',
    intro:
      'Import the bank’s account statement (camt.053 XML, or the bank’s CSV export): each transaction is matched with the transfer whose reference it carries, which becomes paid, rejected or returned. A file is imported once.',
    file: 'Statement file (camt.053 XML or CSV, at most 20 MB)',
    fileHint: 'The file as the bank gave it.',
    noFile: 'Choose a file.',
    tooLarge: 'This file is larger than 20 MB.',
    import: 'Import and match',
    importing: 'Importing…',
    imported: (id: string) => `Statement ${id} imported.`,
    again: (id: string) => `This file (statement ${id}) was imported before: nothing changed. Here is its match report.`,
    report: 'Match report of this statement',
    open: 'Open this bank statement’s page',
    history: 'Imported statements',
    statementId: 'Statement',
    format: 'Format',
    importedAt: 'Imported',
    transactions: 'Transactions',
    matched: 'Matched',
    review: 'To review',
    returned: 'Returned or rejected',
    none: 'No statement imported.',
    reviewTitle: 'Transactions to review, all statements',
    reviewIntro:
      'An amount that differs from the transfer, no matching transfer, or a contradiction with its state: nothing was applied for them. Check them with the bank.',
    noReview: 'No transaction to review.',
  },
};

const MESSAGES = {
  BANK_STATEMENT_EMPTY: { fr: 'Le fichier est vide.', en: 'The file is empty.' },
  BANK_STATEMENT_MALFORMED: {
    fr: 'Ce fichier n’est pas lisible comme un relevé camt.053 ou un export CSV de la banque : rien n’a été importé.',
    en: 'This file cannot be read as a camt.053 statement or a bank CSV export: nothing was imported.',
  },
  UNSUPPORTED_STATEMENT_TYPE: {
    fr: 'Seuls les relevés camt.053 (.xml) et les exports CSV (.csv) sont acceptés.',
    en: 'Only camt.053 statements (.xml) and CSV exports (.csv) are accepted.',
  },
  PAYLOAD_TOO_LARGE: { fr: TEXT.fr.tooLarge, en: TEXT.en.tooLarge },
};

const MAX_BYTES = 20 * 1024 * 1024;

/** Operator finance: import a bank statement (camt.053 or CSV) and read its match report; earlier imports. */
export function BankStatementsPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const [file, setFile] = useState<File>();
  const [fileError, setFileError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [result, setResult] = useState<{ report: ImportDetail; created: boolean }>();
  const imports = usePages<Import>((cursor) => api.GET('/v1/bank-statements', { params: { query: { cursor } } }), []);
  const review = usePages<Entry>((cursor) => api.GET('/v1/bank-statements/entries', { params: { query: { cursor } } }), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(undefined);
    setResult(undefined);
    if (!file) return setFileError(t.noFile);
    if (file.size > MAX_BYTES) return setFileError(t.tooLarge);
    setFileError(undefined);
    setBusy(true);
    try {
      const type = /\.csv$/i.test(file.name) || file.type === 'text/csv' ? 'text/csv' : 'application/xml';
      const response = await authorisedFetch(
        new Request('/v1/bank-statements', { method: 'POST', headers: { 'content-type': type }, body: await file.arrayBuffer() }),
      );
      const body: unknown = await response.json().catch(() => undefined);
      if (response.ok) {
        setResult({ report: body as ImportDetail, created: response.status === 201 });
        imports.reload();
        review.reload();
      } else setProblem(problemOf(lang, body, response));
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <form onSubmit={(e) => void submit(e)}>
        <Field id="bank-file" label={t.file} hint={t.fileHint} error={fileError}>
          {(aria) => (
            <input
              {...aria}
              type="file"
              accept=".xml,.csv,application/xml,text/xml,text/csv"
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0]);
                setFileError(undefined);
              }}
            />
          )}
        </Field>
        <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
        <button type="submit" class="primary" disabled={busy}>
          {t.import}
        </button>
        {busy && (
          <p role="status" aria-busy="true">
            {t.importing}
          </p>
        )}
      </form>
      {result && (
        <section aria-labelledby="report-title">
          <h2 id="report-title">{t.report}</h2>
          <p role="status" class="success">
            {result.created ? t.imported(result.report.bankStatementId) : t.again(result.report.bankStatementId)}
          </p>
          <MatchReport lang={lang} report={result.report} />
          <p>
            <Link href={`/app/bank-statements/${result.report.id}`}>{t.open}</Link>
          </p>
        </section>
      )}
      <h2>{t.history}</h2>
      <ProblemNotice lang={lang} problem={imports.problem} />
      {imports.items.length === 0 && !imports.loading ? (
        <p>{t.none}</p>
      ) : (
        <TableScroll label={t.history}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.statementId}</th>
                <th scope="col">{t.format}</th>
                <th scope="col">{t.importedAt}</th>
                <th scope="col" class="num">
                  {t.transactions}
                </th>
                <th scope="col" class="num">
                  {t.matched}
                </th>
                <th scope="col" class="num">
                  {t.returned}
                </th>
                <th scope="col" class="num">
                  {t.review}
                </th>
              </tr>
            </thead>
            <tbody>
              {imports.items.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <Link href={`/app/bank-statements/${i.id}`}>{i.bankStatementId}</Link>
                  </th>
                  <td>{i.format === 'camt053' ? 'camt.053' : 'CSV'}</td>
                  <td>{formatDateTime(lang, i.importedAt)}</td>
                  <td class="num">{i.transactionCount}</td>
                  <td class="num">{i.outcomes.paid + i.outcomes.already_applied}</td>
                  <td class="num">{i.outcomes.returned + i.outcomes.rejected}</td>
                  <td class="num">{i.outcomes.unmatched + i.outcomes.amount_mismatch + i.outcomes.conflict}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <MoreButton lang={lang} hasMore={imports.hasMore} loading={imports.loading} more={imports.more} />
      <section class="review" aria-labelledby="review-title">
        <h2 id="review-title">{t.reviewTitle}</h2>
        <p>{t.reviewIntro}</p>
        <ProblemNotice lang={lang} problem={review.problem} />
        {review.items.length === 0 && !review.loading ? (
          <p>{t.noReview}</p>
        ) : (
          <EntriesTable lang={lang} entries={review.items} label={t.reviewTitle} />
        )}
        <MoreButton lang={lang} hasMore={review.hasMore} loading={review.loading} more={review.more} />
      </section>
    </section>
  );
}

/** The refusal of a statement file: a 422 names the parser's reason, shown with the API's detail (where in the file). */
function problemOf(lang: 'fr' | 'en', body: unknown, response: Response): ApiProblem {
  const p = asProblem(body, response);
  const reason = (body as { reason?: string } | undefined)?.reason;
  if (p.code === 'BANK_STATEMENT_INVALID') {
    const lead = lang === 'fr' ? 'Ce relevé est refusé, rien n’a été importé' : 'This statement is refused, nothing was imported';
    return {
      ...p,
      code: 'BANK_STATEMENT_INVALID_SHOWN',
      detail: `${lead} (${reason ?? p.code}) : ${p.detail}`.replace(' : ', lang === 'fr' ? ' : ' : ': '),
    };
  }
  return p;
}
