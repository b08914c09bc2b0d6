import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiProblem, asProblem } from '../api/client';

type Page<T> = { items: T[]; nextCursor?: string | null };

/**
 * A cursor-paged list (the API's `limit`/`cursor` → `items`/`nextCursor`): the first page, then
 * `more()` appends the next one. Changing `deps` (a filter) starts again from the first page.
 */
export function usePages<T>(
  load: (cursor?: string) => Promise<{ data?: Page<T>; error?: unknown; response: Response }>,
  deps: unknown[],
): { items: T[]; problem?: ApiProblem; loading: boolean; hasMore: boolean; more: () => void; reload: () => void } {
  const [state, setState] = useState<{ items: T[]; next?: string | null; problem?: ApiProblem; loading: boolean }>({
    items: [],
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const fetchPage = useCallback(
    (cursor: string | undefined, append: boolean) => {
      setState((s) => ({ ...s, loading: true }));
      return load(cursor)
        .then(({ data, error, response }) =>
          setState((s) =>
            data
              ? { items: append ? [...s.items, ...data.items] : data.items, next: data.nextCursor, loading: false }
              : { ...s, problem: asProblem(error, response), loading: false },
          ),
        )
        .catch(() => setState((s) => ({ ...s, problem: asProblem(undefined), loading: false })));
    },
    // `load` closes over the deps.
    deps,
  );
  useEffect(() => void fetchPage(undefined, false), [fetchPage, tick]);
  return {
    items: state.items,
    problem: state.problem,
    loading: state.loading,
    hasMore: !!state.next,
    more: () => void fetchPage(state.next ?? undefined, true),
    reload: () => setTick((n) => n + 1),
  };
}
