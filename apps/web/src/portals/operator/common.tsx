export { ConfirmAction } from '../../ui/confirm-action';
export { formatDateTime, parisToday } from '../../i18n';
export { MoreButton } from '../../ui/more-button';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Lang } from '../../i18n';
import './operator.css';

/** A date-time as people read it (Paris time). */
export const KIND_LABELS: Record<Lang, Record<string, string>> = {
  fr: { operator: 'opérateur', funder: 'financeur', distributor: 'distributeur', site: 'lieu labellisé' },
  en: { operator: 'operator', funder: 'funder', distributor: 'distributor', site: 'labelled site' },
};

export const ROLE_LABELS: Record<Lang, Record<string, string>> = {
  fr: { admin: 'Administrateur', agent: 'Agent', finance: 'Finances', viewer: 'Lecture seule', dpo: 'Délégué à la protection des données' },
  en: { admin: 'Administrator', agent: 'Agent', finance: 'Finance', viewer: 'Read only', dpo: 'Data protection officer' },
};

const names = new Map<string, string>();
const pending = new Map<string, Promise<string>>();

function loadName(id: string): Promise<string> {
  let p = pending.get(id);
  if (!p) {
    p = api
      .GET('/v1/organisations/{id}', { params: { path: { id } } })
      .then(({ data }) => {
        const name = data?.legalName ?? id;
        names.set(id, name);
        return name;
      })
      .catch(() => id);
    pending.set(id, p);
  }
  return p;
}

/** Legal names of organisations by id (read once per id, then cached for the session). */
export function useOrgNames(ids: (string | null | undefined)[]): (id: string | null | undefined) => string {
  const [, setTick] = useState(0);
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  const key = wanted.join(',');
  useEffect(() => {
    let live = true;
    const missing = wanted.filter((id) => !names.has(id));
    if (missing.length) void Promise.all(missing.map(loadName)).then(() => live && setTick((n) => n + 1));
    return () => {
      live = false;
    };
  }, [key]);
  return (id) => (id ? (names.get(id) ?? '…') : '—');
}

/** Remembers a name learnt elsewhere (a list already read), so no extra request is made for it. */
export const rememberOrgName = (id: string, name: string) => names.set(id, name);
