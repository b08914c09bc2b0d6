import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { formatCents, formatDate, Lang } from '../i18n';

type Pass = components['schemas']['PassViewDto'];
type Kind = components['schemas']['CreatePrivacyRequestDto']['kind'];

const TEXT = {
  fr: {
    title: 'Mon pass numérique',
    loading: 'Chargement…',
    noToken: 'Ouvrez cette page avec le lien ou le QR code imprimé sur la couverture de votre carnet.',
    notFound: 'Ce lien ne correspond à aucun carnet. Vérifiez le lien imprimé sur la couverture.',
    failed: 'La page n’a pas pu être chargée. Réessayez dans un instant.',
    tooMany: 'Trop d’essais depuis cette connexion. Réessayez dans quelques minutes.',
    left: (n: number, v: string) => `Il vous reste ${n} chèque${n > 1 ? 's' : ''}, soit ${v}.`,
    until: (d: string) => `Vous pouvez les utiliser jusqu’au ${d} inclus.`,
    from: (f: string) => `Offert par ${f}.`,
    status: {
      usable: '',
      not_yet_usable: 'Vos chèques ne sont pas encore utilisables : ils le seront dès que le financeur les aura payés.',
      blocked: 'Ce carnet est bloqué. Adressez-vous à la structure qui vous l’a remis.',
      expired: 'Ces chèques ont expiré.',
      used_up: 'Vous avez utilisé tous vos chèques.',
    },
    where: 'Où aller',
    noSite: 'Aucun lieu n’est encore ouvert pour ces chèques.',
    history: 'Ce que vous avez déjà utilisé',
    used: (n: number) => `${n} chèque${n > 1 ? 's' : ''}`,
    rights: 'Vos données personnelles',
    rightsText: 'Vous pouvez demander à voir, corriger ou effacer les informations vous concernant, ou retirer votre accord.',
    kind: 'Votre demande',
    kinds: {
      access: 'Voir mes données',
      rectification: 'Corriger mes données',
      erasure: 'Effacer mes données',
      objection: 'M’opposer à leur utilisation',
      withdraw_consent: 'Retirer mon accord',
    },
    message: 'Précisions (facultatif)',
    send: 'Envoyer la demande',
    sent: (ref: string) => `Demande enregistrée sous la référence ${ref}.`,
  },
  en: {
    title: 'My digital pass',
    loading: 'Loading…',
    noToken: 'Open this page with the link or QR code printed on your booklet’s cover.',
    notFound: 'This link matches no booklet. Check the link printed on the cover.',
    failed: 'The page could not be loaded. Try again in a moment.',
    tooMany: 'Too many attempts from this connection. Try again in a few minutes.',
    left: (n: number, v: string) => `You have ${n} voucher${n > 1 ? 's' : ''} left, worth ${v}.`,
    until: (d: string) => `You can use them until ${d} included.`,
    from: (f: string) => `Offered by ${f}.`,
    status: {
      usable: '',
      not_yet_usable: 'Your vouchers cannot be used yet: they will be once the funder has paid for them.',
      blocked: 'This booklet is blocked. Ask the organisation that gave it to you.',
      expired: 'These vouchers have expired.',
      used_up: 'You have used all your vouchers.',
    },
    where: 'Where to go',
    noSite: 'No place accepts these vouchers yet.',
    history: 'What you have already used',
    used: (n: number) => `${n} voucher${n > 1 ? 's' : ''}`,
    rights: 'Your personal data',
    rightsText: 'You can ask to see, correct or erase the information about you, or withdraw your consent.',
    kind: 'Your request',
    kinds: {
      access: 'See my data',
      rectification: 'Correct my data',
      erasure: 'Erase my data',
      objection: 'Object to its use',
      withdraw_consent: 'Withdraw my consent',
    },
    message: 'Details (optional)',
    send: 'Send the request',
    sent: (ref: string) => `Request recorded under reference ${ref}.`,
  },
};

/**
 * The beneficiary's pass page (`/p#<token>`, from the booklet cover's QR code): the token is read from
 * the fragment, which browsers never send, and goes to the API in a request body. Plain words, one
 * column, readable on an old phone.
 */
export function PassPage({ lang }: { lang: Lang }) {
  const t = TEXT[lang];
  const token = decodeURIComponent(window.location.hash.slice(1));
  const [state, setState] = useState<{ pass?: Pass; error?: 'notFound' | 'tooMany' | 'failed' }>({});
  useEffect(() => {
    if (!token) return;
    api
      .POST('/v1/pass/lookup', { body: { token } })
      // A malformed token (400) is as unknown to the beneficiary as one that matches no booklet (404).
      .then(({ data, response }) =>
        setState(
          data
            ? { pass: data }
            : { error: [400, 404].includes(response.status) ? 'notFound' : response.status === 429 ? 'tooMany' : 'failed' },
        ),
      )
      .catch(() => setState({ error: 'failed' }));
  }, [token]);

  if (!token) return <p role="alert">{t.noToken}</p>;
  if (state.error) return <p role="alert">{t[state.error]}</p>;
  const p = state.pass;
  if (!p) return <p aria-busy="true">{t.loading}</p>;
  return (
    <article class="pass">
      <h1>{t.title}</h1>
      <p class="big">{t.left(p.vouchersLeft, formatCents(lang, p.valueLeftCents))}</p>
      {p.status === 'usable' ? <p>{t.until(formatDate(lang, p.redemptionDeadline))}</p> : <p role="status">{t.status[p.status]}</p>}
      <p class="muted">{t.from(p.funderName)}</p>
      <h2>{t.where}</h2>
      {p.sites.length === 0 ? (
        <p>{t.noSite}</p>
      ) : (
        <ul class="sites">
          {p.sites.map((s) => (
            <li key={`${s.name}-${s.postcode}`}>
              <strong>{s.name}</strong>
              <br />
              {s.addressLine}, {s.postcode} {s.communeName ?? s.communeCode}
            </li>
          ))}
        </ul>
      )}
      {p.history.length > 0 && (
        <>
          <h2>{t.history}</h2>
          <ul>
            {p.history.map((h, i) => (
              <li key={i}>
                {formatDate(lang, h.date)} — {h.siteName} — {t.used(h.vouchers)}
              </li>
            ))}
          </ul>
        </>
      )}
      <PrivacyRequest token={token} lang={lang} />
    </article>
  );
}

function PrivacyRequest({ token, lang }: { token: string; lang: Lang }) {
  const t = TEXT[lang];
  const [kind, setKind] = useState<Kind>('access');
  const [message, setMessage] = useState('');
  const [result, setResult] = useState<{ reference?: string; error?: boolean }>({});
  const send = async (e: Event) => {
    e.preventDefault();
    const { data } = await api.POST('/v1/privacy-requests', { body: { token, kind, ...(message ? { message } : {}) } });
    setResult(data ? { reference: data.reference } : { error: true });
  };
  return (
    <section aria-labelledby="rights">
      <h2 id="rights">{t.rights}</h2>
      <p>{t.rightsText}</p>
      <form onSubmit={(e) => void send(e)}>
        <label for="kind">{t.kind}</label>
        <select id="kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as Kind)}>
          {(Object.keys(t.kinds) as Kind[]).map((k) => (
            <option key={k} value={k}>
              {t.kinds[k]}
            </option>
          ))}
        </select>
        <label for="message">{t.message}</label>
        <textarea id="message" maxLength={2000} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
        <button type="submit">{t.send}</button>
      </form>
      {result.reference && <p role="status">{t.sent(result.reference)}</p>}
      {result.error && <p role="alert">{t.failed}</p>}
    </section>
  );
}
