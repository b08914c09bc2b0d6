import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { useLocation } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { problemText, ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { formatCount, formatDateTime } from './common';
import './funder.css';

type Kind = components['schemas']['MovementDto']['kind'];

const TEXT = {
  fr: {
    title: 'Attributions de carnets',
    intro:
      'Attribuez des carnets de vos commandes payées aux distributeurs partenaires, qui les remettent aux bénéficiaires. Un distributeur peut aussi vous rendre des carnets qu’il n’a pas remis.',
    form: 'Déplacer des carnets',
    kind: 'Mouvement',
    allocate: 'Attribuer à un distributeur',
    return: 'Reprendre d’un distributeur',
    transfer: 'Transfert entre distributeurs',
    kinds: { allocate: 'Attribution', return: 'Reprise', transfer: 'Transfert' },
    toDistributor: 'Distributeur qui reçoit les carnets',
    fromDistributor: 'Distributeur qui rend les carnets',
    choose: 'Choisissez…',
    noPartner: 'Aucun distributeur partenaire : l’opérateur établit les partenariats.',
    order: 'Commande',
    anyOrder: 'Les plus anciennes commandes payées d’abord',
    how: 'Quels carnets',
    byCount: 'Un nombre de carnets',
    byRange: 'Une plage de numéros',
    count: 'Nombre de carnets',
    fromSerial: 'Du carnet',
    toSerial: 'Au carnet',
    serialHint: 'Par exemple SLG-2026-000101.',
    submit: 'Déplacer les carnets',
    busy: 'Déplacement…',
    done: (n: number, who: string, ranges: string) => `${n} carnet${n > 1 ? 's' : ''} déplacé${n > 1 ? 's' : ''} (${who}) : ${ranges}.`,
    needDistributor: 'Choisissez le distributeur.',
    needCount: 'Saisissez un nombre entier de carnets.',
    needSerials: 'Saisissez les deux numéros de carnet.',
    movements: 'Mouvements',
    filterKind: 'Type de mouvement',
    filterDistributor: 'Distributeur',
    all: 'Tous',
    date: 'Date',
    from: 'De',
    to: 'Vers',
    booklets: 'Carnets',
    serials: 'Numéros',
    you: 'Vous',
    caption: 'Les mouvements de vos carnets, du plus ancien au plus récent',
    none: 'Aucun mouvement.',
    more: 'Page suivante',
    loading: 'Chargement…',
    shown: (n: number) => `${n} mouvement${n > 1 ? 's' : ''} affiché${n > 1 ? 's' : ''}`,
  },
  en: {
    title: 'Booklet allocations',
    intro:
      'Allocate booklets of your paid orders to partner distributors, who hand them to beneficiaries. A distributor may also give back booklets it has not handed over.',
    form: 'Move booklets',
    kind: 'Movement',
    allocate: 'Allocate to a distributor',
    return: 'Take back from a distributor',
    transfer: 'Transfer between distributors',
    kinds: { allocate: 'Allocation', return: 'Return', transfer: 'Transfer' },
    toDistributor: 'Distributor receiving the booklets',
    fromDistributor: 'Distributor giving the booklets back',
    choose: 'Choose…',
    noPartner: 'No partner distributor: the operator sets up partnerships.',
    order: 'Order',
    anyOrder: 'Oldest paid orders first',
    how: 'Which booklets',
    byCount: 'A number of booklets',
    byRange: 'A range of numbers',
    count: 'Number of booklets',
    fromSerial: 'From booklet',
    toSerial: 'To booklet',
    serialHint: 'For example SLG-2026-000101.',
    submit: 'Move the booklets',
    busy: 'Moving…',
    done: (n: number, who: string, ranges: string) => `${n} booklet${n > 1 ? 's' : ''} moved (${who}): ${ranges}.`,
    needDistributor: 'Choose the distributor.',
    needCount: 'Type a whole number of booklets.',
    needSerials: 'Type both booklet numbers.',
    movements: 'Movements',
    filterKind: 'Kind of movement',
    filterDistributor: 'Distributor',
    all: 'All',
    date: 'Date',
    from: 'From',
    to: 'To',
    booklets: 'Booklets',
    serials: 'Numbers',
    you: 'You',
    caption: 'Your booklets’ movements, oldest first',
    none: 'No movement.',
    more: 'Next page',
    loading: 'Loading…',
    shown: (n: number) => `${n} movement${n > 1 ? 's' : ''} shown`,
  },
};

const MESSAGES = {
  NOT_PARTNERED: {
    fr: 'Ce distributeur n’est pas partenaire de votre structure.',
    en: 'This distributor is not a partner of your organisation.',
  },
  NOT_ENOUGH_STOCK: {
    fr: 'Pas assez de carnets disponibles : seuls les carnets de commandes payées, non bloqués, non attribués et avant la fin de distribution peuvent être attribués.',
    en: 'Not enough booklets available: only booklets of paid orders, not blocked, not allocated and before distribution ends can be allocated.',
  },
  BOOKLETS_UNAVAILABLE: {
    fr: 'Certains carnets de la plage ne peuvent pas être déplacés',
    en: 'Some booklets of the range cannot be moved',
  },
  RANGE_INVALID: {
    fr: 'Plage invalide : les deux numéros doivent exister, dans la même commande, le premier avant le second.',
    en: 'Invalid range: both numbers must exist, in one order, the first before the second.',
  },
};

/** Allocating booklets to partner distributors (and taking them back), and the movements so far. */
export function AllocationsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const { query } = useLocation();
  const partnerships = useLoad(() => api.GET('/v1/partnerships', { params: { query: { active: 'true', limit: 100 } } }), []);
  const organisations = useLoad(() => api.GET('/v1/organisations', { params: { query: { kind: 'distributor', limit: 100 } } }), []);
  const paidOrders = useLoad(() => api.GET('/v1/purchase-orders', { params: { query: { status: 'paid', limit: 100 } } }), []);
  const names = new Map((organisations.data?.items ?? []).map((o) => [o.id, o.legalName]));
  const partners = (partnerships.data?.items ?? [])
    .filter((p) => p.funderId === me.organisation.id && !p.endedAt)
    .map((p) => ({ id: p.distributorId, name: names.get(p.distributorId) ?? p.distributorId }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? id) : t.you);

  const [kind, setKind] = useState<'allocate' | 'return'>('allocate');
  const [distributor, setDistributor] = useState('');
  const [orderId, setOrderId] = useState(query.get('order') ?? '');
  const [mode, setMode] = useState<'count' | 'range'>('count');
  const [count, setCount] = useState('');
  const [fromSerial, setFromSerial] = useState('');
  const [toSerial, setToSerial] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const [filterKind, setFilterKind] = useState<Kind | ''>('');
  const [filterDistributor, setFilterDistributor] = useState('');
  const movements = usePages(
    (cursor) =>
      api.GET('/v1/allocations', {
        params: { query: { kind: filterKind || undefined, distributorId: filterDistributor || undefined, cursor, limit: 20 } },
      }),
    [filterKind, filterDistributor],
  );
  const canMove = me.role === 'admin' || me.role === 'agent';

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!distributor) local.distributor = t.needDistributor;
    if (mode === 'count' && !/^\s*[1-9]\d*\s*$/.test(count)) local.count = t.needCount;
    if (mode === 'range' && (!fromSerial.trim() || !toSerial.trim())) local.ranges = t.needSerials;
    setErrors(local);
    setProblem(undefined);
    setNotice(undefined);
    if (Object.keys(local).length) {
      document.getElementById(`move-${Object.keys(local)[0] === 'ranges' ? 'from' : Object.keys(local)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const body: components['schemas']['CreateMovementDto'] = {
        kind,
        ...(kind === 'allocate' ? { toDistributorId: distributor } : { fromDistributorId: distributor }),
        ...(mode === 'count'
          ? { count: Number(count), orderId: orderId || undefined }
          : { ranges: [{ fromSerial: fromSerial.trim().toUpperCase(), toSerial: toSerial.trim().toUpperCase() }] }),
      };
      const { data, error, response } = await api.POST('/v1/allocations', { body });
      if (data) {
        setNotice(
          t.done(
            data.bookletCount,
            `${nameOf(data.fromDistributorId)} → ${nameOf(data.toDistributorId)}`,
            data.ranges.map((r) => `${r.fromSerial} – ${r.toSerial}`).join(', '),
          ),
        );
        setCount('');
        setFromSerial('');
        setToSerial('');
        movements.reload();
      } else {
        const p = asProblem(error, response);
        setProblem(p);
        const field = (p.field ?? '').split('.')[0];
        if (field === 'count' || field === 'ranges') setErrors({ [field]: problemText(lang, p, MESSAGES) });
        if (field === 'toDistributorId' || field === 'fromDistributorId') setErrors({ distributor: problemText(lang, p, MESSAGES) });
      }
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
    }
  };

  const problemMessages = {
    ...MESSAGES,
    // The range's refusal names each booklet and why (in English from the API): shown after ours.
    BOOKLETS_UNAVAILABLE: {
      fr: `${MESSAGES.BOOKLETS_UNAVAILABLE.fr} : ${problem?.detail ?? ''}`,
      en: `${MESSAGES.BOOKLETS_UNAVAILABLE.en}: ${problem?.detail ?? ''}`,
    },
  };

  return (
    <section>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      {canMove && (
        <section aria-labelledby="move-title" class="panel">
          <h2 id="move-title">{t.form}</h2>
          {partnerships.data && partners.length === 0 && <p>{t.noPartner}</p>}
          <form class="wide-form" onSubmit={(e) => void submit(e)} noValidate>
            <fieldset class="checks">
              <legend>{t.kind}</legend>
              {(['allocate', 'return'] as const).map((k) => (
                <label key={k}>
                  <input type="radio" name="move-kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {t[k]}
                </label>
              ))}
            </fieldset>
            <Field id="move-distributor" label={kind === 'allocate' ? t.toDistributor : t.fromDistributor} error={errors.distributor}>
              {(aria) => (
                <select {...aria} required value={distributor} onChange={(e) => setDistributor(valueOf(e))}>
                  <option value="">{t.choose}</option>
                  {partners.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <fieldset class="checks">
              <legend>{t.how}</legend>
              {(['count', 'range'] as const).map((m) => (
                <label key={m}>
                  <input type="radio" name="move-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />{' '}
                  {m === 'count' ? t.byCount : t.byRange}
                </label>
              ))}
            </fieldset>
            {mode === 'count' ? (
              <>
                <Field id="move-order" label={t.order}>
                  {(aria) => (
                    <select {...aria} key={paidOrders.data ? 'loaded' : 'loading'} value={orderId} onChange={(e) => setOrderId(valueOf(e))}>
                      <option value="">{t.anyOrder}</option>
                      {paidOrders.data?.items.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.reference} — {formatCount(lang, o.bookletCount)} {t.booklets.toLowerCase()}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="move-count" label={t.count} error={errors.count}>
                  {(aria) => <input {...aria} inputMode="numeric" required value={count} onInput={(e) => setCount(valueOf(e))} />}
                </Field>
              </>
            ) : (
              <>
                <Field id="move-from" label={t.fromSerial} hint={t.serialHint} error={errors.ranges}>
                  {(aria) => <input {...aria} required value={fromSerial} onInput={(e) => setFromSerial(valueOf(e))} />}
                </Field>
                <Field id="move-to" label={t.toSerial} hint={t.serialHint}>
                  {(aria) => <input {...aria} required value={toSerial} onInput={(e) => setToSerial(valueOf(e))} />}
                </Field>
              </>
            )}
            <ProblemNotice lang={lang} problem={problem} messages={problemMessages} />
            <p role="status" class="ok">
              {notice}
            </p>
            <div>
              <button type="submit" class="primary" disabled={busy}>
                {busy ? t.busy : t.submit}
              </button>
            </div>
          </form>
        </section>
      )}
      <h2>{t.movements}</h2>
      <div class="filters">
        <Field id="movement-kind" label={t.filterKind}>
          {(aria) => (
            <select {...aria} value={filterKind} onChange={(e) => setFilterKind(valueOf(e) as Kind | '')}>
              <option value="">{t.all}</option>
              {(['allocate', 'transfer', 'return'] as const).map((k) => (
                <option key={k} value={k}>
                  {t[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="movement-distributor" label={t.filterDistributor}>
          {(aria) => (
            <select {...aria} value={filterDistributor} onChange={(e) => setFilterDistributor(valueOf(e))}>
              <option value="">{t.all}</option>
              {partners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ProblemNotice lang={lang} problem={movements.problem} />
      <div class="table-scroll">
        <table data-table="movements">
          <caption>{t.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.date}</th>
              <th scope="col">{t.kind}</th>
              <th scope="col">{t.from}</th>
              <th scope="col">{t.to}</th>
              <th scope="col" class="num">
                {t.booklets}
              </th>
              <th scope="col">{t.serials}</th>
            </tr>
          </thead>
          <tbody>
            {movements.items.map((m) => (
              <tr key={m.id}>
                <th scope="row">{formatDateTime(lang, m.createdAt)}</th>
                <td>{t.kinds[m.kind]}</td>
                <td>{nameOf(m.fromDistributorId)}</td>
                <td>{nameOf(m.toDistributorId)}</td>
                <td class="num">{formatCount(lang, m.bookletCount)}</td>
                <td>{m.ranges.map((r) => (r.fromSerial === r.toSerial ? r.fromSerial : `${r.fromSerial} – ${r.toSerial}`)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!movements.loading && movements.items.length === 0 && !movements.problem && <p>{t.none}</p>}
      <p role="status" class="muted">
        {movements.loading ? t.loading : t.shown(movements.items.length)}
      </p>
      {movements.hasMore && (
        <button type="button" onClick={movements.more} disabled={movements.loading}>
          {t.more}
        </button>
      )}
    </section>
  );
}
