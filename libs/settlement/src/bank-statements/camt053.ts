import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { byteLength, decimalToCents, MAX_STATEMENT_BYTES } from './amount';
import { BankStatementError, BankStatementErrorCode } from './errors';
import type { BankEntry, BankTransaction, EntryDirection, ParsedBankStatement } from './types';

/** The only statement version read: ISO 20022 BankToCustomerStatementV08. */
export const CAMT053_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08';

const CURRENCY = 'EUR';

/**
 * Safe settings: no entity of any kind is expanded (DOCTYPEs are refused before parsing anyway),
 * every value stays a string (an amount or an id never goes through a number), attributes are read
 * (`Ccy`), namespace prefixes are dropped (`ns2:Ntry` → `Ntry`), and the repeatable elements are
 * always arrays.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 100, // a camt.053 is about 15 deep; deeper nesting is refused
  isArray: (name) => REPEATED.has(name),
});
const REPEATED = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML has no static shape
type XmlNode = Record<string, any>;

function refuse(code: BankStatementErrorCode, message: string): never {
  throw new BankStatementError(code, message);
}

/**
 * Reads a camt.053.001.08 bank-to-customer statement holding one `Stmt`. Refuses (with a
 * `BankStatementError`) the whole file on the first problem: over 20 MB, not UTF-8, a DOCTYPE or
 * entity declaration, not well-formed XML, not a camt.053.001.08 `Document/BkToCstmrStmt`, no or
 * several `Stmt`, an amount that is not a non-negative decimal with at most two fraction digits, a
 * currency other than EUR, a missing or unknown mandatory value.
 */
export function parseCamt053(xml: string | Buffer): ParsedBankStatement {
  const size = byteLength(xml);
  if (size > MAX_STATEMENT_BYTES) {
    refuse('TOO_LARGE', `the statement file is ${size} bytes; at most ${MAX_STATEMENT_BYTES} bytes (20 MB) are accepted`);
  }
  const text = decode(xml);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    refuse(
      'DOCTYPE_FORBIDDEN',
      'the statement file contains a DOCTYPE or ENTITY declaration, which is refused (XML external entities, entity expansion)',
    );
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    refuse('NOT_XML', `the statement file is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  checkRootElement(text);

  let parsed: XmlNode;
  try {
    parsed = parser.parse(text) as XmlNode;
  } catch (error) {
    refuse('NOT_XML', `the statement file could not be read as XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || keys[0] !== 'Document' || Array.isArray(parsed.Document)) {
    refuse('NOT_CAMT053', 'the statement file must hold exactly one Document element');
  }
  const document: unknown = parsed.Document;
  const statementSet = single(document, 'BkToCstmrStmt', 'Document', 'NOT_CAMT053');
  if (!isNode(statementSet)) refuse('NOT_CAMT053', 'not a camt.053 statement: Document/BkToCstmrStmt is missing');
  const statements = repeated(statementSet, 'Stmt');
  if (statements.length === 0) refuse('NO_STATEMENT', 'the camt.053 file holds no statement (BkToCstmrStmt/Stmt is missing)');
  if (statements.length > 1) {
    refuse('MULTIPLE_STATEMENTS', `the camt.053 file holds ${statements.length} statements (Stmt); one statement per file is accepted`);
  }
  const groupHeader = single(statementSet, 'GrpHdr', 'BkToCstmrStmt', 'INVALID_STATEMENT');
  return readStatement(statements[0], groupHeader);
}

/** Bytes → text: UTF-8 only (ISO 20022 messages are UTF-8), a leading BOM dropped. */
function decode(xml: string | Buffer): string {
  if (typeof xml === 'string') return xml.replace(/^\uFEFF/, '');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(xml); // drops a leading BOM
  } catch {
    refuse('INVALID_ENCODING', 'the statement file is not valid UTF-8');
  }
  const declared = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
  if (declared !== undefined && !/^utf-?8$/i.test(declared)) {
    refuse('INVALID_ENCODING', `the statement file declares encoding ${declared}; camt.053 files must be UTF-8`);
  }
  return text;
}

/**
 * The root element must be `Document` in the camt.053.001.08 namespace (checked on the raw start
 * tag, since the parser drops namespace declarations). Runs on well-formed XML only.
 */
