import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link, navigate, useLocation } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formatDateTime, useOrgNames } from './common';
import { canonicalText, checkInclusion, ProofCheck } from './verify';

type AuditEvent = components['schemas']['AuditEventDto'];
type Proof = components['schemas']['AuditInclusionProofDto'];
type Booklet = components['schemas']['BookletDetailDto'];
type Order = components['schemas']['OrderDto'];

const SERIAL = /^(SLG-\d{4}-\d{6,9})-(\d{2})$/;

const TEXT = {
  fr: {
    title: 'Trace d’un chèque',
    intro:
      'La trace rassemble les événements scellés du journal d’audit qui concernent le chèque, son carnet, sa commande et ses passages, avec la preuve d’inclusion de chacun, vérifiée ici dans votre navigateur.',
    serial: 'Numéro du chèque',
    serialHint: 'par exemple SLG-2026-000123-07',
    order: 'Bon de commande',
    orderHint: 'la commande qui a émis le carnet',
    choose: 'Choisir…',
    look: 'Afficher la trace',
    badSerial: 'Ce numéro n’a pas la forme d’un numéro de chèque (SLG-année-carnet-numéro, par exemple SLG-2026-000123-07).',
    noOrder: 'Choisissez le bon de commande du chèque.',
    notInOrder: 'Ce chèque n’appartient pas à ce bon de commande.',
    searching: 'Recherche de la trace…',
    voucher: 'Chèque',
    status: 'État',
    statuses: {
      ISSUED: 'Émis (commande non payée)',
      ACTIVE: 'Utilisable',
      REDEEMED: 'Utilisé',
      BLOCKED: 'Bloqué',
      REPLACED: 'Remplacé',
      EXPIRED: 'Expiré',
      VOID: 'Annulé',
    } as Record<string, string>,
    since: 'Depuis le',
    booklet: 'Carnet',
    value: 'Valeur faciale',
    events: 'Événements',
    when: 'Date',
    what: 'Événement',
    who: 'Concerne',
    reason: 'Motif',
    proof: 'Preuve d’inclusion',
    verified: 'Vérifiée',
    notVerified: 'Ne se vérifie pas',
    unsealed: 'Pas encore scellé (au prochain point de contrôle)',
    leafIndex: 'Position de la feuille',
    treeSize: 'Taille de l’arbre',
    leafHash: 'Empreinte de la feuille (envoyée)',
    leafHashOk: 'Empreinte recalculée depuis l’événement',
    path: 'Chemin d’audit',
    computedRoot: 'Racine recalculée',
    root: 'Racine du point de contrôle',
    signature: 'Signature du point de contrôle',
    key: 'Clé',
    event: 'Événement (JSON canonique scellé)',
    same: 'identique',
    differs: 'différente',
    valid: 'valide',
    invalid: 'invalide',
    noEvents: 'Aucun événement.',
    subjects: { order: 'La commande', booklet: 'Le carnet', voucher: 'Le chèque', redemption: 'Le passage' } as Record<string, string>,
    proofs: 'Preuves d’inclusion',
    proofsIntro:
      'Ouvrez une preuve pour voir ses données : l’empreinte de l’événement, le chemin d’audit jusqu’à la racine et la signature du point de contrôle.',
    summary: (ok: number, all: number, unsealed: number) =>
      `${ok} preuve${ok > 1 ? 's' : ''} vérifiée${ok > 1 ? 's' : ''} sur ${all} événement${all > 1 ? 's' : ''} scellé${all > 1 ? 's' : ''}` +
      (unsealed ? ` ; ${unsealed} pas encore scellé${unsealed > 1 ? 's' : ''}.` : '.'),
  },
  en: {
    title: 'A voucher’s trace',
    intro:
      'The trace gathers the sealed audit events about the voucher, its booklet, its order and its redemptions, each with its inclusion proof, checked here in your browser.',
    serial: 'Voucher serial',
    serialHint: 'e.g. SLG-2026-000123-07',
    order: 'Purchase order',
    orderHint: 'the order that issued the booklet',
    choose: 'Choose…',
    look: 'Show the trace',
    badSerial: 'This is not a voucher serial (SLG-year-booklet-number, e.g. SLG-2026-000123-07).',
    noOrder: 'Choose the voucher’s purchase order.',
    notInOrder: 'This voucher does not belong to this purchase order.',
    searching: 'Looking for the trace…',
    voucher: 'Voucher',
    status: 'Status',
    statuses: {
      ISSUED: 'Issued (order unpaid)',
      ACTIVE: 'Usable',
      REDEEMED: 'Redeemed',
      BLOCKED: 'Blocked',
      REPLACED: 'Replaced',
      EXPIRED: 'Expired',
      VOID: 'Void',
    } as Record<string, string>,
    since: 'Since',
    booklet: 'Booklet',
    value: 'Face value',
    events: 'Events',
    when: 'Date',
    what: 'Event',
    who: 'About',
    reason: 'Reason',
    proof: 'Inclusion proof',
    verified: 'Verified',
    notVerified: 'Does not verify',
    unsealed: 'Not sealed yet (at the next checkpoint)',
    leafIndex: 'Leaf index',
    treeSize: 'Tree size',
    leafHash: 'Leaf hash (sent)',
    leafHashOk: 'Leaf hash recomputed from the event',
    path: 'Audit path',
    computedRoot: 'Recomputed root',
    root: 'Checkpoint root',
    signature: 'Checkpoint signature',
    key: 'Key',
    event: 'Event (sealed canonical JSON)',
    same: 'same',
    differs: 'differs',
    valid: 'valid',
    invalid: 'invalid',
    noEvents: 'No event.',
    subjects: { order: 'The order', booklet: 'The booklet', voucher: 'The voucher', redemption: 'The redemption' } as Record<
      string,
      string
    >,
    proofs: 'Inclusion proofs',
    proofsIntro: 'Open a proof to see its data: the event’s hash, the audit path up to the root and the checkpoint’s signature.',
    summary: (ok: number, all: number, unsealed: number) =>
      `${ok} proof${ok === 1 ? '' : 's'} verified out of ${all} sealed event${all === 1 ? '' : 's'}` +
      (unsealed ? `; ${unsealed} not sealed yet.` : '.'),
  },
};

