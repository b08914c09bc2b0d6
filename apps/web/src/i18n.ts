import { useLayoutEffect, useState } from 'preact/hooks';

/** The two languages of the interface: French by default, English on request (remembered in this browser). */
export type Lang = 'fr' | 'en';

const KEY = 'sillage.lang';

export function initialLang(): Lang {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  return saved === 'en' ? 'en' : 'fr';
}

/** The current language and a setter that also sets `<html lang>` (screen readers read with it). */
export function useLang(): [Lang, (lang: Lang) => void] {
  const [lang, setLang] = useState<Lang>(initialLang);
  // A layout effect: `<html lang>` changes in the same commit as the words, never a frame later.
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem(KEY, lang);
  }, [lang]);
  return [lang, setLang];
}

const euros = {
  fr: new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }),
};
const percents = {
  fr: new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }),
};

/** Integer cents as euros in the language's format. */
export const formatCents = (lang: Lang, cents: number) => euros[lang].format(cents / 100);
/** A ratio (0..1) as a percentage, "—" when there is none. */
export const formatRatio = (lang: Lang, ratio: number | null) => (ratio === null ? '—' : percents[lang].format(ratio));
/** `YYYY-MM-DD` as a date people read. */
export const formatDate = (lang: Lang, day: string) =>
  new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
/** An instant as people read it, in Paris time (where every service happens). */
export const formatDateTime = (lang: Lang, iso: string) =>
  new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(
    new Date(iso),
  );
/** Today's date in Paris as `YYYY-MM-DD` (the API's calendar dates are Paris dates). */
export const parisToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
/** Euros typed by a person ("12,50", "10", "1 240,50") as integer cents, or undefined when it is not an amount. */
export function eurosToCents(s: string): number | undefined {
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(s.replace(/[\s\u202f\u00a0]/g, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}
