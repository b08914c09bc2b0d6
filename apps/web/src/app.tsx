import { Lang, useLang } from './i18n';
import { PassPage } from './pages/pass';
import { PublicTransparency } from './pages/public-transparency';

const TEXT = {
  fr: {
    skip: 'Aller au contenu',
    switchTo: 'English',
    switchLabel: 'Switch to English',
    home: 'Sillage : des chèques traçables',
    notFound: 'Page introuvable.',
  },
  en: {
    skip: 'Skip to content',
    switchTo: 'Français',
    switchLabel: 'Passer en français',
    home: 'Sillage: traceable vouchers',
    notFound: 'Page not found.',
  },
};

/** Which page a path shows (the API serves this app for these paths). */
function route(path: string, lang: Lang) {
  const transparency = /^\/transparence\/([a-z0-9-]{1,80})\/?$/.exec(path);
  if (transparency) return <PublicTransparency slug={transparency[1]} lang={lang} />;
  if (path === '/p' || path === '/p/') return <PassPage lang={lang} />;
  if (path === '/' || path === '') return <h1>{TEXT[lang].home}</h1>;
  return <p role="alert">{TEXT[lang].notFound}</p>;
}

export function App() {
  const [lang, setLang] = useLang();
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
      <main id="main">{route(window.location.pathname, lang)}</main>
    </>
  );
}
