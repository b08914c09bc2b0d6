import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { eurosToCents, formatCents, formatDate, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link, navigate } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { problemText, ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formatBp, formatCount, parisToday } from './common';
import './funder.css';

type Grant = components['schemas']['GrantDto'];

const TEXT = {
  fr: {
    title: 'Nouvelle commande',
    intro:
      'La commande est créée en brouillon : rien n’est facturé tant que vous ne l’avez pas confirmée. Les chèques ne seront utilisables qu’une fois la commande payée.',
    quantities: 'Quantités et valeur',
    bookletCount: 'Nombre de carnets',
    vouchersPerBooklet: 'Chèques par carnet',
    vouchersHint: 'De 1 à 20.',
    faceValue: 'Valeur d’un chèque (€)',
    faceValueHint: 'Par exemple 10 ou 12,50.',
    total: (vouchers: number, value: string) => `Soit ${vouchers} chèques, ${value} de valeur faciale (hors frais).`,
    dates: 'Validité',
    validityEndDate: 'Dernier jour de validité',
    validityHint: 'Aujourd’hui ou plus tard.',
    toleranceDays: 'Tolérance après la validité (jours)',
    toleranceHint: 'Un service rendu pendant ces jours compte encore. 31 par défaut.',
    stopDistributionDays: 'Fin de la distribution avant la fin de validité (jours)',
    stopHint: 'Les distributeurs ne remettent plus de carnets ensuite. 15 par défaut.',
    funding: 'Financement',
    contract: 'Marché (contrat avec l’opérateur)',
    grant: 'Subvention qui finance la commande',
    none: 'Aucun',
    fee: (rate: string) => `frais ${rate}`,
    eligibility: 'Éligibilité',
    departments: 'Départements éligibles',
    departmentsHint: 'Codes INSEE séparés par des virgules (par exemple 69, 2A, 974). Vide : tout le territoire.',
    communes: 'Communes éligibles',
    communesHint: 'Codes INSEE à 5 caractères séparés par des virgules. Vide : pas de restriction par commune.',
    categories: 'Services acceptés',
    categoriesHint: 'Aucune case cochée : tous les services.',
    redeemableBefore: 'Chèques utilisables avant d’être remis à un bénéficiaire (carnets au porteur)',
    selfRedemption: 'Un lieu peut encaisser un carnet que sa propre structure a remis',
    submit: 'Créer le brouillon',
    busy: 'Création…',
    cancel: 'Revenir aux commandes',
    badNumber: 'Saisissez un nombre entier.',
    badEuros: 'Saisissez un montant en euros, par exemple 10 ou 12,50.',
  },
  en: {
    title: 'New order',
    intro: 'The order is created as a draft: nothing is invoiced until you confirm it. Vouchers can be used only once the order is paid.',
    quantities: 'Quantities and value',
    bookletCount: 'Number of booklets',
    vouchersPerBooklet: 'Vouchers per booklet',
    vouchersHint: 'From 1 to 20.',
    faceValue: 'Value of one voucher (€)',
    faceValueHint: 'For example 10 or 12.50.',
    total: (vouchers: number, value: string) => `That is ${vouchers} vouchers, ${value} of face value (fees excluded).`,
    dates: 'Validity',
    validityEndDate: 'Last day of validity',
    validityHint: 'Today or later.',
    toleranceDays: 'Tolerance after validity (days)',
    toleranceHint: 'A service done during these days still counts. 31 by default.',
    stopDistributionDays: 'End of distribution before validity ends (days)',
    stopHint: 'Distributors hand no booklet over after that. 15 by default.',
    funding: 'Funding',
    contract: 'Contract with the operator',
    grant: 'Grant financing the order',
    none: 'None',
    fee: (rate: string) => `fee ${rate}`,
    eligibility: 'Eligibility',
    departments: 'Eligible departments',
    departmentsHint: 'INSEE codes separated by commas (e.g. 69, 2A, 974). Empty: the whole territory.',
    communes: 'Eligible communes',
    communesHint: '5-character INSEE codes separated by commas. Empty: no restriction by commune.',
    categories: 'Accepted services',
    categoriesHint: 'No box ticked: every service.',
    redeemableBefore: 'Vouchers usable before being handed to a beneficiary (bearer booklets)',
    selfRedemption: 'A site may redeem a booklet its own organisation handed over',
    submit: 'Create the draft',
    busy: 'Creating…',
    cancel: 'Back to the orders',
    badNumber: 'Type a whole number.',
    badEuros: 'Type an amount in euros, for example 10 or 12.50.',
  },
};

