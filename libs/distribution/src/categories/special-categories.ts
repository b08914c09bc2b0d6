/**
 * Words that reveal special categories of personal data (GDPR art. 9: health, disability, ethnic
 * origin, religion, political opinion, trade-union membership, sexual orientation, genetics,
 * biometrics). A public category whose code or labels contain one is refused: a booklet's
 * beneficiary must never be recorded as, e.g., "disabled" or "diabetic".
 * Matched on lower-cased text without accents, as word stems.
 */
/** Prefixes of longer words (no false friend among the usual public categories, e.g. "politique de la ville"). */
const STEMS = [
  'handicap',
  'disab',
  'invalid',
  'infirm',
  'sante',
  'health',
  'malad',
  'pathol',
  'medic',
  'psych',
  'alzheim',
  'autis',
  'cancer',
  'diabet',
  'addict',
  'toxicoman',
  'alcool',
  'alcoho',
  'grossesse',
  'pregnan',
  'ethni',
  'racial',
  'relig',
  'musulman',
  'muslim',
  'chretien',
  'christian',
  'catholi',
  'syndica',
  'sexual',
  'sexuel',
  'lgbt',
  'transgen',
  'genetiq',
  'genetic',
  'biometr',
  'malvoy',
  'malenten',
  'sourd',
  'aveugl',
  'blind',
  'deaf',
  'enceint',
  'seroposit',
  'deficien',
  'dyslex',
  'epilep',
  'paraly',
  'trisom',
  'invalidit',
];

/** Short words matched whole. */
const WORDS = new Set([
  'rqth',
  'mdph',
  'aah',
  'pch',
  'ald',
  'apa',
  'vih',
  'hiv',
  'sida',
  'aids',
  'juif',
  'juive',
  'jewish',
  'gay',
  'race',
  'sick',
  'ill',
]);

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** The special-category stem found in any of the texts (as the start of a word), or undefined. */
export function specialCategoryIn(...texts: string[]): string | undefined {
  for (const text of texts) {
    const words = fold(text).split(/[^a-z0-9]+/);
    for (const w of words) {
      if (WORDS.has(w)) return w;
      const stem = STEMS.find((st) => w.startsWith(st));
      if (stem) return stem;
    }
  }
  return undefined;
}
