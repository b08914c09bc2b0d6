import { formatEuros, formatFrenchDate } from './print-format';
import { PrintOrderHeader } from './print-types';

/** What every page of one print file repeats, formatted once per file rather than once per cheque. */
export interface PrintContext {
  header: PrintOrderHeader;
  faceValue: string;
  validity: string;
}

export function printContext(header: PrintOrderHeader): PrintContext {
  return {
    header,
    faceValue: formatEuros(header.faceValueCents),
    validity: `Valable jusqu'au ${formatFrenchDate(header.validUntil)}`,
  };
}
