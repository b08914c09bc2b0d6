import { csvField } from '@sillage/common';
import { formatAmount } from './money-format';
import { normalisePayoutBatch } from './payout-batch';
import type { PayoutBatchFile } from './types';

export const PAYOUT_CSV_HEADER = ['end_to_end_id', 'creditor_name', 'iban', 'bic', 'amount_eur', 'remittance'] as const;

const CRLF = '\r\n';
/**
 * The payout batch as a `;`-separated CSV for people (accounting, the sites): header first, one line
 * per payment in the batch order, CRLF line ends (the last line too), to be written as UTF-8. The
 * batch is checked exactly as for the pain.001 file (same `SepaFileError`s); IBANs are written in
 * electronic form and BICs upper case, as in the bank file, while names and remittance texts keep
 * their original spelling (accents included) — the bank file carries their SEPA transliteration.
 */
export function buildPayoutCsv(batch: PayoutBatchFile): string {
  const b = normalisePayoutBatch(batch);
  const lines = [PAYOUT_CSV_HEADER.join(';')];
  for (const p of b.payments) {
    const cells = [
      p.endToEndId,
      p.source.creditor.name,
      p.creditor.iban,
      p.creditor.bic ?? '',
      formatAmount(p.amountCents),
      p.source.remittance ?? '',
    ];
    lines.push(cells.map(csvField).join(';'));
  }
  return lines.join(CRLF) + CRLF;
}
