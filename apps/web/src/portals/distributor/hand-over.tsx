import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';

import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { problemText } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { parisToday, SERIAL, serialKey, useCategories, useFunderNames, useReceivedRanges } from './common';
import './distributor.css';

type AgeBand = components['schemas']['ProfileInputDto']['ageBand'];
type Purpose = components['schemas']['ConsentInputDto']['purpose'];
type FieldName = 'bookletSerial' | 'ageBand' | 'communeCode' | 'publicCategoryCode' | 'consent' | 'email' | 'phone' | 'name' | 'handedOn';

const AGE_BANDS: AgeBand[] = ['under_18', '18_25', '26_44', '45_59', '60_74', '75_plus'];
const PURPOSES: Purpose[] = ['follow_up', 'reminders', 'satisfaction_survey'];
/** The version of the consent text below, recorded with the consent (change it whenever the text changes). */
const CONSENT_TEXT_VERSION = 'desk-contact-v1';

const COMMUNE = /^(\d{5}|2[AB]\d{3})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 .-]{6,20}$/;

const TEXT = {
  fr: {
    title: 'Remettre un carnet',
    intro: 'Saisissez ou scannez le numéro du carnet, renseignez le profil de la personne, puis appuyez sur Entrée.',
    serial: 'Numéro du carnet',
    serialHint: 'Imprimé sur la couverture, par exemple SLG-2026-000123. Un lecteur de code-barres le saisit pour vous.',
    bookletOf: (order: string, funder: string) => `Carnet de la commande ${order}, financée par ${funder}.`,
    profile: 'Profil de la personne (pour les statistiques, sans son nom)',
    ageBand: 'Tranche d’âge',
    choose: '— Choisir —',
    ages: {
      under_18: 'Moins de 18 ans',
      '18_25': '18 à 25 ans',
      '26_44': '26 à 44 ans',
      '45_59': '45 à 59 ans',
      '60_74': '60 à 74 ans',
      '75_plus': '75 ans et plus',
    } as Record<AgeBand, string>,
    commune: 'Commune de résidence (code INSEE)',
    communeHint: '5 caractères, par exemple 69123 pour Lyon ou 2A004 pour Ajaccio.',
    category: 'Catégorie de public',
    categoryHint: 'Celles que le financeur suit. Laissez vide si aucune ne correspond.',
    noCategory: '— Aucune —',
    contact: 'Coordonnées (seulement avec l’accord de la personne)',
    consentRead: 'Texte à lire à la personne :',
    consentText: (purpose: string) =>
      `Si vous êtes d’accord, nous enregistrons vos coordonnées pour ${purpose}. Elles sont chiffrées, seule notre structure peut les lire, ` +
      'et elles sont effacées au plus tard 12 mois après la fin de validité de vos chèques. Vous pouvez retirer votre accord à tout moment, ' +
      'auprès de nous ou depuis la page de votre pass.',
    purposes: {
      follow_up: 'vous recontacter pour le suivi de votre accompagnement',
      reminders: 'vous rappeler d’utiliser vos chèques avant qu’ils n’expirent',
      satisfaction_survey: 'vous proposer une enquête de satisfaction',
    } as Record<Purpose, string>,
    purpose: 'Pourquoi la recontacter',
    consent: 'La personne a entendu ce texte et accepte que ses coordonnées soient enregistrées',
    name: 'Nom (facultatif)',
    email: 'Adresse e-mail',
    phone: 'Téléphone',
    contactHint: 'Au moins l’un des deux.',
    otherDay: 'Remise faite un autre jour ?',
    handedOn: 'Date de la remise',
    handedOnHint: 'Laissez vide pour aujourd’hui.',
    submit: 'Enregistrer la remise',
    past: 'Voir les remises effectuées',
    sending: 'Enregistrement…',
    done: (serial: string, withContact: boolean) =>
      `Carnet ${serial} remis${withContact ? ', coordonnées enregistrées avec l’accord de la personne' : ''}. Le formulaire est prêt pour la personne suivante.`,
    count: (n: number) => `${n} remise${n > 1 ? 's' : ''} enregistrée${n > 1 ? 's' : ''} depuis l’ouverture de cette page.`,
    fix: (n: number) => `${n} champ${n > 1 ? 's' : ''} à corriger :`,
    errors: {
      serialMissing: 'Saisissez ou scannez le numéro du carnet.',
      serialFormat: 'Ce numéro n’a pas la forme d’un numéro de carnet (par exemple SLG-2026-000123).',
      ageBand: 'Choisissez la tranche d’âge.',
      communeMissing: 'Saisissez le code INSEE de la commune.',
      communeFormat: 'Un code INSEE compte 5 caractères, par exemple 69123.',
      contactMissing: 'Avec l’accord, saisissez au moins une adresse e-mail ou un téléphone.',
      email: 'Cette adresse e-mail n’est pas valide.',
      phone: 'Ce numéro de téléphone n’est pas valide.',
      futureDate: 'La date de remise ne peut pas être dans le futur.',
    },
  },
  en: {
    title: 'Hand a booklet over',
    intro: 'Type or scan the booklet number, fill in the person’s profile, then press Enter.',
    serial: 'Booklet number',
    serialHint: 'Printed on the cover, for example SLG-2026-000123. A barcode reader types it for you.',
    bookletOf: (order: string, funder: string) => `Booklet of order ${order}, funded by ${funder}.`,
    profile: 'The person’s profile (for statistics, without their name)',
    ageBand: 'Age band',
    choose: '— Choose —',
    ages: {
      under_18: 'Under 18',
      '18_25': '18 to 25',
      '26_44': '26 to 44',
      '45_59': '45 to 59',
      '60_74': '60 to 74',
      '75_plus': '75 and over',
    } as Record<AgeBand, string>,
    commune: 'Commune of residence (INSEE code)',
    communeHint: '5 characters, for example 69123 for Lyon or 2A004 for Ajaccio.',
    category: 'Public category',
    categoryHint: 'Those the funder follows. Leave empty if none applies.',
    noCategory: '— None —',
    contact: 'Contact details (only with the person’s consent)',
    consentRead: 'Text to read to the person:',
    consentText: (purpose: string) =>
      `If you agree, we record your contact details to ${purpose}. They are encrypted, only our organisation can read them, ` +
      'and they are erased at the latest 12 months after your vouchers expire. You can withdraw your consent at any time, ' +
      'with us or from your pass page.',
    purposes: {
      follow_up: 'contact you again to follow up on your support',
      reminders: 'remind you to use your vouchers before they expire',
      satisfaction_survey: 'offer you a satisfaction survey',
    } as Record<Purpose, string>,
    purpose: 'Why contact them again',
    consent: 'The person heard this text and agrees that their contact details are recorded',
    name: 'Name (optional)',
    email: 'Email address',
    phone: 'Phone',
    contactHint: 'At least one of the two.',
    otherDay: 'Handed over on another day?',
    handedOn: 'Hand-over date',
    handedOnHint: 'Leave empty for today.',
    submit: 'Record the hand-over',
    past: 'See past hand-overs',
    sending: 'Recording…',
    done: (serial: string, withContact: boolean) =>
      `Booklet ${serial} handed over${withContact ? ', contact details recorded with the person’s consent' : ''}. The form is ready for the next person.`,
    count: (n: number) => `${n} hand-over${n > 1 ? 's' : ''} recorded since this page was opened.`,
    fix: (n: number) => `${n} field${n > 1 ? 's' : ''} to correct:`,
    errors: {
      serialMissing: 'Type or scan the booklet number.',
      serialFormat: 'This is not a booklet number (for example SLG-2026-000123).',
      ageBand: 'Choose the age band.',
      communeMissing: 'Type the INSEE code of the commune.',
      communeFormat: 'An INSEE code has 5 characters, for example 69123.',
      contactMissing: 'With consent, type at least an email address or a phone number.',
      email: 'This email address is not valid.',
      phone: 'This phone number is not valid.',
      futureDate: 'The hand-over date cannot be in the future.',
    },
  },
};

