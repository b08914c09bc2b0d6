import { formatEuros, formatRate, roundHalfUp, toSafeNumber } from './money';
import type { InvoiceLine, InvoiceTotals, VatBreakdown, VatCategory } from './types';

/** Exemption text for the vouchers' face value (EN 16931 BT-120, required by BR-O-10). */
export const OUTSIDE_SCOPE_REASON = 'Hors champ de la TVA — bons à usages multiples (art. 256 ter du CGI)';
/** The matching VATEX code (BT-121): "not subject to VAT". */
export const OUTSIDE_SCOPE_REASON_CODE = 'VATEX-EU-O';

const BP_PER_UNIT = 10_000n;

function assertInteger(value: number, what: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${value}`);
}

/**
 * The lines of a purchase order's invoice: the vouchers at face value, outside the scope of VAT,
 * then the operator's fee (contract rate on the face-value total, rounded half up to the cent) at
 * the standard VAT rate. No fee line when the fee rounds to 0.
 *
 * A credit note for unused vouchers at expiry takes the same call with the unused count and
 * `feeRateBp: 0` (the fee was earned on the whole order).
 */
export function orderInvoiceLines(input: {
  voucherCount: number;
  faceValueCents: number;
  feeRateBp: number;
  vatRateBp: number;
}): InvoiceLine[] {
  const { voucherCount, faceValueCents, feeRateBp, vatRateBp } = input;
  assertInteger(voucherCount, 'voucherCount', 1);
  assertInteger(faceValueCents, 'faceValueCents', 1);
  assertInteger(feeRateBp, 'feeRateBp', 0);
  assertInteger(vatRateBp, 'vatRateBp', 0);

  const faceTotal = BigInt(voucherCount) * BigInt(faceValueCents);
  const faceTotalCents = toSafeNumber(faceTotal, 'face-value total');
  const lines: InvoiceLine[] = [
    {
      id: '1',
      description: `Bons à usages multiples, valeur faciale unitaire ${formatEuros(faceValueCents)}`,
      quantity: voucherCount,
      unitPriceCents: faceValueCents,
      netCents: faceTotalCents,
      vatCategory: 'O',
      vatRateBp: 0,
    },
  ];
  const feeCents = roundHalfUp(faceTotal * BigInt(feeRateBp), BP_PER_UNIT);
  if (feeCents > 0) {
    lines.push({
      id: '2',
      description: `Frais de gestion de l'opérateur : ${formatRate(feeRateBp)} de la valeur faciale (${formatEuros(faceTotalCents)})`,
      quantity: 1,
      unitPriceCents: feeCents,
      netCents: feeCents,
      vatCategory: 'S',
      vatRateBp,
    });
  }
  return lines;
}

/** Throws on a line the renderers could not express exactly (EN 16931 needs net = quantity × price). */
export function assertValidLine(line: InvoiceLine): void {
  if (!line.id.trim()) throw new RangeError('an invoice line needs an id');
  assertInteger(line.quantity, `line ${line.id} quantity`, 1);
  assertInteger(line.unitPriceCents, `line ${line.id} unitPriceCents`, 0);
  assertInteger(line.netCents, `line ${line.id} netCents`, 0);
  assertInteger(line.vatRateBp, `line ${line.id} vatRateBp`, 0);
  if (BigInt(line.quantity) * BigInt(line.unitPriceCents) !== BigInt(line.netCents)) {
    throw new RangeError(`line ${line.id}: netCents ${line.netCents} ≠ ${line.quantity} × ${line.unitPriceCents}`);
  }
  const category: VatCategory = line.vatCategory;
  switch (category) {
    case 'O':
      if (line.vatRateBp !== 0) throw new RangeError(`line ${line.id}: a line outside the scope of VAT has no VAT rate`);
      break;
    case 'S':
      break;
    default:
      throw new RangeError(`line ${line.id}: unknown VAT category ${String(category)}`);
  }
}

/**
 * Totals the EN 16931 way: lines are summed per (VAT category, rate) group and each group's VAT is
 * computed once on its taxable sum, rounded half up — never per line, so a group's VAT is exactly
 * what a validator recomputes from the breakdown. Groups keep the order in which lines bring them.
 */
export function computeInvoiceTotals(lines: InvoiceLine[]): InvoiceTotals {
  if (lines.length === 0) throw new RangeError('an invoice needs at least one line');
  const ids = new Set<string>();
  const groups = new Map<string, { category: VatCategory; rateBp: number; taxable: bigint }>();
  let lineTotal = 0n;
  for (const line of lines) {
    assertValidLine(line);
    if (ids.has(line.id)) throw new RangeError(`duplicate line id ${line.id}`);
    ids.add(line.id);
    lineTotal += BigInt(line.netCents);
    const key = `${line.vatCategory}:${line.vatRateBp}`;
    const group = groups.get(key) ?? { category: line.vatCategory, rateBp: line.vatRateBp, taxable: 0n };
    group.taxable += BigInt(line.netCents);
    groups.set(key, group);
  }

  let vatTotal = 0n;
  const vatBreakdown: VatBreakdown[] = [...groups.values()].map(({ category, rateBp, taxable }) => {
    const vatCents = category === 'O' ? 0 : roundHalfUp(taxable * BigInt(rateBp), BP_PER_UNIT);
    vatTotal += BigInt(vatCents);
    return {
      category,
      rateBp,
      taxableCents: toSafeNumber(taxable, 'taxable amount'),
      vatCents,
      exemptionReason: category === 'O' ? OUTSIDE_SCOPE_REASON : null,
    };
  });

  const lineTotalCents = toSafeNumber(lineTotal, 'line total');
  const taxInclusiveCents = toSafeNumber(lineTotal + vatTotal, 'total with VAT');
  return {
    lineTotalCents,
    taxExclusiveCents: lineTotalCents,
    vatCents: toSafeNumber(vatTotal, 'VAT total'),
    taxInclusiveCents,
    payableCents: taxInclusiveCents,
    vatBreakdown,
  };
}
