import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiProblem, asProblem } from '../api/client';

/**
 * Loads what a screen shows through the typed client: `{ data }` or `{ problem }`, and `reload`
 * after a change. `load` returns openapi-fetch's `{ data, error, response }`.
 */
export function useLoad<T>(
  load: () => Promise<{ data?: T; error?: unknown; response: Response }>,
  deps: unknown[],
): { data?: T; problem?: ApiProblem; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; problem?: ApiProblem; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load()
      .then(
        ({ data, error, response }) =>
          live && setState(data !== undefined ? { data, loading: false } : { problem: asProblem(error, response), loading: false }),
      )
      .catch(() => live && setState({ problem: asProblem(undefined), loading: false }));
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