/** The API's refusals, in the reader's words. */
const PROBLEMS = {
  BOOKLET_NOT_IN_STOCK: {
    fr: 'Ce carnet n’est pas dans votre stock : numéro inconnu ou carnet d’une autre structure. Vérifiez le numéro.',
    en: 'This booklet is not in your stock: unknown number or another organisation’s booklet. Check the number.',
  },
  ALREADY_HANDED_OVER: {
    fr: 'Ce carnet a déjà été remis à quelqu’un. Si c’était une erreur, annulez d’abord cette remise dans « Remises effectuées ».',
    en: 'This booklet was already handed over. If that was a mistake, first cancel that hand-over in “Past hand-overs”.',
  },
  DISTRIBUTION_STOPPED: {
    fr: 'La distribution des carnets de cette commande est terminée : ce carnet ne peut plus être remis.',
    en: 'Distribution of this order’s booklets has ended: this booklet can no longer be handed over.',
  },
  HANDOVER_DATE_INVALID: {
    fr: 'Ce carnet n’est arrivé dans votre stock qu’après la date de remise.',
    en: 'This booklet reached your stock only after the hand-over date.',
  },
  CATEGORY_UNKNOWN: {
    fr: 'Cette catégorie de public n’est pas suivie par le financeur de ce carnet. Choisissez-en une autre ou aucune.',
    en: 'The funder of this booklet does not follow this public category. Choose another one or none.',
  },
  CONSENT_REQUIRED: {
    fr: 'Les coordonnées ne sont enregistrées qu’avec l’accord de la personne : cochez la case d’accord ou videz les coordonnées.',
    en: 'Contact details are recorded only with the person’s consent: tick the consent box or clear the contact details.',
  },
  blocked: {
    fr: 'Ce carnet est bloqué (déclaré perdu ou volé) : il ne peut pas être remis.',
    en: 'This booklet is blocked (reported lost or stolen): it cannot be handed over.',
  },
};

