import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDate } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { SERIAL } from './common';
import './distributor.css';

type Handover = components['schemas']['HandoverDto'];

const TEXT = {
  fr: {
    title: 'Données personnelles',
    intro:
      'Une personne vous demande de voir, d’emporter ou d’effacer les informations enregistrées sur elle : retrouvez-la avec le numéro de son carnet.',
    serial: 'Numéro du carnet de la personne',
    serialHint: 'Imprimé sur la couverture, par exemple SLG-2026-000123.',
    search: 'Chercher',
    searching: 'Recherche…',
    badSerial: 'Ce numéro n’a pas la forme d’un numéro de carnet (par exemple SLG-2026-000123).',
    none: (s: string) => `Votre structure n’a remis le carnet ${s} à personne.`,
    found: (s: string, n: number) => (n > 1 ? `Le carnet ${s} a été remis ${n} fois :` : `Le carnet ${s} a été remis une fois :`),
    handedOn: (d: string) => `Remis le ${d}`,
    returned: 'remise annulée',
    open: (s: string, d: string) => `Ouvrir les données de la personne (carnet ${s}, remis le ${d})`,
  },
  en: {
    title: 'Personal data',
    intro: 'Someone asks to see, take away or erase the information recorded about them: find them with their booklet number.',
    serial: 'The person’s booklet number',
    serialHint: 'Printed on the cover, for example SLG-2026-000123.',
    search: 'Search',
    searching: 'Searching…',
    badSerial: 'This is not a booklet number (for example SLG-2026-000123).',
    none: (s: string) => `Your organisation did not hand booklet ${s} over to anyone.`,
    found: (s: string, n: number) => (n > 1 ? `Booklet ${s} was handed over ${n} times:` : `Booklet ${s} was handed over once:`),
    handedOn: (d: string) => `Handed over on ${d}`,
    returned: 'hand-over cancelled',
    open: (s: string, d: string) => `Open the person’s data (booklet ${s}, handed over on ${d})`,
  },
};

/** Finds the person a booklet was handed to (an admin's way to a data-subject request made at the desk). */
export function PersonalDataPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const [serial, setSerial] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ serial: string; items: Handover[] } | undefined>();
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => input.current?.focus(), []);

  async function search(e: Event) {
    e.preventDefault();
    const s = serial.trim().toUpperCase();
    setResult(undefined);
    setProblem(undefined);
    if (!SERIAL.test(s)) {
      setError(t.badSerial);
      input.current?.focus();
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const { data, error, response } = await api.GET('/v1/handovers', { params: { query: { bookletSerial: s, limit: 100 } } });
      if (!data) {
        setProblem(asProblem(error, response));
        return;
      }
      const items: Handover[] = data.items;
      setResult({ serial: s, items });
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <form onSubmit={(e) => void search(e)} noValidate>
        <Field id="person-serial" label={t.serial} hint={t.serialHint} error={error}>
          {(aria) => (
            <input
              {...aria}
              ref={input}
              value={serial}
              onInput={(e) => setSerial(valueOf(e).toUpperCase())}
              autoComplete="off"
              spellcheck={false}
              required
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t.searching : t.search}
          </button>
        </div>
      </form>
      <ProblemNotice lang={lang} problem={problem} />
      <div role="status">
        {busy && <p aria-busy="true">{t.searching}</p>}
        {result && (result.items.length === 0 ? <p>{t.none(result.serial)}</p> : <p>{t.found(result.serial, result.items.length)}</p>)}
      </div>
      {result && result.items.length > 0 && (
        <ul>
          {result.items.map((h) => (
            <li key={h.id}>
              {h.beneficiaryId ? (
                <Link href={`/app/beneficiaries/${h.beneficiaryId}`}>{t.open(h.bookletSerial, formatDate(lang, h.handedOn))}</Link>
              ) : (
                t.handedOn(formatDate(lang, h.handedOn))
              )}
              {h.returnedAt ? ` (${t.returned})` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
