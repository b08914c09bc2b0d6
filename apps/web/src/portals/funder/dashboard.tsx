import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents, formatDate, formatRatio, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { downloadFile } from '../../session';
import { BarChart } from '../../ui/bar-chart';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { authorisedGet, formatCount, formatDateTime, parisToday, saveResponse, usePolling } from './common';
import './funder.css';

type Funnel = components['schemas']['FunnelReportDto'];
type Row = components['schemas']['FunnelRowDto'];
type Step = 'issued' | 'active' | 'allocated' | 'distributed' | 'redeemed' | 'settled' | 'paid' | 'expired' | 'restituted';
type Group = Funnel['groupBy'];
type Export = components['schemas']['ReportExportDto'];

const STEPS: Step[] = ['issued', 'active', 'allocated', 'distributed', 'redeemed', 'settled', 'paid', 'expired', 'restituted'];
/** The rate shown on each step's line: its vouchers over the step before (API names). */
const RATE_OF: Partial<Record<Step, string>> = {
  active: 'activeOfIssued',
  allocated: 'allocatedOfActive',
  distributed: 'distributedOfAllocated',
  redeemed: 'redeemedOfDistributed',
  settled: 'settledOfRedeemed',
  paid: 'paidOfSettled',
  expired: 'expiredOfActive',
  restituted: 'restitutedOfExpired',
};

const STEP_NAMES: Record<Step, Record<Lang, string>> = {
  issued: { fr: 'Émis', en: 'Issued' },
  active: { fr: 'Activés (commande payée)', en: 'Active (order paid)' },
  allocated: { fr: 'Attribués à un distributeur', en: 'Allocated to a distributor' },
  distributed: { fr: 'Remis à un bénéficiaire', en: 'Handed to a beneficiary' },
  redeemed: { fr: 'Utilisés dans un lieu', en: 'Redeemed at a site' },
  settled: { fr: 'Sur un relevé de remboursement', en: 'On a statement' },
  paid: { fr: 'Payés au lieu', en: 'Paid to the site' },
  expired: { fr: 'Expirés', en: 'Expired' },
  restituted: { fr: 'Remboursés par avoir', en: 'Credited back' },
};

/** Shorter names where the chart has little room for its labels. */
const CHART_NAMES: Partial<Record<Step, Record<Lang, string>>> = {
  active: { fr: 'Activés', en: 'Active' },
  allocated: { fr: 'Attribués', en: 'Allocated' },
  distributed: { fr: 'Remis', en: 'Handed over' },
  redeemed: { fr: 'Utilisés', en: 'Redeemed' },
  settled: { fr: 'Sur un relevé', en: 'On a statement' },
  paid: { fr: 'Payés au lieu', en: 'Paid to the site' },
  restituted: { fr: 'Remboursés', en: 'Credited back' },
};

const GROUPS: Group[] = ['programme', 'policy', 'order', 'distributor', 'month', 'quarter', 'year', 'site', 'category', 'department'];
const GROUP_NAMES: Record<Group, Record<Lang, string>> = {
  funder: { fr: 'Financeur', en: 'Funder' },
  policy: { fr: 'Politique publique', en: 'Policy' },
  programme: { fr: 'Programme', en: 'Programme' },
  order: { fr: 'Commande', en: 'Order' },
  distributor: { fr: 'Distributeur', en: 'Distributor' },
  month: { fr: 'Mois', en: 'Month' },
  quarter: { fr: 'Trimestre', en: 'Quarter' },
  year: { fr: 'Année', en: 'Year' },
  site: { fr: 'Lieu', en: 'Site' },
  category: { fr: 'Service', en: 'Service' },
  commune: { fr: 'Commune', en: 'Commune' },
  department: { fr: 'Département', en: 'Department' },
};
const SITE_GROUPS: Group[] = ['site', 'category', 'commune', 'department'];