/** A refusal met while building the trace. */
class TraceProblem extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.detail);
  }
}

interface TraceEvent {
  event: AuditEvent;
  facts: Record<string, unknown>;
  proof?: Proof;
  check?: ProofCheck;
  problem?: ApiProblem;
}

interface Trace {
  serial: string;
  order: Order;
  booklet: Booklet;
  events: TraceEvent[];
}

/** Reads every page of a cursor-paged list (bounded), keeping what `keep` selects. */
async function collect<T>(
  load: (cursor?: string) => Promise<{ data?: { items: T[]; nextCursor?: string | null }; error?: unknown; response: Response }>,
  keep: (item: T) => boolean = () => true,
  maxPages = 20,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const { data, error, response } = await load(cursor);
    if (!data) throw new TraceProblem(asProblem(error, response));
    out.push(...data.items.filter(keep));
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return out;
}

async function buildTrace(serial: string, orderId: string): Promise<Trace | 'notInOrder'> {
  const bookletSerial = SERIAL.exec(serial)![1];
  const orderRes = await api.GET('/v1/purchase-orders/{id}', { params: { path: { id: orderId } } });
  if (!orderRes.data) throw new TraceProblem(asProblem(orderRes.error, orderRes.response));
  const [found] = await collect(
    (cursor) => api.GET('/v1/purchase-orders/{id}/booklets', { params: { path: { id: orderId }, query: { cursor, limit: 100 } } }),
    (b) => b.serial === bookletSerial,
  );
  if (!found) return 'notInOrder';
  const bookletRes = await api.GET('/v1/booklets/{id}', { params: { path: { id: found.id } } });
  if (!bookletRes.data) throw new TraceProblem(asProblem(bookletRes.error, bookletRes.response));
  if (!bookletRes.data.vouchers.some((v) => v.serial === serial)) return 'notInOrder';
  const redemptions = await collect(
    (cursor) => api.GET('/v1/redemptions', { params: { query: { cursor, orderId, limit: 100 } } }),
    (r) => r.vouchers.some((v) => v.serial === serial),
  );
  const subjects: [string, string][] = [
    ['order', orderId],
    ['booklet', found.id],
    ['voucher', serial],
    ...redemptions.map((r) => ['redemption', r.id] as [string, string]),
  ];
  const events = (
    await Promise.all(
      subjects.map(([subjectType, subjectId]) =>
        collect((cursor) => api.GET('/v1/audit/events', { params: { query: { subjectType, subjectId, cursor, limit: 100 } } })),
      ),
    )
  )
    .flat()
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  const keys = new Map(((await api.GET('/v1/audit/keys')).data ?? []).map((k) => [k.keyId, k.publicKeyPem]));
  const traced = await Promise.all(
    events.map(async (event): Promise<TraceEvent> => {
      let facts: Record<string, unknown> = {};
      try {
        facts = (JSON.parse(canonicalText(event.canonical)) as { facts?: Record<string, unknown> }).facts ?? {};
      } catch {
        /* the canonical bytes are JSON; shown raw if not */
      }
      if (event.leafIndex === null) return { event, facts };
      const { data, error, response } = await api.GET('/v1/audit/events/{id}/proof', { params: { path: { id: event.id }, query: {} } });
      if (!data) return { event, facts, problem: asProblem(error, response) };
      return { event, facts, proof: data, check: await checkInclusion(data, keys) };
    }),
  );
  return { serial, order: orderRes.data, booklet: bookletRes.data, events: traced };
}