interface Form {
  bookletSerial: string;
  ageBand: AgeBand | '';
  communeCode: string;
  publicCategoryCode: string;
  consent: boolean;
  purpose: Purpose;
  name: string;
  email: string;
  phone: string;
  handedOn: string;
}

const EMPTY: Form = {
  bookletSerial: '',
  ageBand: '',
  communeCode: '',
  publicCategoryCode: '',
  consent: false,
  purpose: 'follow_up',
  name: '',
  email: '',
  phone: '',
  handedOn: '',
};

/** Typed or scanned text as a serial: trimmed, upper case (a scanner or a hurried hand may differ). */
const normalSerial = (s: string) => s.trim().toUpperCase();

/**
 * The hand-over desk: one booklet to one person, keyboard first. The serial field has the focus,
 * a scanner types it and Enter sends; the profile is what the funder's reporting needs (age band,
 * commune, and a public category only when the funder follows some); contact details only after
 * the consent text was read and accepted. After a hand-over the form is empty and the focus back
 * on the serial, for the next person in the queue.
 */
export function HandOverPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [problem, setProblem] = useState<string | undefined>();
  const [done, setDone] = useState<{ serial: string; withContact: boolean } | undefined>();
  const [count, setCount] = useState(0);
  const [busy, setBusy] = useState(false);
  // A scanner may send Enter twice: one hand-over in flight at a time (a ref, read before any re-render).
  const inFlight = useRef(false);
  const refs = {
    bookletSerial: useRef<HTMLInputElement>(null),
    ageBand: useRef<HTMLSelectElement>(null),
    communeCode: useRef<HTMLInputElement>(null),
    publicCategoryCode: useRef<HTMLSelectElement>(null),
    consent: useRef<HTMLInputElement>(null),
    email: useRef<HTMLInputElement>(null),
    phone: useRef<HTMLInputElement>(null),
    name: useRef<HTMLInputElement>(null),
    handedOn: useRef<HTMLInputElement>(null),
  };
  const [otherDay, setOtherDay] = useState(false);

  const stock = useLoad(
    () => api.GET('/v1/distributors/{id}/stock', { params: { path: { id: me.organisation.id } } }),
    [me.organisation.id],
  );
  const stockFunders = [...new Set((stock.data?.lines ?? []).map((l) => l.funderId))];
  const ranges = useReceivedRanges(me.organisation.id);
  const categories = useCategories(stockFunders);
  const names = useFunderNames(stockFunders);

  // The serial's order and funder, when known; with a single funder in stock, that funder.
  const serial = normalSerial(form.bookletSerial);
  const match = useMemo(() => {
    const key = serialKey(serial);
    return key === undefined ? undefined : ranges.find((r) => r.from <= key && key <= r.to);
  }, [serial, ranges]);
  const funderId = match?.funderId ?? (stockFunders.length === 1 ? stockFunders[0] : undefined);
  const funderCategories = funderId ? (categories[funderId] ?? []) : [];
  const orderReference = match && stock.data?.lines.find((l) => l.orderId === match.orderId)?.orderReference;

  useLayoutEffect(() => refs.bookletSerial.current?.focus(), []);
  // A category of another funder cannot go with this booklet.
  useEffect(() => {
    if (form.publicCategoryCode && !funderCategories.some((c) => c.code === form.publicCategoryCode)) set('publicCategoryCode', '');
  }, [funderId, funderCategories.length]);

  function set<K extends keyof Form>(k: K, v: Form[K]) {
    setForm((f) => ({ ...f, [k]: v }));
    if (errors[k as FieldName]) setErrors((e) => ({ ...e, [k]: undefined }));
  }

  function check(): Partial<Record<FieldName, string>> {
    const e: Partial<Record<FieldName, string>> = {};
    if (!serial) e.bookletSerial = t.errors.serialMissing;
    else if (!SERIAL.test(serial)) e.bookletSerial = t.errors.serialFormat;
    if (!form.ageBand) e.ageBand = t.errors.ageBand;
    const commune = form.communeCode.trim().toUpperCase();
    if (!commune) e.communeCode = t.errors.communeMissing;
    else if (!COMMUNE.test(commune)) e.communeCode = t.errors.communeFormat;
    if (form.consent) {
      if (!form.email.trim() && !form.phone.trim()) e.email = t.errors.contactMissing;
      else if (form.email.trim() && !EMAIL.test(form.email.trim())) e.email = t.errors.email;
      if (form.phone.trim() && !PHONE.test(form.phone.trim())) e.phone = t.errors.phone;
    }
    if (form.handedOn && form.handedOn > parisToday()) e.handedOn = t.errors.futureDate;
    return e;
  }

  function focusFirst(e: Partial<Record<FieldName, string>>) {
    const order: FieldName[] = [
      'bookletSerial',
      'ageBand',
      'communeCode',
      'publicCategoryCode',
      'consent',
      'name',
      'email',
      'phone',
      'handedOn',
    ];
    const first = order.find((f) => e[f]);
    const el = first && refs[first].current;
    if (el) {
      el.focus();
      if (el instanceof HTMLInputElement && el.type === 'text') el.select();
    }
  }

  /** A refusal from the API: on its field when it names one, else above the form. */
  function refused(p: ApiProblem) {
    const message = p.code === 'BOOKLET_NOT_IN_STOCK' && /blocked/.test(p.detail) ? PROBLEMS.blocked[lang] : problemText(lang, p, PROBLEMS);
    const fieldOf: Record<string, FieldName> = {
      bookletSerial: 'bookletSerial',
      // A date refused is the date's fault when one was given, else the booklet's (its order's distribution ended).
      handedOn: form.handedOn ? 'handedOn' : 'bookletSerial',
      'profile.ageBand': 'ageBand',
      'profile.communeCode': 'communeCode',
      'profile.publicCategoryCode': 'publicCategoryCode',
      consent: 'consent',
      'contact.email': 'email',
      'contact.phone': 'phone',
      'contact.name': 'name',
    };
    const e: Partial<Record<FieldName, string>> = {};
    if (p.code === 'VALIDATION_FAILED' && p.errors?.length) {
      for (const x of p.errors) {
        const f = fieldOf[x.field];
        if (f) e[f] = e[f] ?? problemText(lang, { ...p, detail: x.message });
      }
    } else if (p.field && fieldOf[p.field]) e[fieldOf[p.field]] = message;
    setErrors(e);
    setProblem(message);
    focusFirst(Object.keys(e).length ? e : { bookletSerial: 'x' });
  }

  async function submit(ev: Event) {
    ev.preventDefault();
    if (inFlight.current) return;
    setDone(undefined);
    setProblem(undefined);
    const e = check();
    setErrors(e);
    if (Object.keys(e).length) {
      focusFirst(e);
      return;
    }
    inFlight.current = true;
    setBusy(true);
    const withContact = form.consent;
    const handedOn = form.handedOn || parisToday();
    const body: components['schemas']['CreateHandoverDto'] = {
      bookletSerial: serial,
      ...(form.handedOn ? { handedOn: form.handedOn } : {}),
      profile: {
        ageBand: form.ageBand as AgeBand,
        communeCode: form.communeCode.trim().toUpperCase(),
        ...(form.publicCategoryCode ? { publicCategoryCode: form.publicCategoryCode } : {}),
      },
      ...(withContact
        ? {
            contact: {
              ...(form.name.trim() ? { name: form.name.trim() } : {}),
              ...(form.email.trim() ? { email: form.email.trim() } : {}),
              ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
            },
            consent: { purpose: form.purpose, givenOn: handedOn, textVersion: `${CONSENT_TEXT_VERSION}-${lang}` },
          }
        : {}),
    };
    try {
      const { data, error, response } = await api.POST('/v1/handovers', { body });
      if (data) {
        setForm(EMPTY);
        setOtherDay(false);
        setErrors({});
        setDone({ serial: data.bookletSerial, withContact });
        setCount((n) => n + 1);
        stock.reload();
        refs.bookletSerial.current?.focus();
      } else refused(asProblem(error, response));
    } catch {
      refused(asProblem(undefined));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  const shownErrors = Object.entries(errors).filter(([, v]) => v) as [FieldName, string][];
  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <div role="status" aria-live="polite">
        {done && <p class="success">{t.done(done.serial, done.withContact)}</p>}
        {count > 0 && <p class="muted">{t.count(count)}</p>}
      </div>
      <div role="alert">
        {problem && <p class="problem">{problem}</p>}
        {!problem && shownErrors.length > 0 && (
          <p class="problem">
            {t.fix(shownErrors.length)} {shownErrors.map(([, m]) => m).join(' ')}
          </p>
        )}
      </div>
      <form class="hand-over-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field id="bookletSerial" label={t.serial} hint={t.serialHint} error={errors.bookletSerial}>
          {(aria) => (
            <input
              {...aria}
              ref={refs.bookletSerial}
              name="bookletSerial"
              value={form.bookletSerial}
              onInput={(e) => set('bookletSerial', valueOf(e).toUpperCase())}
              autoFocus
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              required
            />
          )}
        </Field>
        <p class="muted" aria-live="polite">
          {match && orderReference && funderId ? t.bookletOf(orderReference, names[funderId] ?? funderId) : ''}
        </p>
        <fieldset>
          <legend>{t.profile}</legend>
          <Field id="ageBand" label={t.ageBand} error={errors.ageBand}>
            {(aria) => (
              <select
                {...aria}
                ref={refs.ageBand}
                value={form.ageBand}
                onChange={(e) => set('ageBand', valueOf(e) as AgeBand | '')}
                required
              >
                <option value="">{t.choose}</option>
                {AGE_BANDS.map((a) => (
                  <option key={a} value={a}>
                    {t.ages[a]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="communeCode" label={t.commune} hint={t.communeHint} error={errors.communeCode}>
            {(aria) => (
              <input
                {...aria}
                ref={refs.communeCode}
                value={form.communeCode}
                onInput={(e) => set('communeCode', valueOf(e))}
                inputMode="text"
                maxLength={5}
                size={7}
                autoComplete="off"
                required
              />
            )}
          </Field>
          {funderCategories.length > 0 && (
            <Field id="publicCategoryCode" label={t.category} hint={t.categoryHint} error={errors.publicCategoryCode}>
              {(aria) => (
                <select
                  {...aria}
                  ref={refs.publicCategoryCode}
                  value={form.publicCategoryCode}
                  onChange={(e) => set('publicCategoryCode', valueOf(e))}
                >
                  <option value="">{t.noCategory}</option>
                  {funderCategories.map((c) => (
                    <option key={c.code} value={c.code}>
                      {lang === 'fr' ? c.labelFr : c.labelEn}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </fieldset>
        <fieldset>
          <legend>{t.contact}</legend>
          <Field id="purpose" label={t.purpose}>
            {(aria) => (
              <select {...aria} value={form.purpose} onChange={(e) => set('purpose', valueOf(e) as Purpose)}>
                {PURPOSES.map((p) => (
                  <option key={p} value={p}>
                    {t.purposes[p]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <p id="consent-text" class="consent-text">
            <strong>{t.consentRead}</strong> {t.consentText(t.purposes[form.purpose])}
          </p>
          <div class="check">
            <input
              type="checkbox"
              id="consent"
              ref={refs.consent}
              checked={form.consent}
              onChange={(e) => set('consent', e.currentTarget.checked)}
              aria-describedby={errors.consent ? 'consent-text consent-error' : 'consent-text'}
              aria-invalid={errors.consent ? true : undefined}
            />
            <label for="consent">{t.consent}</label>
          </div>
          {errors.consent && (
            <span id="consent-error" class="field-error">
              {errors.consent}
            </span>
          )}
          {form.consent && (
            <>
              <Field id="name" label={t.name} error={errors.name}>
                {(aria) => (
                  <input {...aria} ref={refs.name} value={form.name} onInput={(e) => set('name', valueOf(e))} autoComplete="off" />
                )}
              </Field>
              <Field id="email" label={t.email} hint={t.contactHint} error={errors.email}>
                {(aria) => (
                  <input
                    {...aria}
                    ref={refs.email}
                    type="email"
                    value={form.email}
                    onInput={(e) => set('email', valueOf(e))}
                    autoComplete="off"
                  />
                )}
              </Field>
              <Field id="phone" label={t.phone} error={errors.phone}>
                {(aria) => (
                  <input
                    {...aria}
                    ref={refs.phone}
                    type="tel"
                    value={form.phone}
                    onInput={(e) => set('phone', valueOf(e))}
                    autoComplete="off"
                  />
                )}
              </Field>
            </>
          )}
        </fieldset>
        <details open={otherDay || !!form.handedOn || !!errors.handedOn} onToggle={(e) => setOtherDay(e.currentTarget.open)}>
          <summary>{t.otherDay}</summary>
          <Field id="handedOn" label={t.handedOn} hint={t.handedOnHint} error={errors.handedOn}>
            {(aria) => (
              <input
                {...aria}
                ref={refs.handedOn}
                type="date"
                max={parisToday()}
                value={form.handedOn}
                onInput={(e) => set('handedOn', valueOf(e))}
              />
            )}
          </Field>
        </details>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t.sending : t.submit}
          </button>
          <Link href="/app/hand-overs">{t.past}</Link>
        </div>
      </form>
    </section>
  );
}
