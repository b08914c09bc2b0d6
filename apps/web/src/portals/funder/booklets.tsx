import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { ConfirmAction, formatDateTime } from './common';
import './funder.css';

type Booklet = components['schemas']['BookletDto'];
type BlockReason = components['schemas']['BlockDto']['reasonCode'];
type State = Booklet['state'];

const REASONS: Record<BlockReason, Record<Lang, string>> = {
  lost: { fr: 'Perdu', en: 'Lost' },
  stolen: { fr: 'Volé', en: 'Stolen' },
  damaged: { fr: 'Abîmé', en: 'Damaged' },
  fraud_suspected: { fr: 'Fraude suspectée', en: 'Suspected fraud' },
  other: { fr: 'Autre', en: 'Other' },
};

const STATES: Record<State, Record<Lang, string>> = {
  CREATED: { fr: 'Chez vous (non attribué)', en: 'With you (not allocated)' },
  ALLOCATED: { fr: 'Attribué à un distributeur', en: 'Allocated to a distributor' },
  DISTRIBUTED: { fr: 'Remis à un bénéficiaire', en: 'Handed to a beneficiary' },
};

const TEXT = {
  fr: {
    title: (ref: string) => `Carnets de la commande ${ref}`,
    back: 'Retour à la commande',
    intro:
      'Un carnet perdu, volé ou abîmé se bloque : ses chèques non utilisés ne peuvent plus être encaissés. Le remplacer crée un nouveau carnet portant exactement la valeur restante ; l’ancien est définitivement remplacé.',
    state: 'Où est le carnet',
    all: 'Tous',
    blockedFilter: 'Blocage',
    blockedOnly: 'Bloqués seulement',
    notBlocked: 'Non bloqués seulement',
    serial: 'Numéro de carnet',
    vouchers: 'Chèques',
    blocked: 'Bloqué',
    actions: 'Actions',
    caption: 'Les carnets, dans l’ordre de leurs numéros',
    no: 'Non',
    replacedBy: 'remplacé',
    replaces: 'remplace un carnet bloqué',
    block: 'Bloquer',
    blockLabel: (s: string) => `Bloquer le carnet ${s}`,
    reason: 'Motif du blocage',
    note: 'Précision (facultative)',
    noteHint: 'Gardée hors du journal d’audit scellé.',
    blockQuestion: (s: string) =>
      `Bloquer le carnet ${s} ? Ses chèques non utilisés ne pourront plus être encaissés ; seul l’opérateur peut le débloquer.`,
    blockYes: 'Oui, bloquer',
    closeForm: 'Fermer',
    blockedDone: (s: string) => `Le carnet ${s} est bloqué.`,
    replace: 'Remplacer',
    replaceLabel: (s: string) => `Remplacer le carnet ${s}`,
    replaceQuestion: (s: string) =>
      `Remplacer le carnet ${s} ? Ses chèques non utilisés seront définitivement annulés et un nouveau carnet de même valeur sera créé dans cette commande.`,
    replaceYes: 'Oui, remplacer',
    replacedDone: (old: string, neu: string, n: number, value: string) =>
      `Le carnet ${old} est remplacé par le carnet ${neu} (${n} chèques, ${value}). Générez un nouveau fichier d’impression pour l’imprimer.`,
    none: 'Aucun carnet ne correspond.',
    more: 'Page suivante',
    loading: 'Chargement…',
    count: (n: number) => `${n} carnet${n > 1 ? 's' : ''} affiché${n > 1 ? 's' : ''}`,
  },
  en: {
    title: (ref: string) => `Booklets of order ${ref}`,
    back: 'Back to the order',
    intro:
      'A lost, stolen or damaged booklet is blocked: its unused vouchers can no longer be redeemed. Replacing it makes a new booklet carrying exactly the value left; the old one is replaced for good.',
    state: 'Where the booklet is',
    all: 'All',
    blockedFilter: 'Blocking',
    blockedOnly: 'Blocked only',
    notBlocked: 'Not blocked only',
    serial: 'Booklet number',
    vouchers: 'Vouchers',
    blocked: 'Blocked',
    actions: 'Actions',
    caption: 'The booklets, in the order of their numbers',
    no: 'No',
    replacedBy: 'replaced',
    replaces: 'replaces a blocked booklet',
    block: 'Block',
    blockLabel: (s: string) => `Block booklet ${s}`,
    reason: 'Reason for blocking',
    note: 'Details (optional)',
    noteHint: 'Kept out of the sealed audit log.',
    blockQuestion: (s: string) => `Block booklet ${s}? Its unused vouchers can no longer be redeemed; only the operator can unblock it.`,
    blockYes: 'Yes, block',
    closeForm: 'Close',
    blockedDone: (s: string) => `Booklet ${s} is blocked.`,
    replace: 'Replace',
    replaceLabel: (s: string) => `Replace booklet ${s}`,
    replaceQuestion: (s: string) =>
      `Replace booklet ${s}? Its unused vouchers are cancelled for good and a new booklet of the same value is made in this order.`,
    replaceYes: 'Yes, replace',
    replacedDone: (old: string, neu: string, n: number, value: string) =>
      `Booklet ${old} is replaced by booklet ${neu} (${n} vouchers, ${value}). Generate a new print file to print it.`,
    none: 'No booklet matches.',
    more: 'Next page',
    loading: 'Loading…',
    count: (n: number) => `${n} booklet${n > 1 ? 's' : ''} shown`,
  },
};

