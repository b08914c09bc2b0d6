import { useEffect, useState } from 'preact/hooks';
import type { components } from './api/schema';

export type Me = components['schemas']['MeDto'];
export type TokenResponse = components['schemas']['TokenResponseDto'];

/**
 * The signed-in user's session. The access token lives in memory only (never in storage a script
 * could read later); the refresh token is the HttpOnly `sillage_refresh` cookie, sent by the browser
 * to /v1/auth only. A reload restores the session by refreshing with that cookie.
 */
export type SessionState = { status: 'unknown' } | { status: 'anonymous' } | { status: 'signed-in'; me: Me };

let state: SessionState = { status: 'unknown' };
let accessToken: string | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<RefreshOutcome> | undefined;
type RefreshOutcome = 'renewed' | 'refused' | 'unreachable';
/** Who signed in on this device last (no token, no name, no email): lets the scanner open offline. */
const OFFLINE_KEY = 'sillage.offline-principal';
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  listeners.forEach((l) => l());
}

export function useSession(): SessionState {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return state;
}

export const currentSession = (): SessionState => state;

function keep(token: TokenResponse): void {
  accessToken = token.accessToken;
  clearTimeout(refreshTimer);
  // Refresh a little before expiry, so a long form is never sent with a dead token.
  refreshTimer = setTimeout(() => void refresh(), Math.max(10, token.expiresIn * 0.8) * 1000);
}

/** After login or TOTP confirmation: keep the token and learn who we are. */
export async function signIn(token: TokenResponse): Promise<Me> {
  keep(token);
  const me = await loadMe();
  if (!me) throw new Error('the new session was refused');
  return me;
}

export async function loadMe(): Promise<Me | undefined> {
  const response = await authorisedFetch(new Request('/v1/me'));
  if (!response.ok) {
    forget();
    return undefined;
  }
  const me = (await response.json()) as Me;
  localStorage.setItem(OFFLINE_KEY, JSON.stringify({ type: me.type, id: me.id, role: me.role, organisation: me.organisation }));
  setState({ status: 'signed-in', me });
  return me;
}

function forget(): void {
  accessToken = undefined;
  localStorage.removeItem(OFFLINE_KEY);
  clearTimeout(refreshTimer);
  setState({ status: 'anonymous' });
}

/**
 * Rotates the refresh cookie for a new access token. Tabs take turns (a Web Lock): two tabs
 * presenting the same cookie at once would look like a stolen token and end the login.
 */
function refresh(): Promise<RefreshOutcome> {
  refreshing ??= (async () => {
    const run = async (): Promise<RefreshOutcome> => {
      const response = await fetch('/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      }).catch(() => undefined);
      if (!response) return 'unreachable';
      if (!response.ok) return response.status >= 500 ? 'unreachable' : 'refused';
      keep((await response.json()) as TokenResponse);
      return 'renewed';
    };
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? locks.request('sillage-refresh', run) : run();
  })().finally(() => (refreshing = undefined));
  return refreshing;
}

/**
 * On page load: a session survives a reload through the refresh cookie. Without a connection, the
 * last user of this device goes on offline (the scanner queues scans; nothing is sent without a
 * token, and the first request once online refreshes it — or asks them to sign in again).
 */
export async function restoreSession(): Promise<void> {
  if (state.status !== 'unknown') return;
  const outcome = navigator.onLine ? await refresh() : 'unreachable';
  if (outcome === 'renewed') await loadMe();
  else if (outcome === 'unreachable' && localStorage.getItem(OFFLINE_KEY)) {
    setState({ status: 'signed-in', me: JSON.parse(localStorage.getItem(OFFLINE_KEY)!) as Me });
  } else {
    if (outcome === 'refused') localStorage.removeItem(OFFLINE_KEY);
    setState({ status: 'anonymous' });
  }
}

export async function signOut(): Promise<void> {
  await fetch('/v1/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
  forget();
}

/**
 * fetch with the access token; on a 401 from a business route, one refresh and one retry (the
 * request is cloned before it is sent, so its body can go again).
 */
export async function authorisedFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const withToken = (r: Request) => {
    if (accessToken && !r.headers.has('authorization')) r.headers.set('authorization', `Bearer ${accessToken}`);
    return fetch(r);
  };
  const response = await withToken(input);
  if (response.status !== 401 || new URL(input.url).pathname.startsWith('/v1/auth/')) return response;
  const outcome = await refresh();
  if (outcome === 'renewed') return withToken(retry);
  if (outcome === 'refused') forget();
  return response;
}

/**
 * Downloads a file the API serves to signed-in users (a PDF, a CSV, a SEPA file) under its own name.
 * False when there is no file to save: a refusal, or a 202 (the file is still being made).
 */
export async function downloadFile(url: string, fallbackName: string, accept?: string): Promise<boolean> {
  const response = await authorisedFetch(new Request(url, accept ? { headers: { accept } } : {}));
  if (!response.ok || response.status === 202) return false;
  await saveResponse(response, fallbackName);
  return true;
}

/** Saves a response's body as a file under the name its Content-Disposition gives (or the fallback). */
export async function saveResponse(response: Response, fallbackName: string): Promise<void> {
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const href = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name ? decodeURIComponent(name) : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
