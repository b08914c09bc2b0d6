import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents, formatDate, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { downloadFile } from '../../session';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { ConfirmAction, formatBp, formatCount, formatDateTime, Order, ORDER_STATUS, parisToday, usePolling } from './common';
import { ORDER_MESSAGES } from './order-new';
import './funder.css';

type PrintFile = components['schemas']['PrintFileDto'];

const TEXT = {
  fr: {
    title: (ref: string) => `Commande ${ref}`,
    loading: 'Chargement…',
    back: 'Toutes les commandes',
    status: 'Statut',
    orderedOn: 'Commandée le',
    booklets: 'Carnets',
    perBooklet: 'Chèques par carnet',
    vouchers: 'Chèques',
    faceValue: 'Valeur d’un chèque',
    totalFaceValue: 'Valeur faciale totale',
    fee: 'Frais de gestion',
    vat: 'TVA sur les frais',
    due: 'Montant dû (valeur faciale + frais + TVA)',
    paid: 'Déjà payé',
    remaining: 'Reste à payer',
    paidOn: 'Payée le',
    validity: 'Dernier jour de validité',
    deadline: 'Dernier jour de service accepté',
    expires: 'Expiration des chèques non utilisés',
    stopDistribution: 'Fin de la distribution',
    eligibility: 'Éligibilité',
    everywhere: 'tout le territoire',
    departments: 'départements',
    communes: 'communes',
    allServices: 'tous les services',
    services: 'services',
    bearer: 'carnets au porteur (utilisables avant remise)',
    dueAtConfirm: 'fixé à la confirmation',
    // Actions
    actions: 'Actions',
    confirm: 'Confirmer la commande',
    confirmQuestion: (due: string) =>
      `Confirmer cette commande ? La facture est émise aussitôt (${due} hors frais) et les carnets sont fabriqués. Une commande confirmée ne peut plus être modifiée.`,
    confirmYes: 'Oui, confirmer et facturer',
    confirmed: 'Commande confirmée : la facture est émise et les carnets sont en cours de fabrication.',
    cancel: 'Annuler la commande',
    cancelQuestion: 'Annuler cette commande ? Ses chèques seront annulés et sa facture fera l’objet d’un avoir. C’est définitif.',
    cancelYes: 'Oui, annuler la commande',
    cancelled: 'La commande est annulée.',
    booklets_: 'Voir les carnets (bloquer, remplacer)',
    allocate: 'Attribuer des carnets à un distributeur',
    // Issuance
    issuance: 'Fabrication des carnets',
    issuanceProgress: 'Carnets fabriqués',
    issuanceText: (done: number, total: number) => `${done} carnets fabriqués sur ${total}.`,
    issuanceDone: (at: string) => `Tous les carnets sont fabriqués (${at}).`,
    // Payment
    payment: 'Paiement',
    paymentHow:
      'Réglez la facture par virement à l’opérateur en indiquant son numéro. L’opérateur enregistre le paiement à réception : la commande passe alors à « Payée » et ses chèques deviennent utilisables.',
    paymentDraft: 'La facture sera émise quand vous confirmerez la commande.',
    paymentWaiting: (rest: string) => `En attente de paiement : ${rest} restent à payer.`,
    paymentDone: (on: string) => `Commande payée intégralement le ${on} : ses chèques sont utilisables.`,
    payments: 'Paiements reçus',
    noPayment: 'Aucun paiement reçu pour le moment.',
    bankReference: 'Référence du virement',
    receivedOn: 'Reçu le',
    amount: 'Montant',
    // Invoices
    invoices: 'Factures et avoirs',
    noInvoice: 'Aucune facture pour le moment.',
    number: 'Numéro',
    kind: 'Type',
    invoice: 'Facture',
    creditNote: 'Avoir',
    issuedOn: 'Émise le',
    taxExclusive: 'Hors taxes',
    vatAmount: 'TVA',
    payable: 'Total',
    download: 'Télécharger',
    pdf: (n: string) => `PDF de ${n}`,
    ubl: (n: string) => `Facture électronique (UBL) de ${n}`,
    downloadFailed: 'Le téléchargement a échoué. Réessayez.',
    creditNotes: 'Avoirs à l’expiration',
    creditNotesIntro: 'À l’expiration, la valeur des chèques non utilisés vous est rendue par un avoir sur la facture de la commande.',
    expiredVouchers: 'Chèques expirés',
    unused: 'Valeur non utilisée',
    deduction: 'Incidents déduits',
    credited: 'Montant de l’avoir',
    onInvoice: 'Sur la facture',
    cnPdf: (n: string) => `PDF de l’avoir ${n}`,
    cnXml: (n: string) => `Avoir électronique (UBL) ${n}`,
    // Print files
    print: 'Fichiers d’impression',
    printIntro: 'Le fichier PDF contient les couvertures et les chèques prêts à imprimer ; le CSV sert à un imprimeur externe.',
    printNotYet: 'Les fichiers d’impression sont disponibles une fois tous les carnets fabriqués.',
    printPdf: 'Générer le PDF à imprimer',
    printCsv: 'Générer le CSV pour l’imprimeur',
    printProgress: 'Préparation du fichier d’impression',
    printRequested: 'Le fichier d’impression est en préparation.',
    printReady: 'Le fichier d’impression est prêt.',
    format: 'Format',
    part: 'Partie',
    range: 'Carnets',
    fileStatus: 'État',
    size: 'Taille',
    noPrint: 'Aucun fichier d’impression demandé.',
    printStatus: { pending: 'en attente', rendering: 'en cours', ready: 'prêt', failed: 'échec, nouvel essai automatique' },
    downloadPart: (format: string, part: number, parts: number) => `Télécharger le ${format} (partie ${part} sur ${parts})`,
    // Validity
    extend: 'Prolonger la validité',
    extendIntro: 'La prolongation vaut pour toute la commande ; les QR codes déjà imprimés restent valables.',
    newEndDate: 'Nouveau dernier jour de validité',
    reason: 'Motif',
    reasonHint: 'Il est conservé dans le journal d’audit.',
    extendButton: 'Prolonger',
    extendQuestion: (d: string) => `Prolonger la validité de toute la commande jusqu’au ${d} ?`,
    extendYes: 'Oui, prolonger',
    extended: (from: string, to: string) => `Validité prolongée : du ${from} au ${to}.`,
    needDate: 'Choisissez une date.',
    needReason: 'Indiquez le motif.',
  },
  en: {
    title: (ref: string) => `Order ${ref}`,
    loading: 'Loading…',
    back: 'All orders',
    status: 'Status',
    orderedOn: 'Ordered on',
    booklets: 'Booklets',
    perBooklet: 'Vouchers per booklet',
    vouchers: 'Vouchers',
    faceValue: 'Value of one voucher',
    totalFaceValue: 'Total face value',
    fee: 'Management fee',
    vat: 'VAT on the fee',
    due: 'Amount due (face value + fee + VAT)',
    paid: 'Paid so far',
    remaining: 'Left to pay',
    paidOn: 'Paid on',
    validity: 'Last day of validity',
    deadline: 'Last day a service counts',
    expires: 'Unused vouchers expire on',
    stopDistribution: 'Distribution ends',
    eligibility: 'Eligibility',
    everywhere: 'the whole territory',
    departments: 'departments',
    communes: 'communes',
    allServices: 'every service',
    services: 'services',
    bearer: 'bearer booklets (usable before hand-over)',
    dueAtConfirm: 'set on confirmation',
    actions: 'Actions',
    confirm: 'Confirm the order',
    confirmQuestion: (due: string) =>
      `Confirm this order? The invoice is issued at once (${due} before fees) and the booklets are made. A confirmed order can no longer be changed.`,
    confirmYes: 'Yes, confirm and invoice',
    confirmed: 'Order confirmed: the invoice is issued and the booklets are being made.',
    cancel: 'Cancel the order',
    cancelQuestion: 'Cancel this order? Its vouchers become void and its invoice is credited. This is final.',
    cancelYes: 'Yes, cancel the order',
    cancelled: 'The order is cancelled.',
    booklets_: 'See the booklets (block, replace)',
    allocate: 'Allocate booklets to a distributor',
    issuance: 'Making the booklets',
    issuanceProgress: 'Booklets made',
    issuanceText: (done: number, total: number) => `${done} of ${total} booklets made.`,
    issuanceDone: (at: string) => `Every booklet is made (${at}).`,
    payment: 'Payment',
    paymentHow:
      'Pay the invoice by bank transfer to the operator, quoting its number. The operator records the payment when it arrives: the order then becomes “Paid” and its vouchers usable.',
    paymentDraft: 'The invoice is issued when you confirm the order.',
    paymentWaiting: (rest: string) => `Awaiting payment: ${rest} left to pay.`,
    paymentDone: (on: string) => `Order paid in full on ${on}: its vouchers are usable.`,
    payments: 'Payments received',
    noPayment: 'No payment received yet.',
    bankReference: 'Transfer reference',
    receivedOn: 'Received on',
    amount: 'Amount',
    invoices: 'Invoices and credit notes',
    noInvoice: 'No invoice yet.',
    number: 'Number',
    kind: 'Kind',
    invoice: 'Invoice',
    creditNote: 'Credit note',
    issuedOn: 'Issued on',
    taxExclusive: 'Before tax',
    vatAmount: 'VAT',
    payable: 'Total',
    download: 'Download',
    pdf: (n: string) => `PDF of ${n}`,
    ubl: (n: string) => `E-invoice (UBL) of ${n}`,
    downloadFailed: 'The download failed. Try again.',
    creditNotes: 'Credit notes at expiry',
    creditNotesIntro: 'At expiry, the value of the unused vouchers is given back to you by a credit note on the order’s invoice.',
    expiredVouchers: 'Vouchers expired',
    unused: 'Unused value',
    deduction: 'Incidents deducted',
    credited: 'Amount credited',
    onInvoice: 'On invoice',
    cnPdf: (n: string) => `PDF of credit note ${n}`,
    cnXml: (n: string) => `E-credit note (UBL) ${n}`,
    print: 'Print files',
    printIntro: 'The PDF holds the covers and vouchers ready to print; the CSV is for an external printer.',
    printNotYet: 'Print files are available once every booklet is made.',
    printPdf: 'Generate the PDF to print',
    printCsv: 'Generate the CSV for the printer',
    printProgress: 'Preparing the print file',
    printRequested: 'The print file is being prepared.',
    printReady: 'The print file is ready.',
    format: 'Format',
    part: 'Part',
    range: 'Booklets',
    fileStatus: 'State',
    size: 'Size',
    noPrint: 'No print file requested.',
    printStatus: { pending: 'waiting', rendering: 'in progress', ready: 'ready', failed: 'failed, retried automatically' },
    downloadPart: (format: string, part: number, parts: number) => `Download the ${format} (part ${part} of ${parts})`,
    extend: 'Extend the validity',
    extendIntro: 'The extension applies to the whole order; QR codes already printed stay valid.',
    newEndDate: 'New last day of validity',
    reason: 'Reason',
    reasonHint: 'It is kept in the audit log.',
    extendButton: 'Extend',
    extendQuestion: (d: string) => `Extend the validity of the whole order to ${d}?`,
    extendYes: 'Yes, extend',
    extended: (from: string, to: string) => `Validity extended: from ${from} to ${to}.`,
    needDate: 'Choose a date.',
    needReason: 'Give the reason.',
  },
};