const TEXT = {
  fr: {
    title: 'Tableau de bord',
    filters: 'Filtres',
    asOf: 'Situation au',
    order: 'Commande',
    allOrders: 'Toutes vos commandes',
    groupBy: 'Détail par',
    loading: 'Calcul des chiffres…',
    summary: (f: Funnel, lang: Lang) =>
      `Au ${formatDate(lang, f.asOf)}, ${formatCount(lang, f.total.steps.issued.vouchers)} chèques ont été émis pour ${formatCents(lang, f.total.steps.issued.valueCents)}, ` +
      `${formatCount(lang, f.total.steps.distributed.vouchers)} remis à des bénéficiaires et ${formatCount(lang, f.total.steps.redeemed.vouchers)} utilisés ` +
      `(${formatCents(lang, f.total.steps.redeemed.valueCents)}), dont ${formatCents(lang, f.total.steps.paid.valueCents)} déjà payés aux lieux.`,
    funnel: 'Parcours des chèques',
    funnelChart: 'Nombre de chèques à chaque étape',
    step: 'Étape',
    vouchers: 'Chèques',
    value: 'Valeur',
    rate: 'Taux par rapport à l’étape précédente',
    started: (n: string) => `Carnets entamés (au moins un chèque utilisé) : ${n}.`,
    money: 'Argent',
    moneyChart: 'Montants de vos commandes',
    moneyBars: ['Valeur faciale commandée', 'Exécuté (payé, moins les avoirs)', 'Avoirs', 'Utilisé dans les lieux', 'Payé aux lieux'],
    moneyChartBars: ['Commandé', 'Exécuté', 'Avoirs', 'Utilisé', 'Payé aux lieux'],
    moneyIntro: 'Montants en valeur faciale, frais exclus.',
    faceValue: 'Valeur faciale',
    paidOn: 'Payée le',
    credited: 'Avoirs',
    executed: 'Exécuté',
    notPaid: 'non payée',
    total: 'Total',
    byOrder: 'Par commande',
    byCommune: 'Par commune du lieu où le service a été rendu',
    commune: 'Commune',
    redeemed: 'Utilisés',
    redeemedValue: 'Valeur utilisée',
    settled: 'Sur un relevé',
    paid: 'Payés',
    noCommune: 'Aucun chèque utilisé à cette date.',
    by: (g: string) => `Par ${g.toLowerCase()}`,
    none: 'Aucune donnée pour ce détail.',
    noLabel: '(aucun)',
    issued: 'Émis',
    distributed: 'Remis',
    latency: 'Délais',
    latencyIntro: 'Entre la remise d’un carnet à un bénéficiaire et la première utilisation d’un de ses chèques.',
    latencyBooklets: 'Carnets remis et utilisés',
    median: 'Médiane',
    p90: '9 carnets sur 10 en moins de',
    days: (n: number | null) => (n === null ? '—' : `${n} jour${n > 1 ? 's' : ''}`),
    proof: 'Preuve',
    proofText: (n: number, at: string) =>
      `Ces chiffres sont calculés à partir des événements scellés du journal d’audit, exactement au point de contrôle n° ${n}, signé le ${at}.`,
    root: 'Empreinte (racine) du journal',
    key: 'Clé de signature',
    noProof: 'Aucun événement n’est encore scellé : les chiffres sont nuls.',
    downloads: 'Téléchargements',
    csv: 'Parcours des chèques (CSV)',
    pdf: 'Parcours des chèques (PDF)',
    evidence: 'Dossier de preuves des commandes (JSON)',
    evidenceHint: 'Chaque chiffre avec les événements scellés dont il vient et leurs preuves : vérifiable hors ligne.',
    pdfProgress: 'Préparation du PDF',
    pdfWorking: (p: number) => `Le PDF est en préparation : ${p} %.`,
    pdfReady: 'Le PDF est prêt et téléchargé.',
    downloadFailed: 'Le téléchargement a échoué. Réessayez.',
  },
  en: {
    title: 'Dashboard',
    filters: 'Filters',
    asOf: 'As of',
    order: 'Order',
    allOrders: 'All your orders',
    groupBy: 'Break down by',
    loading: 'Computing the figures…',
    summary: (f: Funnel, lang: Lang) =>
      `As of ${formatDate(lang, f.asOf)}, ${formatCount(lang, f.total.steps.issued.vouchers)} vouchers were issued for ${formatCents(lang, f.total.steps.issued.valueCents)}, ` +
      `${formatCount(lang, f.total.steps.distributed.vouchers)} handed to beneficiaries and ${formatCount(lang, f.total.steps.redeemed.vouchers)} redeemed ` +
      `(${formatCents(lang, f.total.steps.redeemed.valueCents)}), of which ${formatCents(lang, f.total.steps.paid.valueCents)} already paid to the sites.`,
    funnel: 'The vouchers’ journey',
    funnelChart: 'Vouchers at each step',
    step: 'Step',
    vouchers: 'Vouchers',
    value: 'Value',
    rate: 'Rate against the step before',
    started: (n: string) => `Booklets started (at least one voucher used): ${n}.`,
    money: 'Money',
    moneyChart: 'Amounts of your orders',
    moneyBars: ['Face value ordered', 'Executed (paid, less credit notes)', 'Credit notes', 'Used at sites', 'Paid to sites'],
    moneyChartBars: ['Ordered', 'Executed', 'Credit notes', 'Used', 'Paid to sites'],
    moneyIntro: 'Amounts at face value, fees excluded.',
    faceValue: 'Face value',
    paidOn: 'Paid on',
    credited: 'Credit notes',
    executed: 'Executed',
    notPaid: 'not paid',
    total: 'Total',
    byOrder: 'By order',
    byCommune: 'By commune of the site where the service was done',
    commune: 'Commune',
    redeemed: 'Redeemed',
    redeemedValue: 'Value redeemed',
    settled: 'On a statement',
    paid: 'Paid',
    noCommune: 'No voucher redeemed by that date.',
    by: (g: string) => `By ${g.toLowerCase()}`,
    none: 'No data for this breakdown.',
    noLabel: '(none)',
    issued: 'Issued',
    distributed: 'Handed over',
    latency: 'Delays',
    latencyIntro: 'Between handing a booklet to a beneficiary and the first use of one of its vouchers.',
    latencyBooklets: 'Booklets handed over and used',
    median: 'Median',
    p90: '9 booklets in 10 within',
    days: (n: number | null) => (n === null ? '—' : `${n} day${n > 1 ? 's' : ''}`),
    proof: 'Proof',
    proofText: (n: number, at: string) =>
      `These figures are computed from the sealed events of the audit log, exactly as of checkpoint no. ${n}, signed on ${at}.`,
    root: 'Fingerprint (root) of the log',
    key: 'Signing key',
    noProof: 'No event has been sealed yet: the figures are zero.',
    downloads: 'Downloads',
    csv: 'Vouchers’ journey (CSV)',
    pdf: 'Vouchers’ journey (PDF)',
    evidence: 'Evidence bundle of the orders (JSON)',
    evidenceHint: 'Each figure with the sealed events it comes from and their proofs: verifiable offline.',
    pdfProgress: 'Preparing the PDF',
    pdfWorking: (p: number) => `The PDF is being prepared: ${p} %.`,
    pdfReady: 'The PDF is ready and downloaded.',
    downloadFailed: 'The download failed. Try again.',
  },
};

