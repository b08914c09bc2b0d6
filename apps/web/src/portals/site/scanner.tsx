import { useEffect, useRef, useState } from 'preact/hooks';
import {
  formatHumanCode,
  HUMAN_CODE_LENGTH,
  isWellFormedHumanCode,
  normaliseHumanCode,
} from '../../../../../libs/issuance/src/codes/human-code-format';
import { api, asProblem } from '../../api/client';
import { formatCents, Lang } from '../../i18n';
import type { PageProps } from '../../portal/page';
import { Field, valueOf } from '../../ui/field';
import type { CameraReader } from './camera';
import { refusalText } from './scan-reasons';
import { queueScan, ScanRequest } from './scan-queue';
import { ConnectionStatus, ScanQueuePanel, useScanQueue } from './scan-queue-panel';
import './site.css';

const TEXT = {
  fr: {
    title: 'Scanner',
    category: 'Prestation',
    chooseCategory: 'Choisissez la prestation',
    camera: 'Scanner un QR code',
    stopCamera: 'Fermer la caméra',
    cameraView: 'Image de la caméra : placez le QR code du chèque dans le cadre',
    noCamera: 'Caméra indisponible ou refusée : saisissez le code imprimé sous le QR code.',
    cover: 'C’est le QR code de la couverture du carnet : scannez celui d’un chèque.',
    unreadable: 'Ce QR code n’est pas celui d’un chèque.',
    code: 'Code du chèque',
    codeHint: '12 caractères imprimés sous le QR code, par exemple 7KQ4-M9TX-2RWC',
    chars: (n: number) => `${n} caractère${n > 1 ? 's' : ''} sur ${HUMAN_CODE_LENGTH}`,
    badChar: (c: string) => `« ${c} » n’existe pas dans les codes : vérifiez ce caractère.`,
    badCheck: 'Ce code n’est pas valide : un caractère est mal saisi (la clé de contrôle ne correspond pas).',
    tooLong: `Un code a ${HUMAN_CODE_LENGTH} caractères.`,
    codeOk: 'Code complet.',
    basket: (n: number) => `Chèques de ce service : ${n}`,
    remove: (label: string) => `Retirer ${label}`,
    scanned: 'chèque scanné',
    add: 'Ajouter un autre chèque du même carnet',
    submit: 'Valider',
    busy: 'Envoi…',
    nothing: 'Scannez ou saisissez au moins un chèque.',
    noCategory: 'Choisissez la prestation.',
    ok: 'Accepté',
    okDetail: (n: number, v: string) => `${n} chèque${n > 1 ? 's' : ''} encaissé${n > 1 ? 's' : ''}, ${v}.`,
    refused: 'Refusé',
    queued: 'Enregistré hors ligne',
    queuedDetail: 'Pas de connexion : ce scan sera envoyé automatiquement au retour du réseau.',
  },
  en: {
    title: 'Scanner',
    category: 'Service',
    chooseCategory: 'Choose the service',
    camera: 'Scan a QR code',
    stopCamera: 'Close the camera',
    cameraView: 'Camera picture: hold the voucher’s QR code in the frame',
    noCamera: 'Camera unavailable or refused: type the code printed under the QR code.',
    cover: 'This is the booklet cover’s QR code: scan a voucher’s.',
    unreadable: 'This QR code is not a voucher’s.',
    code: 'Voucher code',
    codeHint: '12 characters printed under the QR code, e.g. 7KQ4-M9TX-2RWC',
    chars: (n: number) => `${n} character${n > 1 ? 's' : ''} of ${HUMAN_CODE_LENGTH}`,
    badChar: (c: string) => `“${c}” is never in a code: check this character.`,
    badCheck: 'This code is not valid: a character is mistyped (the check character does not match).',
    tooLong: `A code has ${HUMAN_CODE_LENGTH} characters.`,
    codeOk: 'Code complete.',
    basket: (n: number) => `Vouchers for this service: ${n}`,
    remove: (label: string) => `Remove ${label}`,
    scanned: 'scanned voucher',
    add: 'Add another voucher of the same booklet',
    submit: 'Validate',
    busy: 'Sending…',
    nothing: 'Scan or type at least one voucher.',
    noCategory: 'Choose the service.',
    ok: 'Accepted',
    okDetail: (n: number, v: string) => `${n} voucher${n > 1 ? 's' : ''} redeemed, ${v}.`,
    refused: 'Refused',
    queued: 'Saved offline',
    queuedDetail: 'No connection: this scan will be sent automatically when the network is back.',
  },
};

type Voucher = { code?: string; qrToken?: string; label: string };
type Result = { kind: 'ok'; count: number; amountCents: number } | { kind: 'refused'; text: string } | { kind: 'queued' };

