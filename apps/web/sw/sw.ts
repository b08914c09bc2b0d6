/// <reference lib="webworker" />
/**
 * The service worker (registered by the scanner): keeps the app's page and built assets in the
 * browser so a site agent can reopen the scanner without a connection and keep scanning (the scans
 * wait in IndexedDB). It never touches the API: /v1 requests always go to the network.
 *
 * The build (scripts/finish-web-build.ts) replaces the free name `__SILLAGE_PRECACHE__` with the list of the
 * release's assets; a new release is a new list, hence a new cache, and the old one is deleted.
 */
declare const __SILLAGE_PRECACHE__: string[];
const sw = self as unknown as ServiceWorkerGlobalScope;
const PRECACHE = __SILLAGE_PRECACHE__;
const CACHE = `sillage-${PRECACHE.length}-${hash(PRECACHE.join('|'))}`;
const PAGE = '/app';

function hash(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([PAGE, ...PRECACHE]))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('sillage-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
  if (request.mode === 'navigate' && (url.pathname === '/app' || url.pathname.startsWith('/app/') || url.pathname === '/login')) {
    // The page: the network first (a new release), the kept copy without a connection.
    event.respondWith(fetch(request).catch(async () => (await caches.match(PAGE)) ?? Response.error()));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed, immutable files: the kept copy first.
    event.respondWith(
      caches.match(request).then(
        (kept) =>
          kept ??
          fetch(request).then(async (response) => {
            if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
            return response;
          }),
      ),
    );
  }
});