type People = components['schemas']['PeopleReportDto'];
type Dimension = People['rowDimension'];
const AGE_BANDS: Record<string, Record<Lang, string>> = {
  under_18: { fr: 'Moins de 18 ans', en: 'Under 18' },
  '18_25': { fr: '18 à 25 ans', en: '18 to 25' },
  '26_44': { fr: '26 à 44 ans', en: '26 to 44' },
  '45_59': { fr: '45 à 59 ans', en: '45 to 59' },
  '60_74': { fr: '60 à 74 ans', en: '60 to 74' },
  '75_plus': { fr: '75 ans et plus', en: '75 and over' },
};
const PEOPLE_TEXT = {
  fr: {
    title: 'Bénéficiaires',
    intro: (n: number) =>
      `Personnes comptées une fois chacune. Pour protéger leur anonymat, les cases de moins de ${n} personnes sont masquées, ainsi que d’autres si nécessaire.`,
    step: 'Personnes',
    distributed: 'ayant reçu un carnet',
    started: 'ayant utilisé leur carnet',
    rows: 'Réparties par',
    ageBand: 'Tranche d’âge',
    publicCategory: 'Public',
    commune: 'Commune de résidence',
    people: 'Personnes',
    hidden: 'masqué',
    none: 'sans',
    total: 'Total',
    empty: 'Personne à cette date.',
  },
  en: {
    title: 'Beneficiaries',
    intro: (n: number) => `Each person counted once. To keep them anonymous, cells under ${n} people are hidden, and others where needed.`,
    step: 'People',
    distributed: 'handed a booklet',
    started: 'who used their booklet',
    rows: 'Broken down by',
    ageBand: 'Age band',
    publicCategory: 'Public',
    commune: 'Commune of residence',
    people: 'People',
    hidden: 'hidden',
    none: 'none',
    total: 'Total',
    empty: 'Nobody by that date.',
  },
};

