import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { api, ApiProblem, asProblem } from '../api/client';
import type { Lang } from '../i18n';
import type { TokenResponse } from '../session';
import { Field, valueOf } from './field';
import { ProblemNotice } from './problem';

const TEXT = {
  fr: {
    title: 'Activer la double authentification',
    intro:
      'Scannez ce QR code avec votre application d’authentification (par exemple FreeOTP, Aegis ou Google Authenticator), puis saisissez le code à 6 chiffres qu’elle affiche.',
    qr: 'QR code à scanner avec votre application d’authentification',
    secret: 'Ou saisissez cette clé dans l’application :',
    code: 'Code à 6 chiffres',
    confirm: 'Activer',
    loading: 'Préparation…',
    invalid: 'Ce code ne correspond pas. Attendez le code suivant dans l’application et réessayez.',
  },
  en: {
    title: 'Turn on two-factor authentication',
    intro:
      'Scan this QR code with your authenticator app (FreeOTP, Aegis or Google Authenticator, for example), then type the 6-digit code it shows.',
    qr: 'QR code to scan with your authenticator app',
    secret: 'Or type this key into the app:',
    code: '6-digit code',
    confirm: 'Turn on',
    loading: 'Preparing…',
    invalid: 'This code does not match. Wait for the next code in the app and try again.',
  },
};

/**
 * TOTP enrolment: a new secret shown as a QR code (drawn in the browser: the secret never goes to a
 * third party) and as text, confirmed with a first code. `bearer` is the enrolment token of a login
 * that requires a second factor; without it the signed-in user enrols voluntarily.
 */
export function TotpEnrolment({ lang, bearer, onDone }: { lang: Lang; bearer?: string; onDone: (token?: TokenResponse) => void }) {
  const t = TEXT[lang];
  const headers = bearer ? { authorization: `Bearer ${bearer}` } : undefined;
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUri: string }>();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<ApiProblem>();
  useEffect(() => {
    api
      .POST('/v1/auth/totp/enrolment', { headers })
      .then(({ data, error, response }) => (data ? setEnrolment(data) : setProblem(asProblem(error, response))))
      .catch(() => setProblem(asProblem(undefined)));
    // The enrolment starts once per screen.
  }, []);
  const confirm = async (e: Event) => {
    e.preventDefault();
    const { data, error, response } = await api.POST('/v1/auth/totp/confirm', { headers, body: { code, refreshTokenDelivery: 'cookie' } });
    if (response.ok) onDone(data);
    else setProblem(asProblem(error, response));
  };
  if (!enrolment) return problem ? <ProblemNotice lang={lang} problem={problem} /> : <p aria-busy="true">{t.loading}</p>;
  const svg = renderSVG(enrolment.otpauthUri, { border: 2 });
  return (
    <section aria-labelledby="totp-title">
      <h2 id="totp-title">{t.title}</h2>
      <p>{t.intro}</p>
      <img class="totp-qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={t.qr} width={200} height={200} />
      <p>
        {t.secret} <code class="secret">{enrolment.secret}</code>
      </p>
      <form onSubmit={(e) => void confirm(e)}>
        <Field id="totp-code" label={t.code}>
          {(aria) => (
            <input
              {...aria}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              value={code}
              onInput={(e) => setCode(valueOf(e))}
            />
          )}
        </Field>
        <ProblemNotice lang={lang} problem={problem} messages={{ TOTP_INVALID: { fr: TEXT.fr.invalid, en: TEXT.en.invalid } }} />
        <button type="submit" class="primary">
          {t.confirm}
        </button>
      </form>
    </section>
  );
}