const MESSAGES = {
  BOOKLET_STATE_CONFLICT: {
    fr: 'Ce carnet a changé d’état entre-temps (déjà bloqué ou remplacé) : la liste est rechargée.',
    en: 'This booklet changed state in the meantime (already blocked or replaced): the list is reloaded.',
  },
  NOTHING_TO_REPLACE: {
    fr: 'Tous les chèques de ce carnet ont déjà été utilisés : il n’y a rien à remplacer.',
    en: 'Every voucher of this booklet was already used: there is nothing to replace.',
  },
  ISSUANCE_IN_PROGRESS: {
    fr: 'Les carnets de la commande sont encore en fabrication : réessayez dans un instant.',
    en: 'The order’s booklets are still being made: try again in a moment.',
  },
};

/** An order's booklets: where each one is, and blocking and replacing a lost or stolen one. */
export function BookletsPage({ lang, me, params }: PageProps) {
  const t = TEXT[lang];
  const order = useLoad(() => api.GET('/v1/purchase-orders/{id}', { params: { path: { id: params.id } } }), [params.id]);
  const [state, setState] = useState<State | ''>('');
  const [blocked, setBlocked] = useState<'' | 'true' | 'false'>('');
  const [open, setOpen] = useState<string>();
  const [reason, setReason] = useState<BlockReason>('lost');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const list = usePages(
    (cursor) =>
      api.GET('/v1/purchase-orders/{id}/booklets', {
        params: {
          path: { id: params.id },
          query: { state: state || undefined, blocked: blocked === '' ? undefined : blocked === 'true', cursor, limit: 50 },
        },
      }),
    [params.id, state, blocked],
  );
  const canBlock = me.role === 'admin' || me.role === 'agent';
  const canReplace = me.role === 'admin';

  const run = async (call: () => Promise<{ error?: unknown; response: Response }>, done: () => string | undefined) => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const { error, response } = await call();
      if (response.ok) setNotice(done());
      else setProblem(asProblem(error, response));
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
      list.reload();
    }
  };
  const block = (b: Booklet) =>
    run(
      () =>
        api.POST('/v1/booklets/{id}/block', {
          params: { path: { id: b.id } },
          body: { reasonCode: reason, note: note.trim() || undefined },
        }),
      () => {
        setOpen(undefined);
        setNote('');
        return t.blockedDone(b.serial);
      },
    );
  const replace = async (b: Booklet) => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const { data, error, response } = await api.POST('/v1/booklets/{id}/replace', { params: { path: { id: b.id } } });
      if (data) setNotice(t.replacedDone(b.serial, data.replacement.serial, data.vouchers, formatCents(lang, data.valueCents)));
      else setProblem(asProblem(error, response));
    } catch {
      setProblem(asProblem(undefined));
    } finally {
      setBusy(false);
      list.reload();
    }
  };

  return (
    <section>
      <p>
        <Link href={`/app/orders/${params.id}`}>{t.back}</Link>
      </p>
      <h1>{t.title(order.data?.reference ?? '…')}</h1>
      <p>{t.intro}</p>
      <div class="filters">
        <Field id="booklet-state" label={t.state}>
          {(aria) => (
            <select {...aria} value={state} onChange={(e) => setState(valueOf(e) as State | '')}>
              <option value="">{t.all}</option>
              {(Object.keys(STATES) as State[]).map((s) => (
                <option key={s} value={s}>
                  {STATES[s][lang]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="booklet-blocked" label={t.blockedFilter}>
          {(aria) => (
            <select {...aria} value={blocked} onChange={(e) => setBlocked(valueOf(e) as '' | 'true' | 'false')}>
              <option value="">{t.all}</option>
              <option value="true">{t.blockedOnly}</option>
              <option value="false">{t.notBlocked}</option>
            </select>
          )}
        </Field>
      </div>
      <ProblemNotice lang={lang} problem={problem ?? list.problem ?? order.problem} messages={MESSAGES} />
      <p role="status" class="ok">
        {notice}
      </p>
      <div class="table-scroll">
        <table>
          <caption>{t.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.serial}</th>
              <th scope="col">{t.state}</th>
              <th scope="col" class="num">
                {t.vouchers}
              </th>
              <th scope="col">{t.blocked}</th>
              {(canBlock || canReplace) && <th scope="col">{t.actions}</th>}
            </tr>
          </thead>
          <tbody>
            {list.items.map((b) => (
              <tr key={b.id}>
                <th scope="row">
                  {b.serial}
                  {b.replacesBookletId && <span class="tag"> ({t.replaces})</span>}
                </th>
                <td>{STATES[b.state][lang]}</td>
                <td class="num">{b.voucherCount}</td>
                <td>
                  {b.blockedAt
                    ? `${REASONS[b.blockReason as BlockReason]?.[lang] ?? b.blockReason} — ${formatDateTime(lang, b.blockedAt)}${b.replacedByBookletId ? ` (${t.replacedBy})` : ''}`
                    : t.no}
                </td>
                {(canBlock || canReplace) && (
                  <td>
                    {canBlock && !b.blockedAt && open !== b.id && (
                      <button type="button" aria-label={t.blockLabel(b.serial)} onClick={() => setOpen(b.id)}>
                        {t.block}
                      </button>
                    )}
                    {canBlock && !b.blockedAt && open === b.id && (
                      <div class="panel">
                        <Field id={`block-reason-${b.id}`} label={t.reason}>
                          {(aria) => (
                            <select {...aria} value={reason} onChange={(e) => setReason(valueOf(e) as BlockReason)}>
                              {(Object.keys(REASONS) as BlockReason[]).map((r) => (
                                <option key={r} value={r}>
                                  {REASONS[r][lang]}
                                </option>
                              ))}
                            </select>
                          )}
                        </Field>
                        <Field id={`block-note-${b.id}`} label={t.note} hint={t.noteHint}>
                          {(aria) => <input {...aria} maxLength={500} value={note} onInput={(e) => setNote(valueOf(e))} />}
                        </Field>
                        <div class="actions">
                          <ConfirmAction
                            lang={lang}
                            disabled={busy}
                            label={t.blockLabel(b.serial)}
                            question={t.blockQuestion(b.serial)}
                            confirmLabel={t.blockYes}
                            onConfirm={() => block(b)}
                          />
                          <button type="button" onClick={() => setOpen(undefined)}>
                            {t.closeForm}
                          </button>
                        </div>
                      </div>
                    )}
                    {canReplace && b.blockedAt && !b.replacedByBookletId && (
                      <ConfirmAction
                        lang={lang}
                        disabled={busy}
                        label={t.replaceLabel(b.serial)}
                        question={t.replaceQuestion(b.serial)}
                        confirmLabel={t.replaceYes}
                        onConfirm={() => replace(b)}
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!list.loading && list.items.length === 0 && !list.problem && <p>{t.none}</p>}
      <p role="status" class="muted">
        {list.loading ? t.loading : t.count(list.items.length)}
      </p>
      {list.hasMore && (
        <button type="button" onClick={list.more} disabled={list.loading}>
          {t.more}
        </button>
      )}
    </section>
  );
}
