/**
 * RFC 8785 JSON Canonicalization Scheme for the values the audit log stores (no floats: money is
 * integer cents). Keys sorted by UTF-16 code units, no whitespace, ECMAScript number and string
 * serialisation — exactly what JSON.stringify does for each scalar.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot hold NaN or Infinity');
    return JSON.stringify(value);
  }
  // Built by concatenation, without intermediate entry arrays: this runs for every audit event and
  // every redemption request, on the hot paths.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // Array.prototype.sort's default order compares UTF-16 code units, as RFC 8785 asks.
    const keys = Object.keys(object).sort();
    let out = '{';
    for (const key of keys) {
      const v = object[key];
      if (v === undefined) continue;
      out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(v);
    }
    return out + '}';
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}
