import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../api/client';
import type { Lang } from '../i18n';
import { navigate, useLocation } from '../router';
import { signIn, TokenResponse } from '../session';
import { Field, valueOf } from '../ui/field';
import { ProblemNotice } from '../ui/problem';
import { TotpEnrolment } from '../ui/totp-enrolment';

const TEXT = {
  fr: {
    title: 'Se connecter',
    email: 'Adresse e-mail',
    password: 'Mot de passe',
    totp: 'Code de double authentification',
    totpHint: 'Les 6 chiffres affichés par votre application d’authentification.',
    submit: 'Se connecter',
    busy: 'Connexion…',
    forgot: 'Mot de passe oublié ? Demandez un nouveau lien à l’administrateur de votre structure.',
  },
  en: {
    title: 'Sign in',
    email: 'Email address',
    password: 'Password',
    totp: 'Two-factor code',
    totpHint: 'The 6 digits your authenticator app shows.',
    submit: 'Sign in',
    busy: 'Signing in…',
    forgot: 'Forgot your password? Ask your organisation’s administrator for a new link.',
  },
};

const MESSAGES = {
  INVALID_CREDENTIALS: { fr: 'Adresse e-mail ou mot de passe incorrect.', en: 'Wrong email address or password.' },
  TOTP_REQUIRED: {
    fr: 'Votre compte demande aussi le code de votre application d’authentification.',
    en: 'Your account also needs the code from your authenticator app.',
  },
  TOTP_INVALID: {
    fr: 'Ce code ne correspond pas. Saisissez le code affiché maintenant.',
    en: 'This code does not match. Type the code shown now.',
  },
  LOGIN_THROTTLED: {
    fr: 'Trop d’essais : patientez quelques minutes avant de réessayer.',
    en: 'Too many attempts: wait a few minutes before trying again.',
  },
};

/** Where to go after signing in: only a path of this app (never another site). */
function nextPath(query: URLSearchParams): string {
  const next = query.get('next') ?? '';
  return /^\/app(\/|$|\?)/.test(next) ? next : '/app';
}

/**
 * Login: email and password, then the TOTP code when the account has a second factor, or a TOTP
 * enrolment (with its QR code) when the account's role requires one and it has none yet.
 */
export function LoginPage({ lang }: { lang: Lang }) {
  const t = TEXT[lang];
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const [enrolmentToken, setEnrolmentToken] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  useEffect(() => void (document.title = `${t.title} · Sillage`), [lang]);

  const done = async (token?: TokenResponse) => {
    if (token) await signIn(token);
    navigate(nextPath(query), { replace: true });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const { data, error, response } = await api.POST('/v1/auth/login', {
        body: { email, password, refreshTokenDelivery: 'cookie', ...(askTotp && totpCode ? { totpCode } : {}) },
      });
      if (data) return await done(data);
      const p = asProblem(error, response);
      if (p.code === 'TOTP_ENROLMENT_REQUIRED') return setEnrolmentToken((error as unknown as { enrolmentToken?: string }).enrolmentToken);
      if (p.code === 'TOTP_REQUIRED' || p.code === 'TOTP_INVALID') setAskTotp(true);
      setProblem(p);
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
    }
  };

  if (enrolmentToken) {
    return (
      <section class="narrow">
        <h1>{t.title}</h1>
        <TotpEnrolment lang={lang} bearer={enrolmentToken} onDone={(token) => void done(token)} />
      </section>
    );
  }
  return (
    <section class="narrow">
      <h1>{t.title}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <Field id="email" label={t.email}>
          {(aria) => <input {...aria} type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(valueOf(e))} />}
        </Field>
        <Field id="password" label={t.password}>
          {(aria) => (
            <input
              {...aria}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(valueOf(e))}
            />
          )}
        </Field>
        {askTotp && (
          <Field id="totp" label={t.totp} hint={t.totpHint}>
            {(aria) => (
              <input
                {...aria}
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                autoFocus
                value={totpCode}
                onInput={(e) => setTotpCode(valueOf(e))}
              />
            )}
          </Field>
        )}
        <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.busy : t.submit}
        </button>
      </form>
      <p class="muted">{t.forgot}</p>
    </section>
  );
}
