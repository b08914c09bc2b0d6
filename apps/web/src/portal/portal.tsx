import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import { Link, matchPath, navigate } from '../router';
import { Me, restoreSession, signOut, useSession } from '../session';
import { PageProps, pageAllows, PortalPage } from './page';
import { PORTAL_PAGES } from './pages';
import { ProfilePage } from './profile';

const TEXT = {
  fr: {
    loading: 'Chargement…',
    menu: 'Menu principal',
    profile: 'Mon profil',
    signOut: 'Se déconnecter',
    notFound: 'Cette page n’existe pas ou votre compte n’y a pas accès.',
    loadFailed: 'Cette page n’a pas pu être chargée. Vérifiez votre connexion et rechargez.',
  },
  en: {
    loading: 'Loading…',
    menu: 'Main menu',
    profile: 'My profile',
    signOut: 'Sign out',
    notFound: 'This page does not exist or your account may not open it.',
    loadFailed: 'This page could not be loaded. Check your connection and reload.',
  },
};

const PROFILE: PortalPage = {
  path: '/app/profile',
  title: { fr: 'Mon profil', en: 'My profile' },
  kinds: ['operator', 'funder', 'distributor', 'site'],
  nav: false,
  load: () => Promise.resolve(ProfilePage),
};

const loaded = new Map<PortalPage, ComponentType<PageProps>>();

/** Everything under /app: the signed-in user's portal (their organisation's kinds and their role). */
export function Portal({ lang, path }: { lang: Lang; path: string }) {
  const t = TEXT[lang];
  const session = useSession();
  // The screen's code downloads while the session is restored (on a slow network, one round trip less).
  useEffect(
    () =>
      void PORTAL_PAGES.find((p) => matchPath(p.path, path))
        ?.load()
        .catch(() => undefined),
    [path],
  );
  useEffect(() => {
    if (session.status === 'unknown') void restoreSession();
    if (session.status === 'anonymous') navigate(`/login?next=${encodeURIComponent(path + window.location.search)}`, { replace: true });
  }, [session.status, path]);
  if (session.status !== 'signed-in') return <p aria-busy="true">{t.loading}</p>;
  const me = session.me;
  const pages = [...PORTAL_PAGES.filter((p) => pageAllows(p, me)), PROFILE];
  const home = pages.find((p) => p.nav !== false) ?? PROFILE;
  if (path === '/app') {
    navigate(home.path, { replace: true });
    return null;
  }
  const match = pages.map((page) => ({ page, params: matchPath(page.path, path) })).find((m) => m.params);
  return (
    <>
      <nav aria-label={t.menu} class="portal-nav">
        <span class="org">{me.organisation.legalName}</span>
        <ul>
          {pages
            .filter((p) => p.nav !== false)
            .map((p) => (
              <li key={p.path}>
                <Link href={p.path} aria-current={match?.page === p ? 'page' : undefined}>
                  {p.title[lang]}
                </Link>
              </li>
            ))}
          <li>
            <Link href={PROFILE.path} aria-current={match?.page === PROFILE ? 'page' : undefined}>
              {t.profile}
            </Link>
          </li>
          <li>
            <button type="button" onClick={() => void signOut().then(() => navigate('/login'))}>
              {t.signOut}
            </button>
          </li>
        </ul>
      </nav>
      {match ? <Screen page={match.page} params={match.params!} lang={lang} me={me} /> : <p role="alert">{t.notFound}</p>}
    </>
  );
}

function Screen({ page, params, lang, me }: { page: PortalPage; params: Record<string, string>; lang: Lang; me: Me }) {
  const [component, setComponent] = useState<{ C?: ComponentType<PageProps>; failed?: boolean }>({ C: loaded.get(page) });
  useEffect(() => {
    document.title = `${page.title[lang]} · Sillage`;
    if (loaded.has(page)) return setComponent({ C: loaded.get(page) });
    let live = true;
    page
      .load()
      .then((C) => {
        loaded.set(page, C);
        if (live) setComponent({ C });
      })
      .catch(() => live && setComponent({ failed: true }));
    return () => {
      live = false;
    };
  }, [page, lang]);
  if (component.failed) return <p role="alert">{TEXT[lang].loadFailed}</p>;
  if (!component.C) return <p aria-busy="true">{TEXT[lang].loading}</p>;
  const C = component.C;
  return <C lang={lang} me={me} params={params} />;
}
