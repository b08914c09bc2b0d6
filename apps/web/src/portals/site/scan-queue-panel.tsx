import { useCallback, useEffect, useState } from 'preact/hooks';
import { formatCents, Lang } from '../../i18n';
import { refusalText } from './scan-reasons';
import { clearSettled, QueuedScan, queuedScans, syncQueuedScans } from './scan-queue';

const TEXT = {
  fr: {
    online: 'En ligne',
    offline: 'Hors ligne : les scans sont gardés sur cet appareil et partiront au retour du réseau.',
    title: 'Scans hors ligne',
    pending: (n: number) => `En attente d’envoi : ${n}`,
    synced: (n: number) => `Envoyés et acceptés : ${n}`,
    conflicts: (n: number) => `En conflit (incident transmis à l’opérateur) : ${n}`,
    refused: (n: number) => `Refusés : ${n}`,
    sendNow: 'Envoyer maintenant',
    sending: 'Envoi en cours…',
    clear: 'Effacer les scans traités',
    captured: 'scanné le',
  },
  en: {
    online: 'Online',
    offline: 'Offline: scans are kept on this device and will be sent when the network is back.',
    title: 'Offline scans',
    pending: (n: number) => `Waiting to be sent: ${n}`,
    synced: (n: number) => `Sent and accepted: ${n}`,
    conflicts: (n: number) => `In conflict (an incident for the operator): ${n}`,
    refused: (n: number) => `Refused: ${n}`,
    sendNow: 'Send now',
    sending: 'Sending…',
    clear: 'Clear the handled scans',
    captured: 'scanned on',
  },
};

export interface ScanQueue {
  scans: QueuedScan[];
  online: boolean;
  syncing: boolean;
  refresh: () => void;
  sync: () => void;
  clear: () => void;
}

const RETRY_MS = 15_000;

/**
 * The offline queue as the scanner shows it. Pending scans are sent when the browser says the
 * network is back, when the scanner opens, and every 15 s while some wait (an "online" event is not
 * always fired after a flaky connection).
 */
export function useScanQueue(organisationId: string): ScanQueue {
  const [scans, setScans] = useState<QueuedScan[]>([]);
  const [online, setOnline] = useState(navigator.onLine);
  const [syncing, setSyncing] = useState(false);
  const refresh = useCallback(() => void queuedScans(organisationId).then(setScans), [organisationId]);
  const sync = useCallback(() => {
    if (!navigator.onLine) return;
    setSyncing(true);
    void syncQueuedScans(organisationId)
      .finally(() => setSyncing(false))
      .then(refresh);
  }, [organisationId, refresh]);
  useEffect(() => {
    const up = () => {
      setOnline(true);
      sync();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    void queuedScans(organisationId).then((all) => {
      setScans(all);
      if (all.some((s) => s.status === 'pending')) sync();
    });
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [organisationId, sync]);
  const pending = scans.some((s) => s.status === 'pending');
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(sync, RETRY_MS);
    return () => clearInterval(timer);
  }, [pending, sync]);
  return { scans, online, syncing, refresh, sync, clear: () => void clearSettled(organisationId).then(refresh) };
}

/** Online or not, in words (the scanner works either way). */
export function ConnectionStatus({ lang, queue }: { lang: Lang; queue: ScanQueue }) {
  const t = TEXT[lang];
  return (
    <p class={queue.online ? 'connection online' : 'connection offline'} role="status">
      {queue.online ? t.online : t.offline}
    </p>
  );
}

/** The scans kept offline: how many wait, were accepted, or became incidents, and why. */
export function ScanQueuePanel({ lang, queue }: { lang: Lang; queue: ScanQueue }) {
  const t = TEXT[lang];
  const count = (status: QueuedScan['status']) => queue.scans.filter((s) => s.status === status).length;
  return (
    <>
      {queue.scans.length > 0 && (
        <section class="queue" aria-labelledby="queue-title">
          <h2 id="queue-title">{t.title}</h2>
          <ul class="queue-counts">
            <li class="pending">{t.pending(count('pending'))}</li>
            <li class="synced">{t.synced(count('synced'))}</li>
            <li class="conflict">{t.conflicts(count('conflict'))}</li>
            {count('refused') > 0 && <li class="refused">{t.refused(count('refused'))}</li>}
          </ul>
          <ul class="queue-items">
            {queue.scans
              .filter((s) => s.status !== 'pending')
              .map((s) => (
                <li key={s.idempotencyKey} class={`queue-${s.status}`}>
                  {t.captured} {new Date(s.capturedAt).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB')} —{' '}
                  {s.status === 'synced'
                    ? formatCents(lang, s.amountCents ?? 0)
                    : refusalText(lang, s.problem?.code ?? '', s.problem?.detail ?? '')}
                </li>
              ))}
          </ul>
          <div class="actions">
            <button type="button" onClick={queue.sync} disabled={!queue.online || queue.syncing || count('pending') === 0}>
              {queue.syncing ? t.sending : t.sendNow}
            </button>
            <button type="button" onClick={queue.clear} disabled={queue.scans.every((s) => s.status === 'pending')}>
              {t.clear}
            </button>
          </div>
        </section>
      )}
    </>
  );
}