/** A voucher's life from the sealed audit log: each event with its inclusion proof, checked in the browser. */
export function TracePage({ lang }: PageProps) {
  const t = TEXT[lang];
  const { query } = useLocation();
  const orders = useLoad(() => api.GET('/v1/purchase-orders', { params: { query: { limit: 100 } } }), []);
  const [serial, setSerial] = useState(query.get('serial') ?? '');
  const [orderId, setOrderId] = useState(query.get('order') ?? '');
  const [error, setError] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const [trace, setTrace] = useState<Trace>();

  const run = async (s: string, o: string) => {
    setTrace(undefined);
    setProblem(undefined);
    setError(undefined);
    if (!SERIAL.test(s)) return setError(t.badSerial);
    if (!o) return setError(t.noOrder);
    setBusy(true);
    try {
      const result = await buildTrace(s, o);
      if (result === 'notInOrder') setError(t.notInOrder);
      else setTrace(result);
    } catch (e) {
      setProblem(e instanceof TraceProblem ? e.problem : asProblem(undefined));
    }
    setBusy(false);
  };
  useEffect(() => {
    if (query.get('serial') && query.get('order')) void run(query.get('serial')!, query.get('order')!);
  }, []);

  const orderItems = orders.data?.items ?? [];
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const s = serial.trim().toUpperCase();
          navigate(`/app/audit/trace?serial=${encodeURIComponent(s)}&order=${orderId}`, { replace: true });
          void run(s, orderId);
        }}
        noValidate
      >
        <Field id="trace-serial" label={t.serial} hint={t.serialHint} error={error === t.badSerial ? error : undefined}>
          {(a) => <input {...a} required value={serial} onInput={(e) => setSerial(valueOf(e))} />}
        </Field>
        <Field id="trace-order" label={t.order} hint={t.orderHint} error={error === t.noOrder ? error : undefined}>
          {(a) => (
            <select {...a} required value={orderId} onChange={(e) => setOrderId(valueOf(e))}>
              <option value="">{t.choose}</option>
              {orderId && !orderItems.some((o) => o.id === orderId) && <option value={orderId}>{orderId}</option>}
              {orderItems.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.reference}
                </option>
              ))}
            </select>
          )}
        </Field>
        {error && (
          <p role="alert" class="problem">
            {error}
          </p>
        )}
        <ProblemNotice lang={lang} problem={problem ?? orders.problem} />
        <button type="submit" class="primary" disabled={busy}>
          {t.look}
        </button>
      </form>
      {busy && <p aria-busy="true">{t.searching}</p>}
      {trace && <TraceView lang={lang} trace={trace} />}
    </section>
  );
}