function checkRootElement(text: string): void {
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('<?')) rest = rest.slice(rest.indexOf('?>') + 2);
    else if (rest.startsWith('<!--')) rest = rest.slice(rest.indexOf('-->') + 3);
    else break;
  }
  const tag = /^<([^\s/>]+)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(rest);
  if (!tag) refuse('NOT_XML', 'the statement file has no root element');
  const [, name, attributes] = tag;
  const colon = name.indexOf(':');
  const prefix = colon >= 0 ? name.slice(0, colon) : '';
  const localName = name.slice(colon + 1);
  if (localName !== 'Document') refuse('NOT_CAMT053', `not a camt.053 statement: the root element is ${name}, not Document`);
  const declaration = prefix ? `xmlns:${prefix}` : 'xmlns';
  let namespace: string | null = null;
  for (const [, attribute, quoted] of attributes.matchAll(/\s+([^\s=]+)\s*=\s*("[^"]*"|'[^']*')/g)) {
    if (attribute === declaration) namespace = quoted.slice(1, -1).trim();
  }
  if (namespace === CAMT053_NAMESPACE) return;
  const version = /^urn:iso:std:iso:20022:tech:xsd:(camt\.053\.\d{3}\.\d{2})$/.exec(namespace ?? '')?.[1];
  if (version) refuse('UNSUPPORTED_VERSION', `the statement is ${version}; only camt.053.001.08 (namespace ${CAMT053_NAMESPACE}) is read`);
  refuse(
    'NOT_CAMT053',
    `not a camt.053.001.08 statement: the Document namespace is ${namespace ?? 'missing'}, expected ${CAMT053_NAMESPACE}`,
  );
}

function readStatement(stmt: unknown, groupHeader: unknown): ParsedBankStatement {
  const where = 'statement';
  const fail: (message: string) => never = (message) => refuse('INVALID_STATEMENT', `${where}: ${message}`);
  if (!isNode(stmt)) fail('Stmt has no content');
  const statementId = leafText(single(stmt, 'Id', where, 'INVALID_STATEMENT'), 'Stmt/Id', where, 'INVALID_STATEMENT');
  if (statementId === null) fail('Stmt/Id is missing');

  const account = single(stmt, 'Acct', where, 'INVALID_STATEMENT');
  if (!isNode(account)) fail('Stmt/Acct is missing');
  const accountId = single(account, 'Id', where, 'INVALID_STATEMENT');
  const accountIban = leafText(single(accountId, 'IBAN', where, 'INVALID_STATEMENT'), 'Acct/Id/IBAN', where, 'INVALID_STATEMENT');
  const currency = leafText(single(account, 'Ccy', where, 'INVALID_STATEMENT'), 'Acct/Ccy', where, 'INVALID_STATEMENT');
  if (currency !== null && currency !== CURRENCY) {
    refuse('WRONG_CURRENCY', `statement ${statementId}: the account currency is ${currency}; only ${CURRENCY} accounts are read`);
  }
  const createdAt =
    leafText(single(stmt, 'CreDtTm', where, 'INVALID_STATEMENT'), 'Stmt/CreDtTm', where, 'INVALID_STATEMENT') ??
    leafText(single(groupHeader, 'CreDtTm', where, 'INVALID_STATEMENT'), 'GrpHdr/CreDtTm', where, 'INVALID_STATEMENT');

  const entries = repeated(stmt, 'Ntry').map((ntry, index) => readEntry(ntry, index));
  return { statementId, accountIban, currency, createdAt, entries };
}

function readEntry(ntry: unknown, index: number): BankEntry {
  const code = 'INVALID_ENTRY';
  if (!isNode(ntry)) refuse(code, `entry ${index + 1}: Ntry has no content`);
  const entryRef = leafText(single(ntry, 'NtryRef', `entry ${index + 1}`, code), 'NtryRef', `entry ${index + 1}`, code);
  const where = entryRef === null ? `entry ${index + 1}` : `entry ${index + 1} (NtryRef ${entryRef})`;
  const get = (node: unknown, name: string): unknown => single(node, name, where, code);
  const text = (node: unknown, path: string): string | null => leafText(node, path, where, code);

  const amt = get(ntry, 'Amt');
  if (amt === undefined) refuse(code, `${where}: Amt is missing`);
  const { cents: amountCents, currency } = readAmount(amt, where);

  const indicator = text(get(ntry, 'CdtDbtInd'), 'CdtDbtInd');
  const direction: EntryDirection | null = indicator === 'DBIT' ? 'debit' : indicator === 'CRDT' ? 'credit' : null;
  if (direction === null)
    refuse(code, `${where}: CdtDbtInd is ${indicator === null ? 'missing' : `"${indicator}"`}, expected DBIT or CRDT`);

  const reversalText = text(get(ntry, 'RvslInd'), 'RvslInd');
  if (reversalText !== null && !['true', 'false', '1', '0'].includes(reversalText)) {
    refuse(code, `${where}: RvslInd is "${reversalText}", expected true or false`);
  }
  const reversal = reversalText === 'true' || reversalText === '1';

  const sts = get(ntry, 'Sts');
  const status = text(get(sts, 'Cd'), 'Sts/Cd') ?? text(get(sts, 'Prtry'), 'Sts/Prtry');
  if (status === null) refuse(code, `${where}: Sts/Cd is missing`);

  const bookingDate = readDate(get(ntry, 'BookgDt'), where);

  const transactions = repeated(ntry, 'NtryDtls').flatMap((details) => repeated(details, 'TxDtls'));
  return {
    entryRef,
    bookingDate,
    amountCents,
    currency,
    direction,
    reversal,
    status,
    transactions: transactions.map((tx, i) => readTransaction(tx, `${where}, transaction ${i + 1}`)),
  };
}

