import { readFileSync } from 'node:fs';

/**
 * INSEE commune codes (code officiel géographique) checked against the official list shipped by
 * @etalab/decoupage-administratif, so a well-formed but non-existent code such as 75000 is refused.
 */

interface CommuneRecord {
  code: string;
  nom: string;
  type: string;
}

// Délégué and associated communes keep a code but are no longer administrative units: records
// filed under them would not aggregate with their current commune. Municipal arrondissements are
// accepted because Paris, Lyon and Marseille data is commonly published per arrondissement.
const ACCEPTED_TYPES: ReadonlySet<string> = new Set(['commune-actuelle', 'arrondissement-municipal']);

// Five digits, or Corsica's 2A/2B followed by three digits. Checked before the lookup so garbage
// input never pays for loading the 8 MB list.
const CODE_FORMAT = /^(?:\d{5}|2[AB]\d{3})$/;

let communes: Map<string, string> | undefined;

function communeNames(): Map<string, string> {
  if (communes === undefined) {
    // Read lazily: most processes never validate a commune code and the list is large.
    const path = require.resolve('@etalab/decoupage-administratif/data/communes.json');
    const records = JSON.parse(readFileSync(path, 'utf8')) as CommuneRecord[];
    const byCode = new Map<string, string>();
    for (const record of records) {
      // A code can appear both as a current commune and as the délégué commune that is its
      // chef-lieu (e.g. 10003); only the current commune's record may name it.
      if (ACCEPTED_TYPES.has(record.type)) byCode.set(record.code, record.nom);
    }
    communes = byCode;
  }
  return communes;
}

export function isValidCommuneCode(code: string): boolean {
  return communeName(code) !== undefined;
}

/** Official name of a current commune or municipal arrondissement, or undefined. */
export function communeName(code: string): string | undefined {
  if (typeof code !== 'string' || !CODE_FORMAT.test(code)) return undefined;
  return communeNames().get(code);
}