function TraceView({ lang, trace }: { lang: PageProps['lang']; trace: Trace }) {
  const t = TEXT[lang];
  const voucher = trace.booklet.vouchers.find((v) => v.serial === trace.serial)!;
  const orgIds = trace.events.flatMap((e) =>
    ['siteId', 'distributorId', 'funderId', 'toDistributorId', 'fromDistributorId'].map((k) => e.facts[k] as string | undefined),
  );
  const org = useOrgNames(orgIds);
  const sealed = trace.events.filter((e) => e.event.leafIndex !== null);
  const ok = sealed.filter((e) => e.check?.ok).length;
  const who = (e: TraceEvent) =>
    ['siteId', 'distributorId', 'toDistributorId', 'funderId']
      .filter((k) => typeof e.facts[k] === 'string')
      .map((k) => org(e.facts[k] as string))
      .join(', ') ||
    (t.subjects[e.event.subjectType] ?? e.event.subjectType);
  return (
    <>
      <h2>
        {t.voucher} {trace.serial}
      </h2>
      <dl class="facts">
        <dt>{t.status}</dt>
        <dd data-testid="voucher-status">{t.statuses[voucher.status] ?? voucher.status}</dd>
        {voucher.statusChangedAt && (
          <>
            <dt>{t.since}</dt>
            <dd>{formatDateTime(lang, voucher.statusChangedAt)}</dd>
          </>
        )}
        <dt>{t.booklet}</dt>
        <dd>{trace.booklet.serial}</dd>
        <dt>{t.order}</dt>
        <dd>{trace.order.reference}</dd>
        <dt>{t.value}</dt>
        <dd>{formatCents(lang, trace.booklet.faceValueCents)}</dd>
      </dl>
      <h2>{t.events}</h2>
      <p role="status">{t.summary(ok, sealed.length, trace.events.length - sealed.length)}</p>
      {trace.events.length === 0 ? (
        <p>{t.noEvents}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.what}</th>
              <th scope="col">{t.who}</th>
              <th scope="col">{t.reason}</th>
              <th scope="col">{t.proof}</th>
            </tr>
          </thead>
          <tbody>
            {trace.events.map((e) => (
              <tr key={e.event.id}>
                <th scope="row">{formatDateTime(lang, e.event.recordedAt)}</th>
                <td>
                  <code>{e.event.action}</code>
                </td>
                <td>{who(e)}</td>
                <td>{e.event.reason ?? '—'}</td>
                <td>
                  <ProofStatus lang={lang} e={e} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sealed.length > 0 && (
        <>
          <h2>{t.proofs}</h2>
          <p class="muted">{t.proofsIntro}</p>
          {trace.events.map((e) => (
            <ProofDetails key={e.event.id} lang={lang} e={e} />
          ))}
        </>
      )}
      <p>
        <Link href="/app/audit">{lang === 'fr' ? 'Points de contrôle' : 'Checkpoints'}</Link>
      </p>
    </>
  );
}

function ProofStatus({ lang, e }: { lang: PageProps['lang']; e: TraceEvent }) {
  const t = TEXT[lang];
  if (e.event.leafIndex === null) return <span class="muted">{t.unsealed}</span>;
  if (e.problem) return <ProblemNotice lang={lang} problem={e.problem} />;
  if (!e.check) return <span aria-busy="true">…</span>;
  return <span class={e.check.ok ? 'ok' : 'bad'}>{e.check.ok ? t.verified : t.notVerified}</span>;
}

function ProofDetails({ lang, e }: { lang: PageProps['lang']; e: TraceEvent }) {
  const t = TEXT[lang];
  if (!e.proof || !e.check) return null;
  const p = e.proof;
  const c = e.check;
  return (
    <details class="panel proof">
      <summary>
        <code>{e.event.action}</code> — {formatDateTime(lang, e.event.recordedAt)} —{' '}
        <span class={c.ok ? 'ok' : 'bad'}>{c.ok ? t.verified : t.notVerified}</span>
      </summary>
      <dl class="facts">
        <dt>{t.leafIndex}</dt>
        <dd>{p.leafIndex}</dd>
        <dt>{t.treeSize}</dt>
        <dd>{p.treeSize}</dd>
        <dt>{t.leafHash}</dt>
        <dd class="hash">{p.leafHash}</dd>
        <dt>{t.leafHashOk}</dt>
        <dd>{c.leafHashMatches ? t.same : t.differs}</dd>
        <dt>{t.path}</dt>
        <dd>
          <ol class="hash">
            {p.proof.map((h, i) => (
              <li key={i}>{h}</li>
            ))}
          </ol>
        </dd>
        <dt>{t.computedRoot}</dt>
        <dd class="hash">
          {c.computedRoot ?? '—'} ({c.rootMatches ? t.same : t.differs})
        </dd>
        <dt>{t.root}</dt>
        <dd class="hash">{p.checkpoint.root}</dd>
        <dt>{t.signature}</dt>
        <dd>
          <span class="hash">{p.checkpoint.signature}</span> ({c.signatureValid ? t.valid : t.invalid})
        </dd>
        <dt>{t.key}</dt>
        <dd class="hash">{p.checkpoint.keyId}</dd>
        <dt>{t.event}</dt>
        <dd>
          <pre class="hash">{canonicalText(p.canonical)}</pre>
        </dd>
      </dl>
    </details>
  );
}
