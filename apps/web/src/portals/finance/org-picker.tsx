import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Lang } from '../../i18n';
import { Field, valueOf } from '../../ui/field';
import { useLoad } from '../../ui/use-load';

const TEXT = {
  fr: {
    search: (what: string) => `Rechercher un ${what} par son nom`,
    pick: (what: string) => `${what[0].toUpperCase()}${what.slice(1)}`,
    all: (what: string) => `Tous les ${what}s`,
    found: (n: number) => (n === 0 ? 'Aucun résultat.' : `${n} résultat${n > 1 ? 's' : ''} (les 50 premiers).`),
  },
  en: {
    search: (what: string) => `Search a ${what} by name`,
    pick: (what: string) => `${what[0].toUpperCase()}${what.slice(1)}`,
    all: (what: string) => `All ${what}s`,
    found: (n: number) => (n === 0 ? 'No match.' : `${n} match${n === 1 ? '' : 'es'} (the first 50).`),
  },
};

/**
 * A filter on one organisation of a kind (operator screens): type part of its name, then choose it
 * in the list of matches. `noun` is what it is called ("lieu" / "site").
 */
export function OrgPicker(props: {
  lang: Lang;
  id: string;
  kind: 'site' | 'funder';
  noun: string;
  value: string;
  onChange: (id: string) => void;
}) {
  const t = TEXT[props.lang];
  const [q, setQ] = useState('');
  const found = useLoad(
    () => api.GET('/v1/organisations', { params: { query: { kind: props.kind, q: q.trim() || undefined, limit: 50 } } }),
    [props.kind, q],
  );
  const items = found.data?.items ?? [];
  return (
    <>
      <Field id={`${props.id}-q`} label={t.search(props.noun)}>
        {(aria) => <input {...aria} type="search" value={q} onInput={(e) => setQ(valueOf(e))} />}
      </Field>
      <Field id={props.id} label={t.pick(props.noun)} hint={found.data ? t.found(items.length) : undefined}>
        {(aria) => (
          <select {...aria} value={props.value} onChange={(e) => props.onChange(valueOf(e))}>
            <option value="">{t.all(props.noun)}</option>
            {items.map((o) => (
              <option key={o.id} value={o.id}>
                {o.legalName}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
