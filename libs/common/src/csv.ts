/**
 * Semicolon-separated CSV for people (spreadsheets set to French locale): one cell, RFC 4180 quoted
 * when it holds a separator, a quote or a line break; a text a spreadsheet would run as a formula
 * (leading = + - @, tab or carriage return) gets a leading quote mark. Numbers are written as they are.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Integer cents → `1234,50` (comma decimals, no thousands separator, no currency sign: a spreadsheet reads it as a number). */
export function csvEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}
