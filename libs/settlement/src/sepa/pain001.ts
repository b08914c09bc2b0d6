import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { formatAmount } from './money-format';
import { normalisePayoutBatch, type NormalisedParty, type NormalisedPayment } from './payout-batch';
import type { PayoutBatchFile } from './types';

export { SepaFileError, type SepaFileErrorCode } from './sepa-file.errors';
export type { Party, PayoutBatchFile, PayoutInstruction, PostalAddress } from './types';

export const PAIN_001_001_09_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** `DbtrAgt` is mandatory; without the operator's BIC the EPC guidelines ask for this placeholder. */
const NOT_PROVIDED = 'NOTPROVIDED';

/** Where the serialised transactions go in the serialised document (texts can hold no `<`, so no clash). */
const TRANSACTIONS_MARKER = 'sillage:CdtTrfTxInf';
/** `CdtTrfTxInf` depth under `Document` (CstmrCdtTrfInitn, PmtInf, CdtTrfTxInf), for the indentation. */
const TRANSACTION_DEPTH = 3;

// Texts are already reduced to the SEPA set and identifiers checked, so no control character can
// reach the file; xmlbuilder2 escapes the rest.
function el(parent: XMLBuilder, name: string, text?: string): XMLBuilder {
  const child = parent.ele(name);
  if (text !== undefined) child.txt(text);
  return child;
}

/** `Dbtr`, with a structured address only (no `AdrLine`: banks refuse unstructured ones from November 2026). */
function debtor(parent: XMLBuilder, p: NormalisedParty): void {
  const node = el(parent, 'Dbtr');
  el(node, 'Nm', p.name);
  const address = el(node, 'PstlAdr');
  if (p.address.streetName !== undefined) el(address, 'StrtNm', p.address.streetName);
  if (p.address.buildingNumber !== undefined) el(address, 'BldgNb', p.address.buildingNumber);
  el(address, 'PstCd', p.address.postCode);
  el(address, 'TwnNm', p.address.townName);
  el(address, 'Ctry', p.address.country);
}

/** The texts of one `CdtTrfTxInf`; `undefined` for an element left out. */
interface TransactionTexts {
  endToEndId: string;
  amount: string;
  bic: string | undefined;
  name: string;
  street: string | undefined;
  building: string | undefined;
  postCode: string;
  town: string;
  country: string;
  iban: string;
  remittance: string | undefined;
}

function transactionTexts(p: NormalisedPayment): TransactionTexts {
  const { creditor } = p;
  return {
    endToEndId: p.endToEndId,
    amount: formatAmount(p.amountCents),
    bic: creditor.bic,
    name: creditor.name,
    street: creditor.address.streetName,
    building: creditor.address.buildingNumber,
    postCode: creditor.address.postCode,
    town: creditor.address.townName,
    country: creditor.address.country,
    iban: creditor.iban,
    remittance: p.remittance,
  };
}

interface TransactionTemplate {
  element: XMLBuilder;
  /** The text node of each element written, by field. */
  texts: [keyof TransactionTexts, XMLBuilder['node']][];
}

/**
 * Writes each `CdtTrfTxInf` with xmlbuilder2 (its elements, its escaping, its serialiser), without
 * building one DOM node per value: xmlbuilder2's nodes are heavy, and a tree of 2,000 transactions
 * (~60,000 nodes) took over a second to build. The elements of a transaction are built once per
 * shape (which optional elements it has, at most 16 shapes), then each payment sets every text of
 * its shape and serialises the element. Texts are already reduced to the SEPA set or checked
 * (identifiers, IBAN, BIC, amounts), so no control character can reach the file; the serialiser
 * escapes the rest. Built without a namespace, the transactions inherit the document's default one
 * once in place (no repeated `xmlns`).
 */
class TransactionWriter {
  private readonly scratch = create().ele('scratch');
  private readonly templates = new Map<string, TransactionTemplate>();

  write(payment: NormalisedPayment): string {
    const texts = transactionTexts(payment);
    const shape = [texts.bic, texts.street, texts.building, texts.remittance].map((t) => (t === undefined ? '0' : '1')).join('');
    let template = this.templates.get(shape);
    if (!template) {
      template = this.build(texts);
      this.templates.set(shape, template);
    }
    for (const [field, node] of template.texts) node.textContent = texts[field] as string;
    return template.element.toString({ prettyPrint: true, offset: TRANSACTION_DEPTH });
  }

