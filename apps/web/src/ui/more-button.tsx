import type { Lang } from '../i18n';

/** "Next page" under a cursor-paged list (see usePages); while a page loads, says so. */
export function MoreButton({ lang, hasMore, loading, more }: { lang: Lang; hasMore: boolean; loading: boolean; more: () => void }) {
  if (!hasMore) return loading ? <p aria-busy="true">{lang === 'fr' ? 'Chargement…' : 'Loading…'}</p> : null;
  return (
    <p>
      <button type="button" disabled={loading} onClick={more}>
        {lang === 'fr' ? 'Page suivante' : 'Next page'}
      </button>
    </p>
  );
}