const MESSAGES = {
  ...ORDER_MESSAGES,
  ORDER_STATE_CONFLICT: {
    fr: 'La commande a changé d’état entre-temps : la page est rechargée.',
    en: 'The order changed state in the meantime: the page is reloaded.',
  },
  ORDER_HAS_PAYMENTS: {
    fr: 'Cette commande a déjà reçu un paiement : elle ne peut plus être annulée.',
    en: 'This order has been paid in part: it can no longer be cancelled.',
  },
  VALIDITY_NOT_LATER: {
    fr: 'La nouvelle date doit être postérieure à la fin de validité actuelle.',
    en: 'The new date must be after the current validity end date.',
  },
  ISSUANCE_IN_PROGRESS: {
    fr: 'Les carnets ne sont pas encore tous fabriqués : réessayez dans un instant.',
    en: 'The booklets are not all made yet: try again in a moment.',
  },
  PRINT_FILE_NOT_READY: {
    fr: 'Ce fichier n’est pas prêt ou n’est plus disponible : générez-le à nouveau.',
    en: 'This file is not ready or no longer available: generate it again.',
  },
};

/** One purchase order: its figures, confirmation, payment status, invoices, print files and validity. */
export function OrderPage({ lang, me, params }: PageProps) {
  const t = TEXT[lang];
  const order = useLoad(() => api.GET('/v1/purchase-orders/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const [problem, setProblem] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const o = order.data;
  const issuing = !!o && o.status !== 'draft' && o.status !== 'cancelled' && !!o.issuance && !o.issuance.completedAt;
  usePolling(issuing, 1000, order.reload);

  if (!o) return order.problem ? <ProblemNotice lang={lang} problem={order.problem} /> : <p aria-busy="true">{t.loading}</p>;
  const admin = me.role === 'admin';

  const act = async (call: () => Promise<{ data?: unknown; error?: unknown; response: Response }>, done: string) => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const { data, error, response } = await call();
      if (data) setNotice(done);
      else {
        setProblem(asProblem(error, response));
        if (response.status === 409) order.reload();
      }
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
      order.reload();
    }
  };

  return (
    <article>
      <p>
        <Link href="/app/orders">{t.back}</Link>
      </p>
      <h1>{t.title(o.reference)}</h1>
      <OrderFacts lang={lang} o={o} />
      <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
      <p role="status" class="ok">
        {notice}
      </p>
      {admin && (o.status === 'draft' || o.status === 'confirmed') && (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">{t.actions}</h2>
          <div class="actions">
            {o.status === 'draft' && (
              <ConfirmAction
                lang={lang}
                primary
                disabled={busy}
                label={t.confirm}
                question={t.confirmQuestion(formatCents(lang, o.totalFaceValueCents))}
                confirmLabel={t.confirmYes}
                onConfirm={() => act(() => api.POST('/v1/purchase-orders/{id}/confirm', { params: { path: { id: o.id } } }), t.confirmed)}
              />
            )}
            {o.paidCents === 0 && (
              <ConfirmAction
                lang={lang}
                disabled={busy}
                label={t.cancel}
                question={t.cancelQuestion}
                confirmLabel={t.cancelYes}
                onConfirm={() =>
                  act(() => api.POST('/v1/purchase-orders/{id}/cancel', { params: { path: { id: o.id } }, body: {} }), t.cancelled)
                }
              />
            )}
          </div>
        </section>
      )}
      {o.issuance && o.status !== 'cancelled' && (
        <section aria-labelledby="issuance-title">
          <h2 id="issuance-title">{t.issuance}</h2>
          {o.issuance.completedAt ? (
            <p>{t.issuanceDone(formatDateTime(lang, o.issuance.completedAt))}</p>
          ) : (
            <div class="progress-block">
              <label for="issuance-progress">{t.issuanceProgress}</label>
              <progress id="issuance-progress" max={o.issuance.bookletCount} value={o.issuance.bookletsIssued} />
              <p aria-live="polite">{t.issuanceText(o.issuance.bookletsIssued, o.issuance.bookletCount)}</p>
            </div>
          )}
        </section>
      )}
      {(o.status === 'confirmed' || o.status === 'paid' || o.status === 'closed') && (
        <p class="actions">
          <Link href={`/app/orders/${o.id}/booklets`}>{t.booklets_}</Link>
          {o.status === 'paid' && me.role !== 'viewer' && me.role !== 'finance' && (
            <Link href={`/app/allocations?order=${o.id}`}>{t.allocate}</Link>
          )}
        </p>
      )}
      <Payment lang={lang} o={o} />
      <Invoices lang={lang} orderId={o.id} key={o.status} />
      {(admin || me.role === 'finance') && <CreditNotes lang={lang} orderId={o.id} />}
      {admin && o.status !== 'draft' && o.status !== 'cancelled' && !o.historical && (
        <PrintFiles lang={lang} orderId={o.id} issued={!!o.issuance?.completedAt} />
      )}
      {admin && (o.status === 'draft' || o.status === 'confirmed' || o.status === 'paid') && !o.historical && (
        <ExtendValidity lang={lang} o={o} onDone={order.reload} />
      )}
    </article>
  );
}

