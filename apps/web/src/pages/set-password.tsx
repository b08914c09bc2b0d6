import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../api/client';
import type { Lang } from '../i18n';
import { Link } from '../router';
import { Field, valueOf } from '../ui/field';
import { ProblemNotice } from '../ui/problem';

const TEXT = {
  fr: {
    title: 'Choisir mon mot de passe',
    password: 'Nouveau mot de passe',
    hint: 'Au moins 12 caractères, avec 3 types parmi : minuscules, majuscules, chiffres, symboles. Ni votre adresse e-mail, ni un mot de passe courant.',
    repeat: 'Le même, une seconde fois',
    mismatch: 'Les deux mots de passe ne sont pas identiques.',
    submit: 'Enregistrer',
    done: 'Votre mot de passe est enregistré. Vous pouvez vous connecter.',
    login: 'Se connecter',
    noToken: 'Ouvrez cette page avec le lien reçu par e-mail.',
    rules: {
      TOO_SHORT: 'il est trop court (12 caractères au moins)',
      TOO_LONG: 'il est trop long (128 caractères au plus)',
      TOO_FEW_CLASSES: 'il lui faut 3 types de caractères parmi minuscules, majuscules, chiffres et symboles',
      CONTAINS_EMAIL: 'il contient votre adresse e-mail',
      COMMON: 'c’est un mot de passe trop courant',
    } as Record<string, string>,
    refused: 'Ce mot de passe ne convient pas : ',
  },
  en: {
    title: 'Choose my password',
    password: 'New password',
    hint: 'At least 12 characters, with 3 kinds of: lower case, upper case, digits, symbols. Neither your email address nor a common password.',
    repeat: 'The same, once more',
    mismatch: 'The two passwords differ.',
    submit: 'Save',
    done: 'Your password is saved. You can sign in.',
    login: 'Sign in',
    noToken: 'Open this page with the link you received by email.',
    rules: {
      TOO_SHORT: 'it is too short (at least 12 characters)',
      TOO_LONG: 'it is too long (at most 128 characters)',
      TOO_FEW_CLASSES: 'it needs 3 kinds of characters among lower case, upper case, digits and symbols',
      CONTAINS_EMAIL: 'it contains your email address',
      COMMON: 'it is too common a password',
    } as Record<string, string>,
    refused: 'This password will not do: ',
  },
};

const MESSAGES = {
  SET_PASSWORD_TOKEN_INVALID: {
    fr: 'Ce lien n’est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau à l’administrateur de votre structure.',
    en: 'This link is no longer valid (used or expired). Ask your organisation’s administrator for a new one.',
  },
};

/** `/set-password#token=…`: the link an administrator sends; the token stays in the fragment. */
export function SetPasswordPage({ lang }: { lang: Lang }) {
  const t = TEXT[lang];
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<ApiProblem>();
  const [done, setDone] = useState(false);
  useEffect(() => void (document.title = `${t.title} · Sillage`), [lang]);
  if (!token) return <p role="alert">{t.noToken}</p>;
  const mismatch = repeat.length > 0 && repeat !== password;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (mismatch) return;
    const { error, response } = await api
      .POST('/v1/auth/set-password', { body: { token, password } })
      .catch(() => ({ error: undefined, response: undefined }));
    if (response?.ok) setDone(true);
    else setProblem(asProblem(error, response));
  };
  const policy =
    problem?.code === 'PASSWORD_POLICY'
      ? t.refused + (problem.errors ?? []).map((e) => t.rules[e.code] ?? e.message).join(' ; ') + '.'
      : undefined;
  return (
    <section class="narrow">
      <h1>{t.title}</h1>
      {done ? (
        <>
          <p role="status">{t.done}</p>
          <Link href="/login">{t.login}</Link>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Field id="new-password" label={t.password} hint={t.hint} error={policy}>
            {(aria) => (
              <input
                {...aria}
                type="password"
                autoComplete="new-password"
                required
                value={password}
                onInput={(e) => setPassword(valueOf(e))}
              />
            )}
          </Field>
          <Field id="repeat-password" label={t.repeat} error={mismatch ? t.mismatch : undefined}>
            {(aria) => (
              <input {...aria} type="password" autoComplete="new-password" required value={repeat} onInput={(e) => setRepeat(valueOf(e))} />
            )}
          </Field>
          {!policy && <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />}
          <button type="submit" class="primary">
            {t.submit}
          </button>
        </form>
      )}
    </section>
  );
}
