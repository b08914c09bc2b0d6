import { Injectable } from '@nestjs/common';
import { CommonError, decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, Page, PageQueryDto, toPage } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { cursorKeySql, decodeTimeCursor, isUuid } from '@sillage/identity';
import { SettlementError } from '../settlement.errors';
import { ENTRY_OUTCOMES, EntryOutcome, REVIEW_OUTCOMES } from './bank-statement-import.entity';
import {
  BankStatementEntryDto,
  BankStatementImportDetailDto,
  BankStatementImportDto,
  ListBankStatementEntriesQueryDto,
} from './dto/bank-statement.dto';

interface ImportRow {
  id: string;
  fingerprint: string;
  format: string;
  bankStatementId: string;
  accountIban: string | null;
  importedBy: string;
  importedAt: Date;
  cursorKey: string;
  entryCount: number;
  transactionCount: number;
  outcomeCounts: Record<EntryOutcome, number>;
}

interface EntryRow extends Omit<BankStatementEntryDto, 'amountCents' | 'entryAmountCents'> {
  amountCents: string | null;
  entryAmountCents: string;
  cursorKey: string;
}

const IMPORT_COLUMNS = `i.id, i.fingerprint, i.format, i.bank_statement_id AS "bankStatementId", i.account_iban AS "accountIban",
  i.imported_by AS "importedBy", i.imported_at AS "importedAt", ${cursorKeySql('i.imported_at')} AS "cursorKey",
  i.entry_count AS "entryCount", i.transaction_count AS "transactionCount", i.outcome_counts AS "outcomeCounts"`;

const ENTRY_COLUMNS = `e.import_id AS "importId", e.position, e.entry_index AS "entryIndex", e.entry_ref AS "entryRef",
  e.booking_date::text AS "bookingDate", e.amount_cents::text AS "amountCents", e.entry_amount_cents::text AS "entryAmountCents",
  e.direction, e.status, e.reversal, e.end_to_end_id AS "endToEndId", e.returned, e.return_reason AS "returnReason", e.outcome,
  e.payout_id AS "payoutId", p.reference AS "payoutReference", p.status AS "payoutStatus", e.note`;

const toImportDto = (r: ImportRow): BankStatementImportDto => ({
  id: r.id,
  fingerprint: r.fingerprint,
  format: r.format,
  bankStatementId: r.bankStatementId,
  accountIban: r.accountIban,
  importedBy: r.importedBy,
  importedAt: r.importedAt.toISOString(),
  entryCount: r.entryCount,
  transactionCount: r.transactionCount,
  outcomes: Object.fromEntries(ENTRY_OUTCOMES.map((o) => [o, r.outcomeCounts[o] ?? 0])) as Record<EntryOutcome, number>,
});

const toEntryDto = ({ cursorKey: _key, ...r }: EntryRow): BankStatementEntryDto => ({
  ...r,
  amountCents: r.amountCents === null ? null : Number(r.amountCents),
  entryAmountCents: Number(r.entryAmountCents),
});

const MICROS_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ENTRY_CURSOR_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,9})$/;

/** The review list's cursor: the import's time, then `<import id>.<position>`; anything else is refused before SQL. */
function decodeEntryCursor(raw: string | undefined): { k: string; importId: string; position: number } | undefined {
  const c = decodeCursor(raw);
  if (!c) return undefined;
  const id = ENTRY_CURSOR_ID.exec(c.id);
  // The time part goes through the same check as every other list's cursor (a real date, year ≥ 1).
  if (!MICROS_ISO.test(c.k) || !id || !isUuid(id[1])) {
    throw new CommonError('INVALID_CURSOR', 'cursor is not a cursor returned by this API', { field: 'cursor' });
  }
  decodeTimeCursor(encodeCursor({ k: c.k, id: id[1] }));
  return { k: c.k, importId: id[1], position: Number(id[2]) };
}

/** Bank statement imports as operator finance reads them: the imports, one with its entries, and the entries left for review. */
@Injectable()
export class BankStatementsService {
  constructor(private readonly tx: TransactionRunner) {}

  async list(q: PageQueryDto): Promise<Page<BankStatementImportDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeTimeCursor(q.cursor);
    const rows = await this.tx.manager.query<ImportRow[]>(
      `SELECT ${IMPORT_COLUMNS} FROM bank_statement_import i
        WHERE ($1::timestamptz IS NULL OR (i.imported_at, i.id) < ($1::timestamptz, $2::uuid))
        ORDER BY i.imported_at DESC, i.id DESC LIMIT $3`,
      [after?.k ?? null, after?.id ?? null, limit + 1],
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toImportDto), nextCursor: page.nextCursor };
  }

  /** One import with every transaction it held, in file order, and the payout each names. */
  async get(id: string, m: Pick<Tx, 'query'> = this.tx.manager): Promise<BankStatementImportDetailDto> {
    const [row] = await m.query<ImportRow[]>(`SELECT ${IMPORT_COLUMNS} FROM bank_statement_import i WHERE i.id = $1`, [id]);
    if (!row) throw new SettlementError('NOT_FOUND', 'bank statement import not found');
    const entries = await m.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS}, '' AS "cursorKey" FROM bank_statement_entry e LEFT JOIN payout p ON p.id = e.payout_id
        WHERE e.import_id = $1 ORDER BY e.position`,
      [id],
    );
    return { ...toImportDto(row), entries: entries.map(toEntryDto) };
  }

  /** Entries across imports, newest import first: by default those left for review (unmatched, amount mismatch, conflict). */
  async entries(q: ListBankStatementEntriesQueryDto): Promise<Page<BankStatementEntryDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeEntryCursor(q.cursor);
    const outcomes = q.outcome ? [q.outcome] : [...REVIEW_OUTCOMES];
    const rows = await this.tx.manager.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS}, ${cursorKeySql('i.imported_at')} AS "cursorKey"
         FROM bank_statement_entry e JOIN bank_statement_import i ON i.id = e.import_id LEFT JOIN payout p ON p.id = e.payout_id
        WHERE e.outcome = ANY($1::text[]) AND ($2::uuid IS NULL OR e.import_id = $2::uuid)
          AND ($3::timestamptz IS NULL OR (i.imported_at, e.import_id) < ($3::timestamptz, $4::uuid)
               OR ((i.imported_at, e.import_id) = ($3::timestamptz, $4::uuid) AND e.position > $5))
        ORDER BY i.imported_at DESC, e.import_id DESC, e.position LIMIT $6`,
      [outcomes, q.importId ?? null, after?.k ?? null, after?.importId ?? null, after?.position ?? null, limit + 1],
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: `${r.importId}.${r.position}` }));
    return { items: page.items.map(toEntryDto), nextCursor: page.nextCursor };
  }
}
