import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { Link } from '../../router';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { formatDateTime } from './common';
import { checkpointSignatureValid } from './verify';

type Checkpoint = components['schemas']['AuditCheckpointDto'];

const PER_PAGE = 10;

const TEXT = {
  fr: {
    title: 'Journal d’audit : points de contrôle',
    intro:
      'Chaque changement d’état est un événement scellé dans un arbre de Merkle (RFC 6962). Un point de contrôle signe la racine de l’arbre à une taille donnée ; chacun renvoie au précédent.',
    trace: 'Retrouver la trace d’un chèque, avec ses preuves',
    none: 'Rien n’a encore été scellé.',
    size: 'Taille de l’arbre',
    issued: 'Signé le',
    previous: 'Précédent',
    root: 'Racine (base64)',
    key: 'Clé',
    signature: 'Signature',
    valid: 'Valide',
    invalid: 'Invalide',
    checking: 'Vérification…',
    verifiedHere: 'Signatures vérifiées dans votre navigateur avec les clés publiques publiées.',
    keys: 'Clés publiques de signature',
    since: (d: string) => `active depuis le ${d}`,
    next: 'Page suivante',
  },
  en: {
    title: 'Audit log: checkpoints',
    intro:
      'Every state change is an event sealed into a Merkle tree (RFC 6962). A checkpoint signs the tree’s root at one size; each refers to the previous one.',
    trace: 'Find a voucher’s trace, with its proofs',
    none: 'Nothing has been sealed yet.',
    size: 'Tree size',
    issued: 'Signed on',
    previous: 'Previous',
    root: 'Root (base64)',
    key: 'Key',
    signature: 'Signature',
    valid: 'Valid',
    invalid: 'Invalid',
    checking: 'Checking…',
    verifiedHere: 'Signatures checked in your browser with the published public keys.',
    keys: 'Public signing keys',
    since: (d: string) => `active since ${d}`,
    next: 'Next page',
  },
};

/** The signed checkpoints, newest first (following each one's link to the previous), each signature checked here. */
export function AuditPage({ lang }: PageProps) {
  const t = TEXT[lang];
  const keys = useLoad(() => api.GET('/v1/audit/keys'), []);
  const [checkpoints, setCheckpoints] = useState<Checkpoint[]>([]);
  const [empty, setEmpty] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [loading, setLoading] = useState(true);
  const [valid, setValid] = useState<Record<number, boolean>>({});

  const loadFrom = async (first: Checkpoint | undefined, previous: number | null, acc: Checkpoint[]) => {
    setLoading(true);
    const page: Checkpoint[] = first ? [first] : [];
    let next = first ? first.previousTreeSize : previous;
    while (page.length < PER_PAGE && next !== null) {
      const { data, error, response } = await api.GET('/v1/audit/checkpoints/{treeSize}', { params: { path: { treeSize: next } } });
      if (!data) {
        setProblem(asProblem(error, response));
        break;
      }
      page.push(data);
      next = data.previousTreeSize;
    }
    setCheckpoints([...acc, ...page]);
    setLoading(false);
  };

  useEffect(() => {
    void api.GET('/v1/audit/checkpoints/latest').then(({ data, error, response }) => {
      if (data) return loadFrom(data, null, []);
      const p = asProblem(error, response);
      if (p.code === 'CHECKPOINT_NOT_FOUND') setEmpty(true);
      else setProblem(p);
      setLoading(false);
    });
  }, []);

  useEffect(() => {
    if (!keys.data) return;
    const pems = new Map(keys.data.map((k) => [k.keyId, k.publicKeyPem]));
    void Promise.all(
      checkpoints
        .filter((c) => valid[c.treeSize] === undefined)
        .map(async (c) => [c.treeSize, pems.has(c.keyId) && (await checkpointSignatureValid(c, pems.get(c.keyId)!))] as const),
    ).then((rows) => rows.length && setValid((v) => ({ ...v, ...Object.fromEntries(rows) })));
  }, [checkpoints, keys.data]);

  const last = checkpoints[checkpoints.length - 1];
  return (
    <section>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <p>
        <Link href="/app/audit/trace">{t.trace}</Link>
      </p>
      <ProblemNotice lang={lang} problem={problem ?? keys.problem} />
      {empty && <p>{t.none}</p>}
      {checkpoints.length > 0 && (
        <>
          <p class="muted">{t.verifiedHere}</p>
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t.size}
                </th>
                <th scope="col">{t.issued}</th>
                <th scope="col" class="num">
                  {t.previous}
                </th>
                <th scope="col">{t.root}</th>
                <th scope="col">{t.key}</th>
                <th scope="col">{t.signature}</th>
              </tr>
            </thead>
            <tbody>
              {checkpoints.map((c) => (
                <tr key={c.treeSize}>
                  <th scope="row" class="num">
                    {c.treeSize}
                  </th>
                  <td>{formatDateTime(lang, c.issuedAt)}</td>
                  <td class="num">{c.previousTreeSize ?? '—'}</td>
                  <td class="hash">{c.root}</td>
                  <td class="hash">{c.keyId}</td>
                  <td>
                    {valid[c.treeSize] === undefined ? (
                      t.checking
                    ) : valid[c.treeSize] ? (
                      <span class="ok">{t.valid}</span>
                    ) : (
                      <span class="bad">{t.invalid}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {loading && <p aria-busy="true">…</p>}
      {!loading && last && last.previousTreeSize !== null && (
        <p>
          <button type="button" onClick={() => void loadFrom(undefined, last.previousTreeSize, checkpoints)}>
            {t.next}
          </button>
        </p>
      )}
      <h2>{t.keys}</h2>
      <ul>
        {(keys.data ?? []).map((k) => (
          <li key={k.keyId}>
            <span class="hash">{k.keyId}</span> — {t.since(formatDateTime(lang, String(k.activatedAt)))}
          </li>
        ))}
      </ul>
    </section>
  );
}