function OrderFacts({ lang, o }: { lang: Lang; o: Order }) {
  const t = TEXT[lang];
  const stopOn = addDays(o.validityEndDate, -o.stopDistributionDays);
  const where = [
    o.departmentCodes.length ? `${t.departments} ${o.departmentCodes.join(', ')}` : '',
    o.communeCodes.length ? `${t.communes} ${o.communeCodes.join(', ')}` : '',
  ].filter(Boolean);
  const eligibility = [
    where.length ? where.join(' ; ') : t.everywhere,
    o.serviceCategoryCodes.length ? `${t.services} ${o.serviceCategoryCodes.join(', ')}` : t.allServices,
    o.redeemableBeforeDistribution ? t.bearer : '',
  ].filter(Boolean);
  const rows: [string, string, string?][] = [
    [t.status, ORDER_STATUS[o.status][lang], 'status'],
    [t.orderedOn, formatDate(lang, o.orderedOn)],
    [t.booklets, formatCount(lang, o.bookletCount), 'booklets'],
    [t.perBooklet, formatCount(lang, o.vouchersPerBooklet)],
    [t.vouchers, formatCount(lang, o.voucherCount), 'vouchers'],
    [t.faceValue, formatCents(lang, o.faceValueCents)],
    [t.totalFaceValue, formatCents(lang, o.totalFaceValueCents), 'total-face-value'],
    [t.fee, formatBp(lang, o.feeRateBp), 'fee'],
    [t.vat, o.vatRateBp === null ? '—' : formatBp(lang, o.vatRateBp)],
    [t.due, o.amountDueCents === null ? t.dueAtConfirm : formatCents(lang, o.amountDueCents), 'amount-due'],
    [t.paid, formatCents(lang, o.paidCents), 'paid'],
    [t.paidOn, o.paidOn ? formatDate(lang, o.paidOn) : '—'],
    [t.validity, formatDate(lang, o.validityEndDate), 'validity'],
    [t.deadline, formatDate(lang, o.redemptionDeadline)],
    [t.expires, formatDate(lang, o.expiresOn)],
    [t.stopDistribution, formatDate(lang, stopOn)],
    [t.eligibility, eligibility.join(' ; ')],
  ];
  return (
    <dl class="facts">
      {rows.map(([k, v, id]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd data-fact={id}>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function Payment({ lang, o }: { lang: Lang; o: Order }) {
  const t = TEXT[lang];
  const payments = useLoad(
    () => api.GET('/v1/purchase-orders/{id}/payments', { params: { path: { id: o.id } } }),
    [o.id, o.paidCents, o.status],
  );
  const rest = (o.amountDueCents ?? 0) - o.paidCents;
  return (
    <section aria-labelledby="payment-title">
      <h2 id="payment-title">{t.payment}</h2>
      {o.status === 'draft' && <p>{t.paymentDraft}</p>}
      {o.status === 'confirmed' && (
        <>
          <p class="big" data-fact="payment-status">
            {t.paymentWaiting(formatCents(lang, rest))}
          </p>
          <p>{t.paymentHow}</p>
        </>
      )}
      {(o.status === 'paid' || o.status === 'closed') && o.paidOn && (
        <p class="big ok" data-fact="payment-status">
          {t.paymentDone(formatDate(lang, o.paidOn))}
        </p>
      )}
      {o.status !== 'draft' && (
        <>
          <ProblemNotice lang={lang} problem={payments.problem} />
          {payments.data && payments.data.items.length === 0 && <p>{t.noPayment}</p>}
          {payments.data && payments.data.items.length > 0 && (
            <table>
              <caption>{t.payments}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.bankReference}</th>
                  <th scope="col">{t.receivedOn}</th>
                  <th scope="col" class="num">
                    {t.amount}
                  </th>
                </tr>
              </thead>
              <tbody>
                {payments.data.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{p.reference}</th>
                    <td>{formatDate(lang, p.paidOn)}</td>
                    <td class="num">{formatCents(lang, p.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function Invoices({ lang, orderId }: { lang: Lang; orderId: string }) {
  const t = TEXT[lang];
  const invoices = useLoad(() => api.GET('/v1/invoices', { params: { query: { orderId, limit: 50 } } }), [orderId]);
  const [failed, setFailed] = useState(false);
  const get = async (url: string, name: string) => setFailed(!(await downloadFile(url, name)));
  return (
    <section aria-labelledby="invoices-title">
      <h2 id="invoices-title">{t.invoices}</h2>
      <ProblemNotice lang={lang} problem={invoices.problem} />
      {failed && (
        <p role="alert" class="problem">
          {t.downloadFailed}
        </p>
      )}
      {invoices.data?.items.length === 0 && <p>{t.noInvoice}</p>}
      {!!invoices.data?.items.length && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.number}</th>
                <th scope="col">{t.kind}</th>
                <th scope="col">{t.issuedOn}</th>
                <th scope="col" class="num">
                  {t.taxExclusive}
                </th>
                <th scope="col" class="num">
                  {t.vatAmount}
                </th>
                <th scope="col" class="num">
                  {t.payable}
                </th>
                <th scope="col">{t.download}</th>
              </tr>
            </thead>
            <tbody>
              {invoices.data.items.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.number}</th>
                  <td>{i.kind === 'invoice' ? t.invoice : t.creditNote}</td>
                  <td>{formatDate(lang, i.issuedOn)}</td>
                  <td class="num">{formatCents(lang, i.taxExclusiveCents)}</td>
                  <td class="num">{formatCents(lang, i.vatCents)}</td>
                  <td class="num" data-fact="invoice-payable">
                    {formatCents(lang, i.payableCents)}
                  </td>
                  <td>
                    <button
                      type="button"
                      aria-label={t.pdf(i.number)}
                      onClick={() => void get(`/v1/invoices/${i.id}/pdf`, `${i.number}.pdf`)}
                    >
                      PDF
                    </button>{' '}
                    <button
                      type="button"
                      aria-label={t.ubl(i.number)}
                      onClick={() => void get(`/v1/invoices/${i.id}/ubl`, `${i.number}.xml`)}
                    >
                      UBL
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CreditNotes({ lang, orderId }: { lang: Lang; orderId: string }) {
  const t = TEXT[lang];
  const notes = useLoad(() => api.GET('/v1/credit-notes', { params: { query: { orderId, limit: 50 } } }), [orderId]);
  const [failed, setFailed] = useState(false);
  const get = async (url: string, name: string) => setFailed(!(await downloadFile(url, name)));
  if (!notes.data?.items.length) return <ProblemNotice lang={lang} problem={notes.problem} />;
  return (
    <section aria-labelledby="credit-notes-title">
      <h2 id="credit-notes-title">{t.creditNotes}</h2>
      <p>{t.creditNotesIntro}</p>
      {failed && (
        <p role="alert" class="problem">
          {t.downloadFailed}
        </p>
      )}
      <div class="table-scroll">
        <table data-table="credit-notes">
          <thead>
            <tr>
              <th scope="col">{t.number}</th>
              <th scope="col">{t.issuedOn}</th>
              <th scope="col">{t.onInvoice}</th>
              <th scope="col" class="num">
                {t.expiredVouchers}
              </th>
              <th scope="col" class="num">
                {t.unused}
              </th>
              <th scope="col" class="num">
                {t.deduction}
              </th>
              <th scope="col" class="num">
                {t.credited}
              </th>
              <th scope="col">{t.download}</th>
            </tr>
          </thead>
          <tbody>
            {notes.data.items.map((n) => (
              <tr key={n.id}>
                <th scope="row">{n.number}</th>
                <td>{formatDate(lang, n.issuedOn)}</td>
                <td>{n.creditedInvoiceNumber}</td>
                <td class="num">{formatCount(lang, n.expiredVoucherCount)}</td>
                <td class="num">{formatCents(lang, n.unusedFaceValueCents)}</td>
                <td class="num">{formatCents(lang, n.incidentDeductionCents)}</td>
                <td class="num">{formatCents(lang, n.amountCents)}</td>
                <td>
                  <button
                    type="button"
                    aria-label={t.cnPdf(n.number)}
                    onClick={() => void get(`/v1/credit-notes/${n.id}/pdf`, `${n.number}.pdf`)}
                  >
                    PDF
                  </button>{' '}
                  <button
                    type="button"
                    aria-label={t.cnXml(n.number)}
                    onClick={() => void get(`/v1/credit-notes/${n.id}/xml`, `${n.number}.xml`)}
                  >
                    UBL
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PrintFiles({ lang, orderId, issued }: { lang: Lang; orderId: string; issued: boolean }) {
  const t = TEXT[lang];
  const files = useLoad(() => api.GET('/v1/purchase-orders/{id}/print-files', { params: { path: { id: orderId } } }), [orderId]);
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const items = files.data?.items ?? [];
  // The latest request: its parts were created together.
  const latest = items.length ? items.filter((f) => f.createdAt === items[0].createdAt && f.format === items[0].format) : [];
  const working = latest.some((f) => f.status === 'pending' || f.status === 'rendering' || f.status === 'failed');
  usePolling(working, 1000, files.reload);
  const done = latest.reduce((s, f) => s + f.vouchersDone, 0);
  const total = latest.reduce((s, f) => s + f.vouchersTotal, 0);

  const request = async (format: 'pdf' | 'csv') => {
    setBusy(true);
    setProblem(undefined);
    try {
      const { error, response } = await api.POST('/v1/purchase-orders/{id}/print-files', {
        params: { path: { id: orderId } },
        body: { format },
      });
      if (!response.ok) setProblem(asProblem(error, response));
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
      files.reload();
    }
  };
  const download = async (f: PrintFile) => setFailed(!(await downloadFile(f.downloadUrl!, `impression-${f.part}.${f.format}`)));

  return (
    <section aria-labelledby="print-title">
      <h2 id="print-title">{t.print}</h2>
      <p>{t.printIntro}</p>
      {!issued && <p>{t.printNotYet}</p>}
      <div class="actions">
        <button type="button" class="primary" disabled={busy || working || !issued} onClick={() => void request('pdf')}>
          {t.printPdf}
        </button>
        <button type="button" disabled={busy || working || !issued} onClick={() => void request('csv')}>
          {t.printCsv}
        </button>
      </div>
      <ProblemNotice lang={lang} problem={problem ?? files.problem} messages={MESSAGES} />
      {failed && (
        <p role="alert" class="problem">
          {t.downloadFailed}
        </p>
      )}
      {latest.length > 0 && (
        <div class="progress-block">
          <label for="print-progress">{t.printProgress}</label>
          <progress id="print-progress" max={Math.max(1, total)} value={working ? done : Math.max(1, total)} />
          <p role="status">{working ? `${t.printRequested} ${Math.round((100 * done) / Math.max(1, total))} %` : t.printReady}</p>
        </div>
      )}
      {items.length === 0 ? (
        <p>{t.noPrint}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.format}</th>
                <th scope="col">{t.part}</th>
                <th scope="col">{t.range}</th>
                <th scope="col">{t.fileStatus}</th>
                <th scope="col" class="num">
                  {t.size}
                </th>
                <th scope="col">{t.download}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id}>
                  <th scope="row">
                    {f.format.toUpperCase()} <span class="tag">({formatDateTime(lang, f.createdAt)})</span>
                  </th>
                  <td>
                    {f.part} / {f.parts}
                  </td>
                  <td>
                    {f.bookletFrom}–{f.bookletTo}
                  </td>
                  <td>
                    {t.printStatus[f.status]}
                    {f.status !== 'ready' && ` (${Math.round(f.progress * 100)} %)`}
                  </td>
                  <td class="num">{f.sizeBytes === null ? '—' : `${formatCount(lang, Math.ceil(f.sizeBytes / 1024))} Ko`}</td>
                  <td>
                    {f.downloadUrl && (
                      <button type="button" onClick={() => void download(f)}>
                        {t.downloadPart(f.format.toUpperCase(), f.part, f.parts)}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ExtendValidity({ lang, o, onDone }: { lang: Lang; o: Order; onDone: () => void }) {
  const t = TEXT[lang];
  const [newEndDate, setNewEndDate] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ date?: string; reason?: string }>({});
  const [problem, setProblem] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ready = !!newEndDate && !!reason.trim();
  const extend = async () => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const { data, error, response } = await api.POST('/v1/purchase-orders/{id}/extend-validity', {
        params: { path: { id: o.id } },
        body: { newEndDate, reason: reason.trim() },
      });
      if (data) {
        setNotice(t.extended(formatDate(lang, data.previousEndDate), formatDate(lang, data.newEndDate)));
        setReason('');
        setNewEndDate('');
        setErrors({});
        onDone();
      } else setProblem(asProblem(error, response));
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
    }
  };
  const check = () => {
    const e = { date: newEndDate ? undefined : t.needDate, reason: reason.trim() ? undefined : t.needReason };
    setErrors(e);
  };
  return (
    <section aria-labelledby="extend-title">
      <h2 id="extend-title">{t.extend}</h2>
      <p>{t.extendIntro}</p>
      <form onSubmit={(e) => e.preventDefault()}>
        <Field id="extend-date" label={t.newEndDate} error={errors.date}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              min={o.validityEndDate > parisToday() ? o.validityEndDate : parisToday()}
              value={newEndDate}
              onInput={(e) => setNewEndDate(valueOf(e))}
            />
          )}
        </Field>
        <Field id="extend-reason" label={t.reason} hint={t.reasonHint} error={errors.reason}>
          {(aria) => <input {...aria} maxLength={500} value={reason} onInput={(e) => setReason(valueOf(e))} />}
        </Field>
        <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
        <p role="status" class="ok">
          {notice}
        </p>
        <div>
          {ready ? (
            <ConfirmAction
              lang={lang}
              disabled={busy}
              label={t.extendButton}
              question={t.extendQuestion(formatDate(lang, newEndDate))}
              confirmLabel={t.extendYes}
              onConfirm={extend}
            />
          ) : (
            <button type="button" onClick={check}>
              {t.extendButton}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
