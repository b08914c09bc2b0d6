import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
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
  // A first page asked for after a filter changed makes older answers stale: they are dropped.
  const generation = useRef(0);
  const fetchPage = useCallback(
    (cursor: string | undefined, append: boolean) => {
      const asked = append ? generation.current : ++generation.current;
      const current = () => asked === generation.current;
      setState((s) => ({ ...s, loading: true }));
      return load(cursor)
        .then(
          ({ data, error, response }) =>
            current() &&
            setState((s) =>
              data
                ? { items: append ? [...s.items, ...data.items] : data.items, next: data.nextCursor, loading: false }
                : { ...s, problem: asProblem(error, response), loading: false },
            ),
        )
        .catch(() => current() && setState((s) => ({ ...s, problem: asProblem(undefined), loading: false })));
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
