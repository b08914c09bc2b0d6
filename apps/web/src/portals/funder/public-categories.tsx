import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import { problemText, ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import './funder.css';

const TEXT = {
  fr: {
    title: 'Publics suivis',
    intro:
      'Les catégories de publics que les distributeurs renseignent en remettant un carnet (par exemple « Demandeur d’emploi »), pour vos rapports. Jamais de catégorie révélant la santé, un handicap ou une autre donnée sensible.',
    list: 'Vos catégories',
    code: 'Code',
    labelFr: 'Libellé en français',
    labelEn: 'Libellé en anglais',
    active: 'Active',
    yes: 'Oui',
    no: 'Non',
    none: 'Aucune catégorie pour le moment.',
    add: 'Ajouter une catégorie',
    codeHint:
      '2 à 40 caractères : lettres minuscules, chiffres, « _ » ou « - », en commençant par une lettre (par exemple demandeur_emploi).',
    submit: 'Ajouter',
    busy: 'Ajout…',
    added: (l: string) => `La catégorie « ${l} » est ajoutée.`,
    badCode: 'Le code doit faire 2 à 40 caractères : lettres minuscules, chiffres, « _ » ou « - », en commençant par une lettre.',
    needLabel: 'Indiquez le libellé.',
    loading: 'Chargement…',
  },
  en: {
    title: 'Publics followed',
    intro:
      'The categories of people distributors record when they hand a booklet over (e.g. “Job seeker”), for your reports. Never a category revealing health, disability or other sensitive data.',
    list: 'Your categories',
    code: 'Code',
    labelFr: 'French label',
    labelEn: 'English label',
    active: 'Active',
    yes: 'Yes',
    no: 'No',
    none: 'No category yet.',
    add: 'Add a category',
    codeHint: '2 to 40 characters: lower-case letters, digits, “_” or “-”, starting with a letter (e.g. job_seeker).',
    submit: 'Add',
    busy: 'Adding…',
    added: (l: string) => `The category “${l}” is added.`,
    badCode: 'The code must be 2 to 40 characters: lower-case letters, digits, “_” or “-”, starting with a letter.',
    needLabel: 'Give the label.',
    loading: 'Loading…',
  },
};

const MESSAGES = {
  CATEGORY_FORBIDDEN: {
    fr: 'Refusé : une catégorie de public ne peut pas révéler la santé, un handicap ou une autre donnée sensible.',
    en: 'Refused: a public category may not reveal health, disability or other sensitive data.',
  },
  CATEGORY_TAKEN: { fr: 'Vous avez déjà une catégorie avec ce code.', en: 'You already have a category with this code.' },
};

/** The funder's public categories (what distributors record at hand-over), and adding one. */
export function PublicCategoriesPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const list = useLoad(() => api.GET('/v1/public-categories', {}), []);
  const [form, setForm] = useState({ code: '', labelFr: '', labelEn: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: valueOf(e) });

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!/^[a-z][a-z0-9_-]{1,39}$/.test(form.code)) local.code = t.badCode;
    if (!form.labelFr.trim()) local.labelFr = t.needLabel;
    if (!form.labelEn.trim()) local.labelEn = t.needLabel;
    setErrors(local);
    setProblem(undefined);
    setNotice(undefined);
    if (Object.keys(local).length) {
      document.getElementById(`category-${Object.keys(local)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const { data, error, response } = await api.POST('/v1/public-categories', {
        body: { code: form.code, labelFr: form.labelFr.trim(), labelEn: form.labelEn.trim() },
      });
      if (data) {
        setNotice(t.added(lang === 'fr' ? data.labelFr : data.labelEn));
        setForm({ code: '', labelFr: '', labelEn: '' });
        list.reload();
      } else {
        const p = asProblem(error, response);
        setProblem(p);
        if (p.field && p.field in form) setErrors({ [p.field]: problemText(lang, p, MESSAGES) });
      }
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
      <ProblemNotice lang={lang} problem={list.problem} />
      {list.data && list.data.items.length === 0 && <p>{t.none}</p>}
      {!!list.data?.items.length && (
        <table data-table="categories">
          <caption>{t.list}</caption>
          <thead>
            <tr>
              <th scope="col">{t.code}</th>
              <th scope="col">{t.labelFr}</th>
              <th scope="col">{t.labelEn}</th>
              <th scope="col">{t.active}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.code}>
                <th scope="row">
                  <code>{c.code}</code>
                </th>
                <td>{c.labelFr}</td>
                <td>{c.labelEn}</td>
                <td>{c.active ? t.yes : t.no}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {me.role === 'admin' && (
        <section aria-labelledby="category-add" class="panel">
          <h2 id="category-add">{t.add}</h2>
          <form onSubmit={(e) => void submit(e)} noValidate>
            <Field id="category-code" label={t.code} hint={t.codeHint} error={errors.code}>
              {(aria) => <input {...aria} required maxLength={40} value={form.code} onInput={set('code')} />}
            </Field>
            <Field id="category-labelFr" label={t.labelFr} error={errors.labelFr}>
              {(aria) => <input {...aria} required maxLength={120} value={form.labelFr} onInput={set('labelFr')} />}
            </Field>
            <Field id="category-labelEn" label={t.labelEn} error={errors.labelEn}>
              {(aria) => <input {...aria} required maxLength={120} value={form.labelEn} onInput={set('labelEn')} />}
            </Field>
            <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
            <p role="status" class="ok">
              {notice}
            </p>
            <div>
              <button type="submit" class="primary" disabled={busy}>
                {busy ? t.busy : t.submit}
              </button>
            </div>
          </form>
        </section>
      )}
    </section>
  );
}
