import type { components } from '../../api/schema';

type Checkpoint = components['schemas']['AuditCheckpointDto'];
type InclusionProof = components['schemas']['AuditInclusionProofDto'];

/**
 * Checks, in the browser and without trusting the server's word, what the API hands over: an event's
 * leaf hash from its canonical bytes (RFC 6962: SHA-256(0x00 ‖ bytes)), the root its audit path
 * leads to, and the checkpoint's ES256 signature under the published key.
 */
const b64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const toB64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

const node = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);

export const leafHashOf = async (canonicalB64: string) => toB64(await sha256(Uint8Array.of(0), b64(canonicalB64)));

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the path has the wrong shape. */
export async function rootFromInclusion(leafIndex: number, treeSize: number, leafHashB64: string, proof: string[]): Promise<string | null> {
  if (leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = b64(leafHashB64);
  for (const p of proof.map(b64)) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await node(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? toB64(r) : null;
}

/** The exact bytes a checkpoint's signature covers: RFC 8785 JSON (keys sorted) with a type tag. */
function checkpointMessage(c: Checkpoint): Uint8Array<ArrayBuffer> {
  const body = {
    issuedAt: c.issuedAt,
    keyId: c.keyId,
    previousTreeSize: c.previousTreeSize,
    root: c.root,
    treeSize: c.treeSize,
    type: 'sillage.audit.checkpoint.v1',
  };
  return new TextEncoder().encode(JSON.stringify(body));
}

export async function checkpointSignatureValid(c: Checkpoint, publicKeyPem: string): Promise<boolean> {
  try {
    const der = b64(publicKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
    const key = await crypto.subtle.importKey('spki', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, b64(c.signature), checkpointMessage(c));
  } catch {
    return false;
  }
}

export interface ProofCheck {
  /** SHA-256(0x00 ‖ canonical) equals the leaf hash the API sent. */
  leafHashMatches: boolean;
  /** The root computed from the audit path (null: the path has the wrong shape). */
  computedRoot: string | null;
  /** The computed root equals the checkpoint's root. */
  rootMatches: boolean;
  /** The checkpoint's signature verifies under its key. */
  signatureValid: boolean;
  ok: boolean;
}

export async function checkInclusion(p: InclusionProof, keys: Map<string, string>): Promise<ProofCheck> {
  const leafHashMatches = (await leafHashOf(p.canonical)) === p.leafHash;
  const computedRoot = await rootFromInclusion(p.leafIndex, p.treeSize, p.leafHash, p.proof);
  const rootMatches = computedRoot !== null && computedRoot === p.checkpoint.root && p.checkpoint.treeSize === p.treeSize;
  const pem = keys.get(p.checkpoint.keyId);
  const signatureValid = pem ? await checkpointSignatureValid(p.checkpoint, pem) : false;
  return { leafHashMatches, computedRoot, rootMatches, signatureValid, ok: leafHashMatches && rootMatches && signatureValid };
}

/** The canonical bytes as readable JSON (they are UTF-8 JSON). */
export function canonicalText(canonicalB64: string): string {
  return new TextDecoder().decode(b64(canonicalB64));
}