  private build(texts: TransactionTexts): TransactionTemplate {
    const written: TransactionTemplate['texts'] = [];
    const leaf = (parent: XMLBuilder, name: string, field: keyof TransactionTexts): XMLBuilder => {
      const child = el(parent, name, texts[field]);
      const text = child.node.firstChild;
      if (!text) throw new Error(`pain.001 writer: no text written for ${field}`);
      written.push([field, text]);
      return child;
    };
    const tx = el(this.scratch, 'CdtTrfTxInf');
    leaf(el(tx, 'PmtId'), 'EndToEndId', 'endToEndId');
    leaf(el(tx, 'Amt'), 'InstdAmt', 'amount').att('Ccy', 'EUR');
    if (texts.bic !== undefined) leaf(el(el(tx, 'CdtrAgt'), 'FinInstnId'), 'BICFI', 'bic');
    const creditor = el(tx, 'Cdtr');
    leaf(creditor, 'Nm', 'name');
    // structured address only (no AdrLine), as for the debtor
    const address = el(creditor, 'PstlAdr');
    if (texts.street !== undefined) leaf(address, 'StrtNm', 'street');
    if (texts.building !== undefined) leaf(address, 'BldgNb', 'building');
    leaf(address, 'PstCd', 'postCode');
    leaf(address, 'TwnNm', 'town');
    leaf(address, 'Ctry', 'country');
    leaf(el(el(tx, 'CdtrAcct'), 'Id'), 'IBAN', 'iban');
    if (texts.remittance !== undefined) leaf(el(tx, 'RmtInf'), 'Ustrd', 'remittance');
    return { element: tx, texts: written };
  }
}

/**
 * The payout batch as an ISO 20022 pain.001.001.09 CustomerCreditTransferInitiation (EPC SCT
 * customer-to-PSP guidelines 2023), UTF-8: one `PmtInf`, `BtchBookg` false so each payout is its
 * own entry on the bank statement, exact `NbOfTxs` and `CtrlSum`. Throws a `SepaFileError` for a
 * batch the bank would refuse (see `normalisePayoutBatch`).
 */
export function buildPain001(batch: PayoutBatchFile): string {
  const b = normalisePayoutBatch(batch);
  const nbOfTxs = String(b.payments.length);
  const ctrlSum = formatAmount(b.totalCents);

  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(PAIN_001_001_09_NAMESPACE, 'Document').ele('CstmrCdtTrfInitn');

  const header = el(root, 'GrpHdr');
  el(header, 'MsgId', b.messageId);
  el(header, 'CreDtTm', b.createdAt);
  el(header, 'NbOfTxs', nbOfTxs);
  el(header, 'CtrlSum', ctrlSum);
  el(el(header, 'InitgPty'), 'Nm', b.debtor.name);

  const info = el(root, 'PmtInf');
  el(info, 'PmtInfId', b.paymentInformationId);
  el(info, 'PmtMtd', 'TRF');
  el(info, 'BtchBookg', 'false');
  el(info, 'NbOfTxs', nbOfTxs);
  el(info, 'CtrlSum', ctrlSum);
  el(el(el(info, 'PmtTpInf'), 'SvcLvl'), 'Cd', 'SEPA');
  el(el(info, 'ReqdExctnDt'), 'Dt', b.requestedExecutionDate);
  debtor(info, b.debtor);
  el(el(el(info, 'DbtrAcct'), 'Id'), 'IBAN', b.debtor.iban);
  const debtorAgent = el(el(info, 'DbtrAgt'), 'FinInstnId');
  if (b.debtor.bic !== undefined) el(debtorAgent, 'BICFI', b.debtor.bic);
  else el(el(debtorAgent, 'Othr'), 'Id', NOT_PROVIDED);
  el(info, 'ChrgBr', 'SLEV');
  info.com(TRANSACTIONS_MARKER);

  const writer = new TransactionWriter();
  const transactions = b.payments.map((payment) => writer.write(payment)).join('\n');
  const skeleton = doc.end({ prettyPrint: true });
  const marker = new RegExp(`^ *<!--${TRANSACTIONS_MARKER}-->$`, 'm');
  if (!marker.test(skeleton)) throw new Error('pain.001 writer: transaction marker not found in the serialised document');
  return skeleton.replace(marker, () => transactions);
}