const query = (o: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => !!e[1])).toString();

/** The funder's dashboard: the vouchers' funnel, money, communes, delays, the checkpoint, and downloads. */
export function DashboardPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const [asOf, setAsOf] = useState(parisToday());
  const [orderId, setOrderId] = useState('');
  const [groupBy, setGroupBy] = useState<Group>('programme');
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : parisToday();
  const orders = useLoad(() => api.GET('/v1/purchase-orders', { params: { query: { limit: 100 } } }), []);
  const funnel = useLoad(
    () => api.GET('/v1/reports/funnel', { params: { query: { asOf: day, groupBy, orderId: orderId || undefined } } }),
    [day, groupBy, orderId],
  );
  const communes = useLoad(
    () => api.GET('/v1/reports/funnel', { params: { query: { asOf: day, groupBy: 'commune', orderId: orderId || undefined } } }),
    [day, orderId],
  );
  const money = useLoad(() => api.GET('/v1/reports/orders', { params: { query: { asOf: day } } }), [day]);
  const references = new Map((orders.data?.items ?? []).map((o) => [o.id, o.reference]));
  const f = funnel.data as Funnel | undefined;
  const c = communes.data as Funnel | undefined;

  return (
    <section>
      <h1>{t.title}</h1>
      <form class="filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
        <Field id="dash-asof" label={t.asOf}>
          {(aria) => <input {...aria} type="date" max={parisToday()} value={asOf} onInput={(e) => setAsOf(valueOf(e))} />}
        </Field>
        <Field id="dash-order" label={t.order}>
          {(aria) => (
            <select {...aria} value={orderId} onChange={(e) => setOrderId(valueOf(e))}>
              <option value="">{t.allOrders}</option>
              {orders.data?.items
                .filter((o) => o.status !== 'draft')
                .map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.reference}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field id="dash-group" label={t.groupBy}>
          {(aria) => (
            <select {...aria} value={groupBy} onChange={(e) => setGroupBy(valueOf(e) as Group)}>
              {GROUPS.map((g) => (
                <option key={g} value={g}>
                  {GROUP_NAMES[g][lang]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ProblemNotice lang={lang} problem={funnel.problem ?? communes.problem ?? money.problem} />
      <p role="status" class="muted">
        {funnel.loading || communes.loading || money.loading ? t.loading : ''}
      </p>
      {f && (
        <>
          <p class="summary" data-fact="summary">
            {t.summary(f, lang)}
          </p>
          <FunnelSection lang={lang} f={f} />
          {money.data && <MoneySection lang={lang} f={f} report={money.data} orderId={orderId} references={references} />}
          {c && <CommuneSection lang={lang} c={c} />}
          <GroupSection lang={lang} f={f} />
          <PeopleSection lang={lang} asOf={day} />
          <section aria-labelledby="latency-title">
            <h2 id="latency-title">{t.latency}</h2>
            <p>{t.latencyIntro}</p>
            <ul class="figures" data-fact="latency">
              <li>
                {t.latencyBooklets}
                <strong>{formatCount(lang, f.timeToFirstUse.booklets)}</strong>
              </li>
              <li>
                {t.median}
                <strong>{t.days(f.timeToFirstUse.medianDays)}</strong>
              </li>
              <li>
                {t.p90}
                <strong>{t.days(f.timeToFirstUse.p90Days)}</strong>
              </li>
            </ul>
          </section>
          <section aria-labelledby="proof-title">
            <h2 id="proof-title">{t.proof}</h2>
            {f.checkpoint ? (
              <>
                <p data-fact="checkpoint">{t.proofText(f.checkpoint.treeSize, formatDateTime(lang, f.checkpoint.issuedAt))}</p>
                <dl class="facts">
                  <dt>{t.root}</dt>
                  <dd>
                    <code class="secret">{f.checkpoint.root}</code>
                  </dd>
                  <dt>{t.key}</dt>
                  <dd>
                    <code>{f.checkpoint.keyId}</code>
                  </dd>
                </dl>
              </>
            ) : (
              <p data-fact="checkpoint">{t.noProof}</p>
            )}
          </section>
          <Downloads lang={lang} params={{ asOf: day, groupBy, orderId: orderId || undefined }} />
        </>
      )}
    </section>
  );
}

function FunnelSection({ lang, f }: { lang: Lang; f: Funnel }) {
  const t = TEXT[lang];
  return (
    <section aria-labelledby="funnel-title">
      <h2 id="funnel-title">{t.funnel}</h2>
      <BarChart
        label={t.funnelChart}
        bars={STEPS.map((s) => ({
          label: (CHART_NAMES[s] ?? STEP_NAMES[s])[lang],
          value: f.total.steps[s].vouchers,
          text: formatCount(lang, f.total.steps[s].vouchers),
        }))}
      />
      <div class="table-scroll">
        <table data-table="funnel">
          <caption>{t.funnelChart}</caption>
          <thead>
            <tr>
              <th scope="col">{t.step}</th>
              <th scope="col" class="num">
                {t.vouchers}
              </th>
              <th scope="col" class="num">
                {t.value}
              </th>
              <th scope="col" class="num">
                {t.rate}
              </th>
            </tr>
          </thead>
          <tbody>
            {STEPS.map((s) => (
              <tr key={s}>
                <th scope="row">{STEP_NAMES[s][lang]}</th>
                <td class="num">{formatCount(lang, f.total.steps[s].vouchers)}</td>
                <td class="num">{formatCents(lang, f.total.steps[s].valueCents)}</td>
                <td class="num">{RATE_OF[s] ? formatRatio(lang, f.total.rates[RATE_OF[s]] ?? null) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>{t.started(formatCount(lang, f.total.startedBooklets))}</p>
    </section>
  );
}

function MoneySection(props: {
  lang: Lang;
  f: Funnel;
  report: components['schemas']['OrderFiguresReportDto'];
  orderId: string;
  references: Map<string, string>;
}) {
  const { lang, f } = props;
  const t = TEXT[lang];
  const orders = props.report.orders.filter((o) => !props.orderId || o.orderId === props.orderId);
  const sum = (k: 'faceValueCents' | 'creditedCents' | 'executedCents') => orders.reduce((s, o) => s + o[k], 0);
  const values = [
    sum('faceValueCents'),
    sum('executedCents'),
    sum('creditedCents'),
    f.total.steps.redeemed.valueCents,
    f.total.steps.paid.valueCents,
  ];
  return (
    <section aria-labelledby="money-title">
      <h2 id="money-title">{t.money}</h2>
      <p>{t.moneyIntro}</p>
      <BarChart
        label={t.moneyChart}
        bars={values.map((value, i) => ({ label: t.moneyChartBars[i], value, text: formatCents(lang, value) }))}
      />
      <table data-table="money">
        <caption>{t.moneyChart}</caption>
        <tbody>
          {values.map((v, i) => (
            <tr key={i}>
              <th scope="row">{t.moneyBars[i]}</th>
              <td class="num">{formatCents(lang, v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="table-scroll">
        <table data-table="orders">
          <caption>{t.byOrder}</caption>
          <thead>
            <tr>
              <th scope="col">{t.order}</th>
              <th scope="col" class="num">
                {t.faceValue}
              </th>
              <th scope="col">{t.paidOn}</th>
              <th scope="col" class="num">
                {t.credited}
              </th>
              <th scope="col" class="num">
                {t.executed}
              </th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.orderId}>
                <th scope="row">{props.references.get(o.orderId) ?? o.orderId}</th>
                <td class="num">{formatCents(lang, o.faceValueCents)}</td>
                <td>{o.paidOn ? formatDate(lang, o.paidOn) : t.notPaid}</td>
                <td class="num">{formatCents(lang, o.creditedCents)}</td>
                <td class="num">{formatCents(lang, o.executedCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.total}</th>
              <td class="num">{formatCents(lang, sum('faceValueCents'))}</td>
              <td />
              <td class="num">{formatCents(lang, sum('creditedCents'))}</td>
              <td class="num">{formatCents(lang, sum('executedCents'))}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

function CommuneSection({ lang, c }: { lang: Lang; c: Funnel }) {
  const t = TEXT[lang];
  return (
    <section aria-labelledby="commune-title">
      <h2 id="commune-title">{t.byCommune}</h2>
      {c.groups.length === 0 ? (
        <p>{t.noCommune}</p>
      ) : (
        <div class="table-scroll">
          <table data-table="communes">
            <thead>
              <tr>
                <th scope="col">{t.commune}</th>
                <th scope="col" class="num">
                  {t.redeemed}
                </th>
                <th scope="col" class="num">
                  {t.redeemedValue}
                </th>
                <th scope="col" class="num">
                  {t.settled}
                </th>
                <th scope="col" class="num">
                  {t.paid}
                </th>
              </tr>
            </thead>
            <tbody>
              {c.groups.map((g) => (
                <tr key={g.key}>
                  <th scope="row">{g.label ? `${g.label} (${g.key})` : g.key}</th>
                  <td class="num">{formatCount(lang, g.steps.redeemed.vouchers)}</td>
                  <td class="num">{formatCents(lang, g.steps.redeemed.valueCents)}</td>
                  <td class="num">{formatCount(lang, g.steps.settled.vouchers)}</td>
                  <td class="num">{formatCount(lang, g.steps.paid.vouchers)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function GroupSection({ lang, f }: { lang: Lang; f: Funnel }) {
  const t = TEXT[lang];
  const atSite = SITE_GROUPS.includes(f.groupBy);
  const cols: Step[] = atSite ? ['redeemed', 'settled', 'paid'] : ['issued', 'allocated', 'distributed', 'redeemed', 'paid'];
  const label = (g: Row) => g.label || g.key || t.noLabel;
  return (
    <section aria-labelledby="group-title">
      <h2 id="group-title">{t.by(GROUP_NAMES[f.groupBy][lang])}</h2>
      {f.groups.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <div class="table-scroll">
          <table data-table="groups">
            <thead>
              <tr>
                <th scope="col">{GROUP_NAMES[f.groupBy][lang]}</th>
                {cols.map((s) => (
                  <th scope="col" class="num" key={s}>
                    {STEP_NAMES[s][lang]}
                  </th>
                ))}
                <th scope="col" class="num">
                  {t.redeemedValue}
                </th>
              </tr>
            </thead>
            <tbody>
              {f.groups.map((g) => (
                <tr key={g.key}>
                  <th scope="row">{label(g)}</th>
                  {cols.map((s) => (
                    <td class="num" key={s}>
                      {formatCount(lang, g.steps[s].vouchers)}
                    </td>
                  ))}
                  <td class="num">{formatCents(lang, g.steps.redeemed.valueCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PeopleSection({ lang, asOf }: { lang: Lang; asOf: string }) {
  const t = PEOPLE_TEXT[lang];
  const [step, setStep] = useState<'distributed' | 'started'>('distributed');
  const [rows, setRows] = useState<Dimension>('commune');
  const people = useLoad(() => api.GET('/v1/reports/people', { params: { query: { asOf, step, rows } } }), [asOf, step, rows]);
  const p = people.data;
  const n = (v: number | null) => (v === null ? t.hidden : formatCount(lang, v));
  const label = (code: string) =>
    rows === 'ageBand' ? (AGE_BANDS[code]?.[lang] ?? code) : rows === 'publicCategory' && code === 'none' ? t.none : code;
  return (
    <section aria-labelledby="people-title">
      <h2 id="people-title">{t.title}</h2>
      <div class="filters">
        <Field id="people-step" label={t.step}>
          {(aria) => (
            <select {...aria} value={step} onChange={(e) => setStep(valueOf(e) as 'distributed' | 'started')}>
              <option value="distributed">{t.distributed}</option>
              <option value="started">{t.started}</option>
            </select>
          )}
        </Field>
        <Field id="people-rows" label={t.rows}>
          {(aria) => (
            <select {...aria} value={rows} onChange={(e) => setRows(valueOf(e) as Dimension)}>
              <option value="commune">{t.commune}</option>
              <option value="ageBand">{t.ageBand}</option>
              <option value="publicCategory">{t.publicCategory}</option>
            </select>
          )}
        </Field>
      </div>
      <ProblemNotice lang={lang} problem={people.problem} />
      {p && <p>{t.intro(p.threshold)}</p>}
      {p && p.rows.length === 0 && <p>{t.empty}</p>}
      {p && p.rows.length > 0 && (
        <table data-table="people">
          <thead>
            <tr>
              <th scope="col">{t[p.rowDimension]}</th>
              <th scope="col" class="num">
                {t.people}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r, i) => (
              <tr key={r}>
                <th scope="row">{label(r)}</th>
                <td class="num">{n(p.cells[i][0])}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.total}</th>
              <td class="num">{n(p.total)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

function Downloads({ lang, params }: { lang: Lang; params: Record<string, string | undefined> }) {
  const t = TEXT[lang];
  const [problem, setProblem] = useState<ApiProblem>();
  const [failed, setFailed] = useState(false);
  const [pdf, setPdf] = useState<{ busy: boolean; exp?: Export; done?: boolean }>({ busy: false });
  const working = !!pdf.exp && pdf.exp.status !== 'ready';
  usePolling(working, 1000, () => {
    if (!pdf.exp) return;
    void api
      .GET('/v1/reports/exports/{id}', { params: { path: { id: pdf.exp.id } } })
      .then(async ({ data, error, response }) => {
        if (!data) return setProblem(asProblem(error, response));
        if (data.status === 'ready' && data.downloadUrl) {
          setPdf({ busy: false, exp: data, done: await downloadFile(data.downloadUrl, data.filename) });
        } else setPdf((p) => ({ ...p, exp: data }));
      })
      .catch(() => setProblem(asProblem(undefined)));
  });
  const funnelUrl = (format: string) => `/v1/reports/funnel?${query({ ...params, format })}`;
  const get = async (url: string, name: string) => setFailed(!(await downloadFile(url, name)));
  const getPdf = async () => {
    setProblem(undefined);
    setPdf({ busy: true });
    try {
      const response = await authorisedGet(funnelUrl('pdf'), 'application/pdf');
      if (response.status === 202) setPdf({ busy: true, exp: (await response.json()) as Export });
      else if (response.ok) {
        await saveResponse(response, 'entonnoir.pdf');
        setPdf({ busy: false, done: true });
      } else {
        setProblem(asProblem(await response.json().catch(() => undefined), response));
        setPdf({ busy: false });
      }
    } catch {
      setProblem(asProblem(undefined));
      setPdf({ busy: false });
    }
  };
  const progress = pdf.exp ? Math.round(pdf.exp.progress * 100) : 0;
  return (
    <section aria-labelledby="downloads-title">
      <h2 id="downloads-title">{t.downloads}</h2>
      <div class="actions">
        <button type="button" onClick={() => void get(funnelUrl('csv'), 'entonnoir.csv')}>
          {t.csv}
        </button>
        <button type="button" disabled={pdf.busy} onClick={() => void getPdf()}>
          {t.pdf}
        </button>
        <button
          type="button"
          aria-describedby="evidence-hint"
          onClick={() => void get(`/v1/reports/orders/evidence?${query({ asOf: params.asOf })}`, 'preuves.json')}
        >
          {t.evidence}
        </button>
      </div>
      <p id="evidence-hint" class="hint">
        {t.evidenceHint}
      </p>
      {pdf.exp && (
        <div class="progress-block">
          <label for="pdf-progress">{t.pdfProgress}</label>
          <progress id="pdf-progress" max={100} value={pdf.exp.status === 'ready' ? 100 : progress} />
        </div>
      )}
      <p role="status">{pdf.done ? t.pdfReady : working ? t.pdfWorking(progress) : ''}</p>
      <ProblemNotice lang={lang} problem={problem} />
      {failed && (
        <p role="alert" class="problem">
          {t.downloadFailed}
        </p>
      )}
    </section>
  );
}