/** What the typed code is so far: checked as people type, with the same rule the API applies. */
export function codeStatus(lang: Lang, input: string): { ok: boolean; message?: string; canonical?: string } {
  const t = TEXT[lang];
  if (!input.trim()) return { ok: false };
  const canonical = normaliseHumanCode(input);
  if (canonical === null) {
    const bad = [...input.normalize('NFKC').toUpperCase()].find((c) => normaliseHumanCode(c) === null);
    return { ok: false, message: t.badChar(bad ?? '?') };
  }
  if (canonical.length < HUMAN_CODE_LENGTH) return { ok: false, message: t.chars(canonical.length) };
  if (canonical.length > HUMAN_CODE_LENGTH) return { ok: false, message: t.tooLong };
  if (!isWellFormedHumanCode(canonical)) return { ok: false, message: t.badCheck };
  return { ok: true, message: t.codeOk, canonical };
}

const CATEGORY_KEY = 'sillage.scanner.category';
const nowWithOffset = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The site agent's scanner, made for a phone at a service desk: scan the cheque's QR code with the
 * camera or type its code (checked as typed), several cheques of one booklet for one service, then
 * a large, unmistakable answer. Without a connection the scan is kept in this browser and sent when
 * the network is back (see scan-queue.ts).
 */
export function ScannerPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [categories, setCategories] = useState<{ code: string; label: string }[]>([]);
  const [category, setCategory] = useState(() => localStorage.getItem(CATEGORY_KEY) ?? '');
  const [code, setCode] = useState('');
  const [basket, setBasket] = useState<Voucher[]>([]);
  const [formError, setFormError] = useState<string>();
  const [result, setResult] = useState<Result>();
  const [busy, setBusy] = useState(false);
  const [camera, setCamera] = useState<{ on: boolean; message?: string }>({ on: false });
  const video = useRef<HTMLVideoElement>(null);
  const reader = useRef<CameraReader>();
  const submitButton = useRef<HTMLButtonElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const queue = useScanQueue(me.organisation.id);

  useEffect(() => {
    // The site's own catalogue first (when it has one), labelled from the operator's list.
    void Promise.all([
      api.GET('/v1/service-categories', { params: { query: { limit: 100 } } }),
      api.GET('/v1/sites/{id}', { params: { path: { id: me.organisation.id } } }),
    ]).then(([all, site]) => {
      const offered = new Set(site.data?.serviceCategoryCodes ?? []);
      const list = (all.data?.items ?? [])
        .filter((c) => c.active && (offered.size === 0 || offered.has(c.code)))
        .map((c) => ({ code: c.code, label: lang === 'fr' ? c.labelFr : c.labelEn }));
      setCategories(list);
      if (list.length === 1) setCategory(list[0].code);
    });
  }, [lang, me.organisation.id]);
  useEffect(() => () => reader.current?.stop(), []);
  // The service worker keeps the app in this browser: the scanner reopens without a connection.
  useEffect(() => void navigator.serviceWorker?.register('/sw.js').catch(() => undefined), []);
  // The QR reader (a small chunk and its WebAssembly) is fetched once the page is idle, so the first
  // tap on "Scanner" does not wait for it on a slow connection; it is then in the browser's cache.
  useEffect(() => {
    const prefetch = setTimeout(() => void import('./camera').catch(() => undefined), 1000);
    return () => clearTimeout(prefetch);
  }, []);
  // Marks for the scan → result benchmark (npm run bench -- web): the answer is on screen.
  useEffect(() => {
    if (result) performance.mark('sillage:result-shown');
  }, [result]);

  const status = codeStatus(lang, code);
  const add = (v: Voucher) =>
    setBasket((b) => (b.some((x) => (x.code && x.code === v.code) || (x.qrToken && x.qrToken === v.qrToken)) ? b : [...b, v]));

  const onRead = (text: string) => {
    let message: string | undefined;
    if (/\/p#/.test(text)) message = t.cover;
    else if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text)) {
      performance.mark('sillage:scan');
      add({ qrToken: text, label: `${t.scanned} ${basket.length + 1}` });
    } else if (codeStatus(lang, text).ok)
      add({ code: codeStatus(lang, text).canonical, label: formatHumanCode(codeStatus(lang, text).canonical!) });
    else message = t.unreadable;
    stopCamera(message);
    if (!message) submitButton.current?.focus();
  };
  const startCamera = async () => {
    setResult(undefined);
    setCamera({ on: true });
    try {
      const { startCamera: start } = await import('./camera');
      reader.current = await start(video.current!, onRead);
    } catch {
      setCamera({ on: false, message: t.noCamera });
    }
  };
  const stopCamera = (message?: string) => {
    reader.current?.stop();
    reader.current = undefined;
    setCamera({ on: false, message });
  };

  const addTyped = () => {
    if (!status.ok) return false;
    add({ code: status.canonical, label: formatHumanCode(status.canonical!) });
    setCode('');
    return true;
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    performance.mark('sillage:submit');
    setFormError(undefined);
    const vouchers = [...basket];
    if (status.ok && !vouchers.some((v) => v.code === status.canonical))
      vouchers.push({ code: status.canonical, label: status.canonical! });
    else if (code.trim() && !status.ok) return setFormError(status.message);
    if (!category) return setFormError(t.noCategory);
    if (vouchers.length === 0) return setFormError(t.nothing);
    localStorage.setItem(CATEGORY_KEY, category);
    const request: ScanRequest = {
      vouchers: vouchers.map((v) => (v.qrToken ? { qrToken: v.qrToken } : { code: v.code })),
      serviceCategoryCode: category,
      occurredAt: nowWithOffset(),
    };
    const idempotencyKey = crypto.randomUUID();
    setBusy(true);
    const answer = navigator.onLine
      ? await api
          .POST('/v1/redemptions', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body: request })
          .catch(() => undefined)
      : undefined;
    if (!answer || answer.response.status >= 500) {
      // No answer (offline, or a server error): kept with its key, so sending it again is safe.
      await queueScan(me.organisation.id, { idempotencyKey, request, capturedAt: new Date().toISOString(), status: 'pending' });
      setResult({ kind: 'queued' });
      queue.refresh();
    } else if (answer.data) {
      setResult({ kind: 'ok', count: answer.data.vouchers.length, amountCents: answer.data.amountCents });
    } else {
      const p = asProblem(answer.error, answer.response);
      setResult({ kind: 'refused', text: refusalText(lang, p.code, p.detail) });
      navigator.vibrate?.(300);
    }
    performance.mark('sillage:result');
    setBusy(false);
    setBasket([]);
    setCode('');
    codeInput.current?.focus();
  };

  return (
    <section class="scanner">
      <h1>{t.title}</h1>
      <ConnectionStatus lang={lang} queue={queue} />
      {result && <ScanResult lang={lang} result={result} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field id="category" label={t.category}>
          {(aria) => (
            <select {...aria} value={category} onChange={(e) => setCategory(valueOf(e))}>
              <option value="">{t.chooseCategory}</option>
              {categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="camera">
          <button type="button" class="scan-button" onClick={() => (camera.on ? stopCamera() : void startCamera())}>
            {camera.on ? t.stopCamera : t.camera}
          </button>
          <video ref={video} hidden={!camera.on} aria-label={t.cameraView} />
          {camera.message && <p role="alert">{camera.message}</p>}
        </div>
        <Field id="code" label={t.code} hint={t.codeHint} error={formError}>
          {(aria) => (
            <input
              {...aria}
              ref={codeInput}
              class="code-input"
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              value={code}
              onInput={(e) => setCode(valueOf(e))}
            />
          )}
        </Field>
        <p class={status.ok ? 'code-ok' : 'code-status'} aria-live="polite">
          {status.message}
        </p>
        {basket.length > 0 && (
          <div>
            <p>{t.basket(basket.length)}</p>
            <ul class="basket">
              {basket.map((v, i) => (
                <li key={v.code ?? v.qrToken}>
                  {v.label}{' '}
                  <button type="button" aria-label={t.remove(v.label)} onClick={() => setBasket((b) => b.filter((_, k) => k !== i))}>
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div class="actions">
          <button type="button" onClick={() => addTyped()} disabled={!status.ok}>
            {t.add}
          </button>
          <button type="submit" class="primary validate" ref={submitButton} disabled={busy}>
            {busy ? t.busy : t.submit}
          </button>
        </div>
      </form>
      <ScanQueuePanel lang={lang} queue={queue} />
    </section>
  );
}

function ScanResult({ lang, result }: { lang: Lang; result: Result }) {
  const t = TEXT[lang];
  if (result.kind === 'ok')
    return (
      <div class="result result-ok" role="status">
        <p class="result-title">✔ {t.ok}</p>
        <p>{t.okDetail(result.count, formatCents(lang, result.amountCents))}</p>
      </div>
    );
  if (result.kind === 'queued')
    return (
      <div class="result result-queued" role="status">
        <p class="result-title">{t.queued}</p>
        <p>{t.queuedDetail}</p>
      </div>
    );
  return (
    <div class="result result-refused" role="alert">
      <p class="result-title">✖ {t.refused}</p>
      <p>{result.text}</p>
    </div>
  );
}