export const ORDER_MESSAGES = {
  VALIDITY_IN_PAST: {
    fr: 'La date de fin de validité est passée : choisissez aujourd’hui ou une date future.',
    en: 'The validity end date is in the past: choose today or a later date.',
  },
  DATES_OUT_OF_ORDER: { fr: 'Les dates ne sont pas dans le bon ordre.', en: 'The dates are not in the right order.' },
  CONTRACT_INVALID: { fr: 'Ce marché n’est pas l’un des vôtres.', en: 'This contract is not one of yours.' },
  GRANT_INVALID: { fr: 'Cette subvention n’est pas l’une des vôtres.', en: 'This grant is not one of yours.' },
  SERVICE_CATEGORY_UNKNOWN: { fr: 'Un des services choisis n’existe plus.', en: 'One of the chosen services no longer exists.' },
  ELIGIBILITY_INVALID: { fr: 'Les règles d’éligibilité sont incohérentes.', en: 'The eligibility rules are inconsistent.' },
};

const list = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((x) => x.trim().toUpperCase())
    .filter(Boolean);

const whole = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : undefined);

/** The draft order form: quantities, value, validity, funding, eligibility. */
export function NewOrderPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const [form, setForm] = useState({
    bookletCount: '',
    vouchersPerBooklet: '10',
    faceValue: '10',
    validityEndDate: '',
    toleranceDays: '31',
    stopDistributionDays: '15',
    contractId: '',
    grantId: '',
    departments: '',
    communes: '',
    redeemableBeforeDistribution: false,
    selfRedemptionAllowed: false,
  });
  const [categories, setCategories] = useState<string[]>([]);
  const [problem, setProblem] = useState<ApiProblem>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: valueOf(e) });

  const contracts = useLoad(() => api.GET('/v1/contracts', { params: { query: { limit: 100 } } }), []);
  const grants = useLoad(async () => {
    const programmes = await api.GET('/v1/programmes', { params: { query: { limit: 100 } } });
    if (!programmes.data) return { error: programmes.error, response: programmes.response };
    const all: (Grant & { programmeName: string })[] = [];
    for (const p of programmes.data.items) {
      const g = await api.GET('/v1/programmes/{id}/grants', { params: { path: { id: p.id }, query: { limit: 100 } } });
      for (const grant of g.data?.items ?? []) all.push({ ...grant, programmeName: p.name });
    }
    return { data: all, response: programmes.response };
  }, []);
  const serviceCategories = useLoad(() => api.GET('/v1/service-categories', { params: { query: { limit: 100 } } }), []);

  const booklets = whole(form.bookletCount);
  const perBooklet = whole(form.vouchersPerBooklet);
  const cents = eurosToCents(form.faceValue);
  const vouchers = booklets && perBooklet ? booklets * perBooklet : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (booklets === undefined) local.bookletCount = t.badNumber;
    if (perBooklet === undefined) local.vouchersPerBooklet = t.badNumber;
    if (cents === undefined) local.faceValueCents = t.badEuros;
    if (whole(form.toleranceDays) === undefined) local.toleranceDays = t.badNumber;
    if (whole(form.stopDistributionDays) === undefined) local.stopDistributionDays = t.badNumber;
    setErrors(local);
    setProblem(undefined);
    if (Object.keys(local).length) {
      document.getElementById(`order-${Object.keys(local)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const { data, error, response } = await api.POST('/v1/purchase-orders', {
        body: {
          bookletCount: booklets!,
          vouchersPerBooklet: perBooklet!,
          faceValueCents: cents!,
          validityEndDate: form.validityEndDate,
          toleranceDays: whole(form.toleranceDays)!,
          stopDistributionDays: whole(form.stopDistributionDays)!,
          contractId: form.contractId || undefined,
          grantId: form.grantId || undefined,
          departmentCodes: list(form.departments),
          communeCodes: list(form.communes),
          serviceCategoryCodes: categories,
          redeemableBeforeDistribution: form.redeemableBeforeDistribution,
          selfRedemptionAllowed: form.selfRedemptionAllowed,
        } as components['schemas']['CreateOrderDto'],
      });
      if (data) {
        navigate(`/app/orders/${data.id}`);
        return;
      }
      const p = asProblem(error, response);
      setProblem(p);
      const field = p.field ?? p.errors?.[0]?.field;
      if (field) {
        setErrors({ [field.split('.')[0]]: problemText(lang, p, ORDER_MESSAGES) });
        document.getElementById(`order-${field.split('.')[0]}`)?.focus();
      }
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
    }
  };

  const num = (k: 'bookletCount' | 'vouchersPerBooklet' | 'toleranceDays' | 'stopDistributionDays', label: string, hint?: string) => (
    <Field id={`order-${k}`} label={label} hint={hint} error={errors[k]}>
      {(aria) => <input {...aria} inputMode="numeric" required value={form[k]} onInput={set(k)} />}
    </Field>
  );

  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <form class="wide-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t.quantities}</legend>
          {num('bookletCount', t.bookletCount)}
          {num('vouchersPerBooklet', t.vouchersPerBooklet, t.vouchersHint)}
          <Field id="order-faceValueCents" label={t.faceValue} hint={t.faceValueHint} error={errors.faceValueCents}>
            {(aria) => <input {...aria} inputMode="decimal" required value={form.faceValue} onInput={set('faceValue')} />}
          </Field>
          {vouchers !== undefined && cents !== undefined && (
            <p class="muted" aria-live="polite">
              {t.total(vouchers, formatCents(lang, vouchers * cents))}
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>{t.dates}</legend>
          <Field id="order-validityEndDate" label={t.validityEndDate} hint={t.validityHint} error={errors.validityEndDate}>
            {(aria) => (
              <input {...aria} type="date" required min={parisToday()} value={form.validityEndDate} onInput={set('validityEndDate')} />
            )}
          </Field>
          {num('toleranceDays', t.toleranceDays, t.toleranceHint)}
          {num('stopDistributionDays', t.stopDistributionDays, t.stopHint)}
        </fieldset>
        <fieldset>
          <legend>{t.funding}</legend>
          <Field id="order-contractId" label={t.contract} error={errors.contractId}>
            {(aria) => (
              <select {...aria} value={form.contractId} onChange={set('contractId')}>
                <option value="">{t.none}</option>
                {contracts.data?.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.reference} ({t.fee(formatBp(lang, c.upstreamFeeRateBp))})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="order-grantId" label={t.grant} error={errors.grantId}>
            {(aria) => (
              <select {...aria} value={form.grantId} onChange={set('grantId')}>
                <option value="">{t.none}</option>
                {grants.data?.map((g) => (
                  <option key={g.id} value={g.id}>
                    {grantLabel(lang, g)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t.eligibility}</legend>
          <Field id="order-departmentCodes" label={t.departments} hint={t.departmentsHint} error={errors.departmentCodes}>
            {(aria) => <input {...aria} value={form.departments} onInput={set('departments')} />}
          </Field>
          <Field id="order-communeCodes" label={t.communes} hint={t.communesHint} error={errors.communeCodes}>
            {(aria) => <input {...aria} value={form.communes} onInput={set('communes')} />}
          </Field>
          <fieldset class="checks" aria-describedby="order-categories-hint">
            <legend>{t.categories}</legend>
            <span id="order-categories-hint" class="hint">
              {t.categoriesHint}
            </span>
            {serviceCategories.data?.items
              .filter((c) => c.active)
              .map((c) => (
                <label key={c.code}>
                  <input
                    type="checkbox"
                    checked={categories.includes(c.code)}
                    onChange={(e) =>
                      setCategories(e.currentTarget.checked ? [...categories, c.code] : categories.filter((x) => x !== c.code))
                    }
                  />{' '}
                  {lang === 'fr' ? c.labelFr : c.labelEn}
                </label>
              ))}
          </fieldset>
          <label>
            <input
              type="checkbox"
              checked={form.redeemableBeforeDistribution}
              onChange={(e) => setForm({ ...form, redeemableBeforeDistribution: e.currentTarget.checked })}
            />{' '}
            {t.redeemableBefore}
          </label>
          <label>
            <input
              type="checkbox"
              checked={form.selfRedemptionAllowed}
              onChange={(e) => setForm({ ...form, selfRedemptionAllowed: e.currentTarget.checked })}
            />{' '}
            {t.selfRedemption}
          </label>
        </fieldset>
        <ProblemNotice lang={lang} problem={problem} messages={ORDER_MESSAGES} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t.busy : t.submit}
          </button>
          <Link href="/app/orders">{t.cancel}</Link>
        </div>
      </form>
    </section>
  );
}

export function grantLabel(lang: Lang, g: Grant & { programmeName: string }): string {
  return `${g.programmeName} — ${formatCents(lang, g.amountCents)} (${formatDate(lang, g.awardedOn)}, ${formatCount(lang, g.cofinancingRateBp / 100)} %)`;
}
