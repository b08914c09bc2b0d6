/** U+00A0: French typography separates thousands and the euro sign with a no-break space (also in WinAnsi PDF fonts). */
export const NBSP = '\u00a0';

/** Integer cents → French amount, e.g. `10,00 €`, `1 234,50 €`, `-0,05 €` (no-break spaces), without floats. */
export function formatEuros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError('an amount is a safe integer number of cents');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const rest = String(abs % 100).padStart(2, '0');
  return `${sign}${euros},${rest}${NBSP}€`;
}