function readTransaction(tx: unknown, where: string): BankTransaction {
  const code = 'INVALID_ENTRY';
  const get = (node: unknown, name: string): unknown => single(node, name, where, code);
  const text = (node: unknown, path: string): string | null => leafText(node, path, where, code);

  const refs = get(tx, 'Refs');
  const endToEndId = text(get(refs, 'EndToEndId'), 'Refs/EndToEndId');
  const amt = get(tx, 'Amt');
  const returnInfo = get(tx, 'RtrInf');
  const reason = get(returnInfo, 'Rsn');
  return {
    endToEndId: endToEndId === 'NOTPROVIDED' ? null : endToEndId,
    amountCents: amt === undefined ? null : readAmount(amt, where).cents,
    returnReason: text(get(reason, 'Cd'), 'RtrInf/Rsn/Cd') ?? text(get(reason, 'Prtry'), 'RtrInf/Rsn/Prtry'),
    instructionId: text(get(refs, 'InstrId'), 'Refs/InstrId'),
    returned: returnInfo !== undefined,
  };
}

/** An `Amt` element: EUR only, a non-negative decimal with at most two fraction digits. */
function readAmount(amt: unknown, where: string): { cents: number; currency: string } {
  const currencyAttribute: unknown = isNode(amt) ? amt['@_Ccy'] : undefined;
  const currency = typeof currencyAttribute === 'string' ? decodeEntities(currencyAttribute, where).trim() : null;
  if (!currency) refuse('INVALID_ENTRY', `${where}: Amt has no Ccy attribute`);
  if (currency !== CURRENCY) refuse('WRONG_CURRENCY', `${where}: the amount is in ${currency}; only ${CURRENCY} is accepted`);
  const value = leafText(amt, 'Amt', where, 'INVALID_AMOUNT') ?? '';
  const cents = decimalToCents(value);
  if (cents === null) {
    refuse('INVALID_AMOUNT', `${where}: amount "${value}" is not a non-negative decimal with at most 2 fraction digits`);
  }
  return { cents, currency };
}

/** `BookgDt/Dt`, or the date part of `BookgDt/DtTm`. */
function readDate(node: unknown, where: string): string | null {
  if (node === undefined) return null;
  const get = (name: string): unknown => single(node, name, where, 'INVALID_ENTRY');
  const value = leafText(get('Dt'), 'BookgDt/Dt', where, 'INVALID_ENTRY') ?? leafText(get('DtTm'), 'BookgDt/DtTm', where, 'INVALID_ENTRY');
  if (value === null) return null;
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:$|[TZ+-])/.exec(value);
  if (!date || !isCalendarDate(+date[1], +date[2], +date[3]))
    refuse('INVALID_ENTRY', `${where}: booking date "${value}" is not an ISO date`);
  return value.slice(0, 10);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A child that occurs at most once (undefined when absent, or when `node` is not an element with children). */
function single(node: unknown, name: string, where: string, code: BankStatementErrorCode): unknown {
  if (!isNode(node) || !Object.hasOwn(node, name)) return undefined;
  const value: unknown = node[name];
  if (Array.isArray(value)) refuse(code, `${where}: ${name} occurs ${value.length} times, at most once is allowed`);
  return value;
}

/** A repeatable child (always an array by the parser settings). */
function repeated(node: unknown, name: string): unknown[] {
  if (!isNode(node) || !Object.hasOwn(node, name)) return [];
  const value: unknown = node[name];
  return Array.isArray(value) ? value : [value];
}

/** The text of a leaf element (with or without attributes); null when absent or empty. */
function leafText(node: unknown, path: string, where: string, code: BankStatementErrorCode): string | null {
  if (node === undefined) return null;
  let raw: unknown = node;
  if (isNode(node)) {
    if (Object.keys(node).some((k) => k !== '#text' && !k.startsWith('@_'))) refuse(code, `${where}: ${path} must hold text, not elements`);
    raw = node['#text'] ?? '';
  }
  if (typeof raw !== 'string') refuse(code, `${where}: ${path} must hold text`);
  const value = decodeEntities(raw, where).trim();
  return value === '' ? null : value;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The parser expands no entity at all; the five predefined ones and character references are
 * decoded here (they cannot grow a document). Any other reference is not well-formed XML without a
 * DTD, and DTDs are refused.
 */
function decodeEntities(value: string, where: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    const fail: () => never = () => refuse('NOT_XML', `${where}: "${whole}" is not a predefined XML entity or character reference`);
    if (!whole.endsWith(';')) fail();
    if (Object.hasOwn(PREDEFINED, name)) return PREDEFINED[name];
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (!numeric) fail();
    const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2], 10);
    const allowed =
      codePoint === 0x9 ||
      codePoint === 0xa ||
      codePoint === 0xd ||
      (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
      (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
      (codePoint >= 0x10000 && codePoint <= 0x10ffff);
    if (!allowed) fail();
    return String.fromCodePoint(codePoint);
  });
}
