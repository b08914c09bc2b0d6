import createClient from 'openapi-fetch';
import type { paths } from './schema';

/** The typed client of the platform's own API (types generated from openapi.json at build time). */
export const api = createClient<paths>({ baseUrl: '' });
