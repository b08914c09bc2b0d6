import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { formatCents } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { usePages } from '../../ui/use-pages';
import { ConfirmAction, formatDateTime, MoreButton, useOrgNames } from './common';

type Incident = components['schemas']['IncidentDto'];
type Status = Incident['status'];
type Decision = components['schemas']['ResolveIncidentDto']['decision'];
type Reason = components['schemas']['ResolveIncidentDto']['reasonCode'];

const REASONS: Record<Decision, Reason[]> = {
  accepted: ['service_delivered', 'scanner_offline', 'late_sync_justified', 'other'],
  rejected: ['duplicate_scan', 'service_not_delivered', 'late_sync_unjustified', 'fraud_suspected', 'other'],
};

const TEXT = {
  fr: {
    title: 'Incidents à résoudre',
    intro:
      'Un passage synchronisé trop tard ou en conflit devient un incident. Accepté, il est payé au lieu par une ligne de correction sur son prochain relevé, à la charge de la commande ; refusé, il n’est pas payé.',
    status: 'État',
    statuses: { open: 'À résoudre', accepted: 'Acceptés', rejected: 'Refusés' } as Record<Status, string>,
    statusOne: { open: 'À résoudre', accepted: 'Accepté', rejected: 'Refusé' } as Record<Status, string>,
    from: 'Enregistrés à partir du',
    to: 'Jusqu’au',
    apply: 'Filtrer',
    none: 'Aucun incident.',
    site: 'Lieu',
    why: 'Cause',
    whys: {
      ALREADY_REDEEMED: 'Chèque déjà utilisé',
      OFFLINE_WINDOW_EXCEEDED: 'Synchronisé après le délai hors ligne',
      EXPIRED: 'Chèque expiré',
    } as Record<string, string>,
    vouchers: 'Chèques',
    amount: 'Montant demandé',
    occurred: 'Service rendu le',
    recorded: 'Reçu le',
    category: 'Service',
    trace: (s: string) => `Trace du chèque ${s}`,
    decision: 'Décision',
    decisions: { accepted: 'Accepter (payer le lieu)', rejected: 'Refuser (ne pas payer)' } as Record<Decision, string>,
    reason: 'Motif',
    reasons: {
      service_delivered: 'Service bien rendu',
      scanner_offline: 'Lecteur hors ligne',
      late_sync_justified: 'Retard de synchronisation justifié',
      other: 'Autre',
      duplicate_scan: 'Passage en double',
      service_not_delivered: 'Service non rendu',
      late_sync_unjustified: 'Retard de synchronisation injustifié',
      fraud_suspected: 'Suspicion de fraude',
    } as Record<string, string>,
    resolve: 'Résoudre',
    resolveQ: 'Enregistrer cette décision ? Elle est définitive.',
    resolved: (d: string) => `Incident résolu : ${d}.`,
    resolution: (s: string, r: string, when: string) => `${s} (${r}) le ${when}`,
    incidentOf: (site: string, when: string) => `Incident de ${site}, reçu le ${when}`,
  },
  en: {
    title: 'Incidents to resolve',
    intro:
      'A scan synced too late or in conflict becomes an incident. Accepted, the site is paid through a correction line on its next statement, charged to the order; rejected, it is not paid.',
    status: 'Status',
    statuses: { open: 'To resolve', accepted: 'Accepted', rejected: 'Rejected' } as Record<Status, string>,
    statusOne: { open: 'To resolve', accepted: 'Accepted', rejected: 'Rejected' } as Record<Status, string>,
    from: 'Received from',
    to: 'Until',
    apply: 'Filter',
    none: 'No incident.',
    site: 'Site',
    why: 'Cause',
    whys: {
      ALREADY_REDEEMED: 'Voucher already used',
      OFFLINE_WINDOW_EXCEEDED: 'Synced after the offline window',
      EXPIRED: 'Voucher expired',
    } as Record<string, string>,
    vouchers: 'Vouchers',
    amount: 'Amount claimed',
    occurred: 'Service on',
    recorded: 'Received on',
    category: 'Service',
    trace: (s: string) => `Trace of voucher ${s}`,
    decision: 'Decision',
    decisions: { accepted: 'Accept (pay the site)', rejected: 'Reject (do not pay)' } as Record<Decision, string>,
    reason: 'Reason',
    reasons: {
      service_delivered: 'Service delivered',
      scanner_offline: 'Scanner offline',
      late_sync_justified: 'Late sync justified',
      other: 'Other',
      duplicate_scan: 'Duplicate scan',
      service_not_delivered: 'Service not delivered',
      late_sync_unjustified: 'Late sync not justified',
      fraud_suspected: 'Fraud suspected',
    } as Record<string, string>,
    resolve: 'Resolve',
    resolveQ: 'Record this decision? It is final.',
    resolved: (d: string) => `Incident resolved: ${d}.`,
    resolution: (s: string, r: string, when: string) => `${s} (${r}) on ${when}`,
    incidentOf: (site: string, when: string) => `Incident of ${site}, received on ${when}`,
  },
};

const MESSAGES = {
  INCIDENT_ALREADY_RESOLVED: {
    fr: 'Cet incident a déjà été résolu : rechargez la page.',
    en: 'This incident was already resolved: reload the page.',
  },
  INCIDENT_VOUCHERS_USABLE: {
    fr: 'Un chèque de cet incident peut encore être utilisé : bloquez-le d’abord, pour qu’il ne soit pas payé deux fois.',
    en: 'A voucher of this incident can still be redeemed: block it first, so it is not paid twice.',
  },
};

