import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { ConfirmAction, formatDateTime, MoreButton } from './common';

type Policy = components['schemas']['PolicyDto'];

const TEXT = {
  fr: {
    title: 'Publication des politiques',
    intro:
      'Une politique publiée a une page de transparence publique, sans connexion : ce qui a été annoncé, obtenu, attribué, exécuté et cofinancé, avec le point de contrôle qui le prouve.',
    q: 'Nom contient',
    apply: 'Filtrer',
    name: 'Politique',
    state: 'Publication',
    published: (d: string) => `Publiée le ${d}`,
    notPublished: 'Non publiée',
    page: 'Page publique',
    actions: 'Actions',
    none: 'Aucune politique.',
    slug: (n: string) => `Adresse publique de « ${n} »`,
    slugHint: 'lettres minuscules et chiffres séparés par des tirets simples, par exemple pass-numerique',
    publish: 'Publier',
    publishQ: 'Publier ? Les chiffres de cette politique deviennent visibles par tous.',
    unpublish: 'Retirer la publication',
    unpublishQ: 'Retirer la page publique ? Son adresse reste réservée à cette politique.',
    didPublish: (n: string, url: string) => `« ${n} » est publiée : ${url}`,
    didUnpublish: (n: string) => `La page publique de « ${n} » est retirée.`,
  },
  en: {
    title: 'Publishing policies',
    intro:
      'A published policy has a public transparency page, without login: what was announced, obtained, awarded, executed and co-financed, with the checkpoint that proves it.',
    q: 'Name contains',
    apply: 'Filter',
    name: 'Policy',
    state: 'Publication',
    published: (d: string) => `Published on ${d}`,
    notPublished: 'Not published',
    page: 'Public page',
    actions: 'Actions',
    none: 'No policy.',
    slug: (n: string) => `Public address of “${n}”`,
    slugHint: 'lower-case letters and digits separated by single hyphens, e.g. pass-numerique',
    publish: 'Publish',
    publishQ: 'Publish? This policy’s figures become visible to everyone.',
    unpublish: 'Withdraw the publication',
    unpublishQ: 'Withdraw the public page? Its address stays reserved for this policy.',
    didPublish: (n: string, url: string) => `“${n}” is published: ${url}`,
    didUnpublish: (n: string) => `The public page of “${n}” is withdrawn.`,
  },
};

const MESSAGES = {
  SLUG_TAKEN: { fr: 'Une autre politique est déjà publiée à cette adresse.', en: 'Another policy is already published at this address.' },
};

/** The policies and their public transparency page: publish at an address, or withdraw it. */
export function PoliciesPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState('');
  const [message, setMessage] = useState<string>();
  const list = usePages<Policy>((cursor) => api.GET('/v1/policies', { params: { query: { cursor, q: filter || undefined } } }), [filter]);
  const admin = me.role === 'admin';
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(q.trim());
        }}
      >
        <Field id="policies-q" label={t.q}>
          {(a) => <input {...a} value={q} onInput={(e) => setQ(valueOf(e))} />}
        </Field>
        <button type="submit">{t.apply}</button>
      </form>
      <ProblemNotice lang={lang} problem={list.problem} />
      {message && <p role="status">{message}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.name}</th>
            <th scope="col">{t.state}</th>
            <th scope="col">{t.page}</th>
            {admin && <th scope="col">{t.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {list.items.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              <td>{p.publishedAt ? t.published(formatDateTime(lang, p.publishedAt)) : t.notPublished}</td>
              <td>{p.publishedAt && p.slug ? <a href={`/transparence/${p.slug}`}>/transparence/{p.slug}</a> : '—'}</td>
              {admin && (
                <td>
                  <PublishControl
                    lang={lang}
                    policy={p}
                    onDone={(text) => {
                      setMessage(text);
                      list.reload();
                    }}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
    </section>
  );
}

function PublishControl({ lang, policy: p, onDone }: { lang: PageProps['lang']; policy: Policy; onDone: (text: string) => void }) {
  const t = TEXT[lang];
  const suggested =
    p.slug ??
    p.name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80);
  const [slug, setSlug] = useState(suggested);
  const [problem, setProblem] = useState<ApiProblem>();
  const path = { params: { path: { id: p.id } } };
  const publish = async () => {
    const { data, error, response } = await api.POST('/v1/policies/{id}/publish', { ...path, body: { slug } });
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    onDone(t.didPublish(data.name, `${location.origin}/transparence/${data.slug}`));
  };
  const unpublish = async () => {
    const { data, error, response } = await api.POST('/v1/policies/{id}/unpublish', path);
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    onDone(t.didUnpublish(data.name));
  };
  if (p.publishedAt)
    return (
      <>
        <ConfirmAction lang={lang} label={t.unpublish} question={t.unpublishQ} onConfirm={() => void unpublish()} />
        <ProblemNotice lang={lang} problem={problem} />
      </>
    );
  return (
    <div class="actions">
      <Field id={`slug-${p.id}`} label={t.slug(p.name)} hint={t.slugHint} error={problem?.field === 'slug' ? problem.detail : undefined}>
        {(a) => <input {...a} value={slug} onInput={(e) => setSlug(valueOf(e))} />}
      </Field>
      <ConfirmAction lang={lang} label={t.publish} question={t.publishQ} primary onConfirm={() => void publish()} />
      <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
    </div>
  );
}
