import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { authorisedFetch } from '../session';

/**
 * The typed client of the platform's own API (types generated from openapi.json at build time). It
 * sends the signed-in user's access token, and refreshes it once when the API says it has expired.
 */
export const api = createClient<paths>({ baseUrl: '', fetch: authorisedFetch });

/** An RFC 9457 problem as the API answers it (`code` is the stable one to switch on). */
export interface ApiProblem {
  status: number;
  code: string;
  detail: string;
  field?: string;
  errors?: { field: string; code: string; message: string }[];
}

/** The problem of a failed call, whatever the body held (a network failure is status 0). */
export function asProblem(error: unknown, response?: Response): ApiProblem {
  const e = (error ?? {}) as Partial<ApiProblem>;
  return {
    status: response?.status ?? e.status ?? 0,
    code: typeof e.code === 'string' ? e.code : 'UNKNOWN',
    detail: typeof e.detail === 'string' ? e.detail : '',
    field: e.field,
    errors: e.errors,
  };
}