/** Redemption incidents, open ones first by default; an operator admin accepts or rejects each with a reason. */
export function IncidentsPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [filters, setFilters] = useState<{ status: Status | ''; from: string; to: string }>({ status: 'open', from: '', to: '' });
  const [draft, setDraft] = useState(filters);
  const [message, setMessage] = useState<string>();
  const list = usePages<Incident>(
    (cursor) =>
      api.GET('/v1/incidents', {
        params: { query: { cursor, status: filters.status || undefined, from: filters.from || undefined, to: filters.to || undefined } },
      }),
    [filters.status, filters.from, filters.to],
  );
  const site = useOrgNames(list.items.map((i) => i.siteId));
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <Field id="incidents-status" label={t.status}>
          {(a) => (
            <select {...a} value={draft.status} onChange={(e) => setDraft({ ...draft, status: valueOf(e) as Status })}>
              {(['open', 'accepted', 'rejected'] as Status[]).map((s) => (
                <option key={s} value={s}>
                  {t.statuses[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="incidents-from" label={t.from}>
          {(a) => <input {...a} type="date" value={draft.from} onInput={(e) => setDraft({ ...draft, from: valueOf(e) })} />}
        </Field>
        <Field id="incidents-to" label={t.to}>
          {(a) => <input {...a} type="date" value={draft.to} onInput={(e) => setDraft({ ...draft, to: valueOf(e) })} />}
        </Field>
        <button type="submit">{t.apply}</button>
      </form>
      <ProblemNotice lang={lang} problem={list.problem} />
      {message && <p role="status">{message}</p>}
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      {list.items.map((i) => (
        <article key={i.id} class="panel" aria-label={t.incidentOf(site(i.siteId), formatDateTime(lang, i.recordedAt))}>
          <h2>{site(i.siteId)}</h2>
          <dl class="facts">
            <dt>{t.why}</dt>
            <dd>{t.whys[i.reasonCode] ?? i.reasonCode}</dd>
            <dt>{t.vouchers}</dt>
            <dd>
              {i.voucherSerials.map((s, n) => (
                <span key={s}>
                  {n > 0 && ', '}
                  <Link href={`/app/audit/trace?serial=${encodeURIComponent(s)}${i.orderId ? `&order=${i.orderId}` : ''}`}>{s}</Link>
                </span>
              ))}
            </dd>
            <dt>{t.amount}</dt>
            <dd>{formatCents(lang, i.amountCents)}</dd>
            <dt>{t.category}</dt>
            <dd>{i.serviceCategoryCode}</dd>
            <dt>{t.occurred}</dt>
            <dd>{formatDateTime(lang, i.occurredAt)}</dd>
            <dt>{t.recorded}</dt>
            <dd>{formatDateTime(lang, i.recordedAt)}</dd>
            <dt>{t.status}</dt>
            <dd>
              {i.status === 'open' || !i.resolvedAt
                ? t.statusOne[i.status]
                : t.resolution(
                    t.statusOne[i.status],
                    t.reasons[i.resolutionReason ?? ''] ?? i.resolutionReason ?? '',
                    formatDateTime(lang, i.resolvedAt),
                  )}
            </dd>
          </dl>
          {i.status === 'open' && me.role === 'admin' && (
            <ResolveForm
              lang={lang}
              incident={i}
              onResolved={(text) => {
                setMessage(t.resolved(text));
                list.reload();
              }}
            />
          )}
        </article>
      ))}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
    </section>
  );
}

function ResolveForm({ lang, incident, onResolved }: { lang: PageProps['lang']; incident: Incident; onResolved: (text: string) => void }) {
  const t = TEXT[lang];
  const [decision, setDecision] = useState<Decision>('accepted');
  const [reasonCode, setReason] = useState(REASONS.accepted[0]);
  const [problem, setProblem] = useState<ApiProblem>();
  const send = async () => {
    const { data, error, response } = await api.POST('/v1/incidents/{id}/resolve', {
      params: { path: { id: incident.id } },
      body: { decision, reasonCode },
    });
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    onResolved(`${t.statusOne[data.status]} (${t.reasons[reasonCode]})`);
  };
  return (
    <div class="actions">
      <Field id={`decision-${incident.id}`} label={t.decision}>
        {(a) => (
          <select
            {...a}
            value={decision}
            onChange={(e) => {
              const d = valueOf(e) as Decision;
              setDecision(d);
              setReason(REASONS[d][0]);
            }}
          >
            {(['accepted', 'rejected'] as Decision[]).map((d) => (
              <option key={d} value={d}>
                {t.decisions[d]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`reason-${incident.id}`} label={t.reason}>
        {(a) => (
          <select {...a} value={reasonCode} onChange={(e) => setReason(valueOf(e) as Reason)}>
            {REASONS[decision].map((r) => (
              <option key={r} value={r}>
                {t.reasons[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ConfirmAction lang={lang} label={t.resolve} question={t.resolveQ} primary onConfirm={() => void send()} />
      <ProblemNotice lang={lang} problem={problem} messages={MESSAGES} />
    </div>
  );
}
