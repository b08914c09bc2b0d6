import { Lang, useLang } from './i18n';
import { LoginPage } from './pages/login';
import { PassPage } from './pages/pass';
import { PublicTransparency } from './pages/public-transparency';
import { SetPasswordPage } from './pages/set-password';
import { Portal } from './portal/portal';
import { Link, useLocation } from './router';

const TEXT = {
  fr: {
    skip: 'Aller au contenu',
    switchTo: 'English',
    switchLabel: 'Switch to English',
    home: 'Sillage : des chèques traçables',
    homeText: 'Les financeurs, les structures qui remettent les carnets, les lieux labellisés et l’opérateur se connectent ici.',
    login: 'Se connecter',
    notFound: 'Page introuvable.',
  },
  en: {
    skip: 'Skip to content',
    switchTo: 'Français',
    switchLabel: 'Passer en français',
    home: 'Sillage: traceable vouchers',
    homeText: 'Funders, the organisations that hand booklets out, labelled sites and the operator sign in here.',
    login: 'Sign in',
    notFound: 'Page not found.',
  },
};

/** Which page a path shows (the API serves this app for these paths, see WEB_APP_PATHS). */
function route(path: string, lang: Lang) {
  const transparency = /^\/transparence\/([a-z0-9-]{1,80})$/.exec(path);
  if (transparency) return <PublicTransparency slug={transparency[1]} lang={lang} />;
  if (path === '/p') return <PassPage lang={lang} />;
  if (path === '/login') return <LoginPage lang={lang} />;
  if (path === '/set-password') return <SetPasswordPage lang={lang} />;
  if (path === '/app' || path.startsWith('/app/')) return <Portal lang={lang} path={path} />;
  if (path === '/')
    return (
      <>
        <h1>{TEXT[lang].home}</h1>
        <p>{TEXT[lang].homeText}</p>
        <Link href="/app">{TEXT[lang].login}</Link>
      </>
    );
  return <p role="alert">{TEXT[lang].notFound}</p>;
}

export function App() {
  const [lang, setLang] = useLang();
  const { path } = useLocation();
  const t = TEXT[lang];
  return (
    <>
      <a class="skip" href="#main">
        {t.skip}
      </a>
      <header>
        <span class="brand">Sillage</span>
        <button
          type="button"
          lang={lang === 'fr' ? 'en' : 'fr'}
          aria-label={t.switchLabel}
          onClick={() => setLang(lang === 'fr' ? 'en' : 'fr')}
        >
          {t.switchTo}
        </button>
      </header>
      <main id="main">{route(path, lang)}</main>
    </>
  );
}
