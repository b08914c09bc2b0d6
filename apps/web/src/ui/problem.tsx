import type { ApiProblem } from '../api/client';
import type { Lang } from '../i18n';

type Messages = Partial<Record<string, Record<Lang, string>>>;

/** What people read for the problems any screen may meet; a screen adds its own codes. */
const COMMON: Messages = {
  NETWORK: {
    fr: 'Pas de connexion avec le serveur. Vérifiez votre réseau et réessayez.',
    en: 'No connection to the server. Check your network and try again.',
  },
  VALIDATION_FAILED: { fr: 'Un champ est mal rempli', en: 'A field is not filled in correctly' },
  FORBIDDEN: { fr: 'Votre compte n’a pas le droit de faire cela.', en: 'Your account may not do this.' },
  NOT_FOUND: { fr: 'Introuvable.', en: 'Not found.' },
  UNAUTHENTICATED: { fr: 'Votre session a expiré : reconnectez-vous.', en: 'Your session has expired: sign in again.' },
};

/**
 * A problem in the reader's language: the screen's own message for its code when it has one, else a
 * common one; the API's precise detail (English) follows a validation message so the field is named.
 */
export function problemText(lang: Lang, p: ApiProblem, messages: Messages = {}): string {
  if (p.status === 0) return COMMON.NETWORK![lang];
  const own = messages[p.code]?.[lang];
  if (own) return own;
  const common = COMMON[p.code]?.[lang];
  if (common && p.code === 'VALIDATION_FAILED') return `${common} : ${p.detail}`.replace(' : ', lang === 'fr' ? ' : ' : ': ');
  if (common) return common;
  return p.detail || (lang === 'fr' ? `Erreur ${p.status}.` : `Error ${p.status}.`);
}

/** An error people must notice: announced by screen readers at once. */
export function ProblemNotice({ lang, problem, messages }: { lang: Lang; problem?: ApiProblem; messages?: Messages }) {
  if (!problem) return null;
  return (
    <p role="alert" class="problem">
      {problemText(lang, problem, messages)}
    </p>
  );
}
