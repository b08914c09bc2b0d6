import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { MoreButton } from './common';

type Category = components['schemas']['ServiceCategoryDto'];

const TEXT = {
  fr: {
    title: 'Catégories de service',
    intro: 'La liste des services qu’un lieu peut rendre et déclarer à chaque passage d’un chèque.',
    show: 'Afficher',
    all: 'Toutes',
    activeOnly: 'Actives',
    inactiveOnly: 'Désactivées',
    code: 'Code',
    labelFr: 'Libellé en français',
    labelEn: 'Libellé en anglais',
    state: 'État',
    active: 'Active',
    inactive: 'Désactivée',
    actions: 'Actions',
    edit: 'Modifier',
    editOf: (c: string) => `Modifier la catégorie ${c}`,
    save: 'Enregistrer',
    cancel: 'Annuler',
    activeBox: 'Active (proposée pour les nouveaux passages)',
    saved: (c: string) => `La catégorie ${c} est enregistrée.`,
    none: 'Aucune catégorie.',
    create: 'Ajouter une catégorie',
    codeHint: '2 à 40 caractères : lettres minuscules, chiffres, - ou _, en commençant par une lettre. Il ne change plus ensuite.',
    add: 'Ajouter',
  },
  en: {
    title: 'Service categories',
    intro: 'The list of services a site may deliver and record with each voucher it takes.',
    show: 'Show',
    all: 'All',
    activeOnly: 'Active',
    inactiveOnly: 'Deactivated',
    code: 'Code',
    labelFr: 'French label',
    labelEn: 'English label',
    state: 'State',
    active: 'Active',
    inactive: 'Deactivated',
    actions: 'Actions',
    edit: 'Edit',
    editOf: (c: string) => `Edit category ${c}`,
    save: 'Save',
    cancel: 'Cancel',
    activeBox: 'Active (offered for new redemptions)',
    saved: (c: string) => `Category ${c} is saved.`,
    none: 'No category.',
    create: 'Add a category',
    codeHint: '2 to 40 characters: lower-case letters, digits, - or _, starting with a letter. It never changes afterwards.',
    add: 'Add',
  },
};

const MESSAGES = {
  SERVICE_CATEGORY_EXISTS: { fr: 'Une catégorie a déjà ce code.', en: 'A category already has this code.' },
};

/** The operator's list of service categories: list, add, rename, deactivate. */
export function ServiceCategoriesPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [active, setActive] = useState<'' | 'true' | 'false'>('');
  const [editing, setEditing] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const list = usePages<Category>(
    (cursor) => api.GET('/v1/service-categories', { params: { query: { cursor, active: active || undefined } } }),
    [active],
  );
  const admin = me.role === 'admin';
  const saved = (code: string) => {
    setEditing(undefined);
    setProblem(undefined);
    setMessage(t.saved(code));
    list.reload();
  };
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <div class="filters">
        <Field id="categories-active" label={t.show}>
          {(a) => (
            <select {...a} value={active} onChange={(e) => setActive(valueOf(e) as '' | 'true' | 'false')}>
              <option value="">{t.all}</option>
              <option value="true">{t.activeOnly}</option>
              <option value="false">{t.inactiveOnly}</option>
            </select>
          )}
        </Field>
      </div>
      <ProblemNotice lang={lang} problem={list.problem} />
      {message && <p role="status">{message}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.code}</th>
            <th scope="col">{t.labelFr}</th>
            <th scope="col">{t.labelEn}</th>
            <th scope="col">{t.state}</th>
            {admin && <th scope="col">{t.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {list.items.map((c) => (
            <tr key={c.code}>
              <th scope="row">{c.code}</th>
              <td>{c.labelFr}</td>
              <td>{c.labelEn}</td>
              <td>{c.active ? t.active : t.inactive}</td>
              {admin && (
                <td>
                  <button type="button" aria-label={t.editOf(c.code)} onClick={() => setEditing(c.code)}>
                    {t.edit}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
      {admin && editing && (
        <EditCategory
          key={editing}
          lang={lang}
          category={list.items.find((c) => c.code === editing)!}
          onSaved={saved}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {admin && <CreateCategory lang={lang} onCreated={saved} problem={problem} setProblem={setProblem} />}
    </section>
  );
}

function EditCategory(props: { lang: PageProps['lang']; category: Category; onSaved: (code: string) => void; onCancel: () => void }) {
  const t = TEXT[props.lang];
  const c = props.category;
  const [f, setF] = useState({ labelFr: c.labelFr, labelEn: c.labelEn, active: c.active });
  const [problem, setProblem] = useState<ApiProblem>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const { data, error, response } = await api.PATCH('/v1/service-categories/{code}', { params: { path: { code: c.code } }, body: f });
    if (!data) return setProblem(asProblem(error, response));
    props.onSaved(c.code);
  };
  return (
    <form onSubmit={(e) => void submit(e)} class="panel" aria-label={t.editOf(c.code)}>
      <h2>{t.editOf(c.code)}</h2>
      <Field id="edit-category-fr" label={t.labelFr}>
        {(a) => <input {...a} ref={(i) => i?.focus()} value={f.labelFr} onInput={(e) => setF({ ...f, labelFr: valueOf(e) })} />}
      </Field>
      <Field id="edit-category-en" label={t.labelEn}>
        {(a) => <input {...a} value={f.labelEn} onInput={(e) => setF({ ...f, labelEn: valueOf(e) })} />}
      </Field>
      <label>
        <input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.currentTarget.checked })} /> {t.activeBox}
      </label>
      <ProblemNotice lang={props.lang} problem={problem} />
      <div class="actions">
        <button type="submit" class="primary">
          {t.save}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

function CreateCategory(props: {
  lang: PageProps['lang'];
  onCreated: (code: string) => void;
  problem?: ApiProblem;
  setProblem: (p?: ApiProblem) => void;
}) {
  const t = TEXT[props.lang];
  const empty = { code: '', labelFr: '', labelEn: '' };
  const [f, setF] = useState(empty);
  const submit = async (e: Event) => {
    e.preventDefault();
    const { data, error, response } = await api.POST('/v1/service-categories', { body: { ...f, active: true } });
    if (!data) return props.setProblem(asProblem(error, response));
    setF(empty);
    props.onCreated(data.code);
  };
  const codeError = props.problem?.field === 'code' ? props.problem.detail : undefined;
  return (
    <>
      <h2>{t.create}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <Field id="new-category-code" label={t.code} hint={t.codeHint} error={codeError}>
          {(a) => <input {...a} required value={f.code} onInput={(e) => setF({ ...f, code: valueOf(e) })} />}
        </Field>
        <Field id="new-category-fr" label={t.labelFr}>
          {(a) => <input {...a} required value={f.labelFr} onInput={(e) => setF({ ...f, labelFr: valueOf(e) })} />}
        </Field>
        <Field id="new-category-en" label={t.labelEn}>
          {(a) => <input {...a} required value={f.labelEn} onInput={(e) => setF({ ...f, labelEn: valueOf(e) })} />}
        </Field>
        <ProblemNotice lang={props.lang} problem={props.problem} messages={MESSAGES} />
        <button type="submit" class="primary">
          {t.add}
        </button>
      </form>
    </>
  );
}
