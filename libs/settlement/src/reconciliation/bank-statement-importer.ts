import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { uuidFromName } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, Principal } from '@sillage/identity';
import { Ledger } from '@sillage/ledger';
import { parseBankCsv } from '../bank-statements/bank-csv';
import { parseCamt053 } from '../bank-statements/camt053';
import { BankStatementError, BankStatementErrorCode } from '../bank-statements/errors';
import { statementFingerprint } from '../bank-statements/fingerprint';
import type { ParsedBankStatement } from '../bank-statements/types';
import { SITE_LOCK_CLASS } from '../runs/site-lock';
import { SettlementError } from '../settlement.errors';
import { BankStatementFormat, ENTRY_OUTCOMES, EntryOutcome } from './bank-statement-import.entity';
import { BankStatementImportDetailDto } from './dto/bank-statement.dto';
import { BankStatementsService } from './bank-statements.service';
import { decide, PayoutState, transactionAmount } from './reconciliation-rules';

/** Advisory-lock class of an import, per fingerprint: two uploads of the same file at once apply it once. */
export const IMPORT_LOCK_CLASS = 1_397_050_003;

/** Parser refusals of a file that cannot be read at all (400); the others are readable but refused (422). */
const UNREADABLE: readonly BankStatementErrorCode[] = ['TOO_LARGE', 'INVALID_ENCODING', 'DOCTYPE_FORBIDDEN', 'NOT_XML', 'INVALID_CSV'];

interface EntryRecord {
  position: number;
  entry_index: number;
  entry_ref: string | null;
  booking_date: string | null;
  amount_cents: number | null;
  entry_amount_cents: number;
  direction: string;
  status: string;
  reversal: boolean;
  end_to_end_id: string | null;
  returned: boolean;
  return_reason: string | null;
  outcome: EntryOutcome;
  payout_id: string | null;
  note: string | null;
}

export interface ImportResult {
  created: boolean;
  statement: BankStatementImportDetailDto;
}

/**
 * Imports a bank statement file and reconciles it with the payouts, in one transaction: the import
 * and each of its transactions are stored with their outcome, and every payout the file settles
 * changes with its statements, its ledger transfer and its audit event. A refused file writes
 * nothing; the same file (same bytes) imported again returns the first import and changes nothing.
 */
@Injectable()
export class BankStatementImporter {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
    private readonly reads: BankStatementsService,
  ) {}

  async import(principal: Principal, raw: Buffer, format: BankStatementFormat, requestId?: string): Promise<ImportResult> {
    if (raw.length === 0) throw new SettlementError('BANK_STATEMENT_EMPTY', 'the body is empty: send the bank statement file itself');
    const parsed = parse(raw, format);
    const fingerprint = statementFingerprint(raw);
    const importId = uuidFromName(`bank-statement-import:${fingerprint}`);
    return this.tx.run(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [IMPORT_LOCK_CLASS, fingerprint]);
      const [existing] = await tx.query<{ id: string }[]>(`SELECT id FROM bank_statement_import WHERE fingerprint = $1`, [fingerprint]);
      if (existing) return { created: false, statement: await this.reads.get(existing.id, tx) };

      const payouts = await this.lockPayouts(tx, parsed);
      const records: EntryRecord[] = [];
      for (const [e, entry] of parsed.entries.entries()) {
        for (const txn of entry.transactions.length > 0 ? entry.transactions : [null]) {
          const payout = txn?.endToEndId ? payouts.get(txn.endToEndId) : undefined;
          const decision = decide(entry, txn, payout);
          if (payout && decision.action) {
            await this.apply(tx, principal, importId, payout, decision.action, txn?.returnReason ?? null, entry.bookingDate, requestId);
            payout.status = decision.action === 'pay' ? 'paid' : decision.action === 'reject' ? 'rejected' : 'returned';
          }
          records.push({
            position: records.length + 1,
            entry_index: e + 1,
            entry_ref: entry.entryRef,
            booking_date: entry.bookingDate,
            amount_cents: transactionAmount(entry, txn),
            entry_amount_cents: entry.amountCents,
            direction: entry.direction,
            status: entry.status,
            reversal: entry.reversal,
            end_to_end_id: txn?.endToEndId ?? null,
            returned: txn?.returned ?? false,
            return_reason: txn?.returnReason ?? null,
            outcome: decision.outcome,
            payout_id: payout?.id ?? null,
            note: decision.note,
          });
        }
      }
      const counts = Object.fromEntries(ENTRY_OUTCOMES.map((o) => [o, records.filter((r) => r.outcome === o).length])) as Record<
        EntryOutcome,
        number
      >;
      await tx.query(
        `INSERT INTO bank_statement_import (id, fingerprint, format, bank_statement_id, account_iban, imported_by, entry_count, transaction_count, outcome_counts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          importId,
          fingerprint,
          format,
          parsed.statementId,
          parsed.accountIban,
          principal.id,
          parsed.entries.length,
          records.length,
          JSON.stringify(counts),
        ],
      );
      await tx.query(
        `INSERT INTO bank_statement_entry (import_id, position, entry_index, entry_ref, booking_date, amount_cents, entry_amount_cents,
                                           direction, status, reversal, end_to_end_id, returned, return_reason, outcome, payout_id, note)
         SELECT $1, x.* FROM jsonb_to_recordset($2::jsonb) AS x(position int, entry_index int, entry_ref text, booking_date date,
                amount_cents bigint, entry_amount_cents bigint, direction text, status text, reversal boolean, end_to_end_id text,
                returned boolean, return_reason text, outcome text, payout_id uuid, note text)`,
        [importId, JSON.stringify(records)],
      );
      await this.audit.append(tx, {
        action: 'settlement.bank_statement_imported',
        actor: actorOf(principal),
        subject: { type: 'bank_statement_import', id: importId },
        facts: {
          format,
          entries: parsed.entries.length,
          transactions: records.length,
          paid: counts.paid,
          rejected: counts.rejected,
          returned: counts.returned,
          amountMismatch: counts.amount_mismatch,
          unmatched: counts.unmatched,
          conflict: counts.conflict,
          alreadyApplied: counts.already_applied,
          notBooked: counts.not_booked,
        },
        requestId,
      });
      return { created: true, statement: await this.reads.get(importId, tx) };
    });
  }

  /**
   * The payouts the file names, locked: first their sites' settlement locks in a fixed order (a
   * payout batch pays a site under the same lock, so released statements are never read half-way),
   * then the payout rows.
   */
  private async lockPayouts(tx: Tx, parsed: ParsedBankStatement): Promise<Map<string, PayoutState>> {
    const references = [
      ...new Set(parsed.entries.flatMap((e) => e.transactions.map((t) => t.endToEndId)).filter((r): r is string => r !== null)),
    ];
    if (references.length === 0) return new Map();
    const sites = await tx.query<{ siteId: string }[]>(
      `SELECT DISTINCT site_id AS "siteId" FROM payout WHERE reference = ANY($1::text[]) ORDER BY site_id`,
      [references],
    );
    for (const { siteId } of sites) await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SITE_LOCK_CLASS, siteId]);
    const rows = await tx.query<(Omit<PayoutState, 'amountCents'> & { amountCents: string })[]>(
      `SELECT id, reference, site_id AS "siteId", status, amount_cents::text AS "amountCents"
         FROM payout WHERE reference = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [references],
    );
    return new Map(rows.map((r) => [r.reference, { ...r, amountCents: Number(r.amountCents) }]));
  }

  /** One payout settled by the bank: its status, its statements, its ledger transfer and the audit event, in the import's transaction. */
  private async apply(
    tx: Tx,
    principal: Principal,
    importId: string,
    payout: PayoutState,
    action: 'pay' | 'reject' | 'return',
    reason: string | null,
    bookedOn: string | null,
    requestId?: string,
  ): Promise<void> {
    const reference = { type: 'payout', id: payout.id };
    if (action === 'pay') {
      await tx.query(`UPDATE payout SET status = 'paid', settled_at = now() WHERE id = $1`, [payout.id]);
      await tx.query(`UPDATE settlement_statement SET status = 'paid' WHERE payout_id = $1`, [payout.id]);
      await this.ledger.post(tx, payout.id, { id: uuidFromName(`payout-paid:${payout.id}`), reference });
    } else {
      await tx.query(`UPDATE payout SET status = $2, settled_at = now(), return_reason = $3 WHERE id = $1`, [
        payout.id,
        action === 'reject' ? 'rejected' : 'returned',
        reason,
      ]);
      await tx.query(`UPDATE settlement_statement SET status = 'unpaid', payout_id = NULL WHERE payout_id = $1`, [payout.id]);
      if (action === 'reject') {
        await this.ledger.void(tx, payout.id, { id: uuidFromName(`payout-rejected:${payout.id}`), reference });
      } else {
        // Booked, then given back: the money is back from the bank, owed to the site again.
        const inFlight = await this.ledger.openAccount(tx, { kind: 'bank_in_flight' });
        const payable = await this.ledger.openAccount(tx, { kind: 'site_payable', ownerOrganisationId: payout.siteId });
        await this.ledger.transfer(tx, {
          id: uuidFromName(`payout-returned:${payout.id}`),
          debitAccountId: inFlight.id,
          creditAccountId: payable.id,
          amount: payout.amountCents,
          reference,
        });
      }
    }
    const auditAction =
      action === 'pay' ? 'settlement.payout_paid' : action === 'reject' ? 'settlement.payout_rejected' : 'settlement.payout_returned';
    await this.audit.append(tx, {
      action: auditAction,
      actor: actorOf(principal),
      subject: { type: 'payout', id: payout.id },
      facts: {
        reference: payout.reference,
        siteId: payout.siteId,
        amountCents: payout.amountCents,
        importId,
        bookedOn,
        ...(action === 'pay' ? {} : { returnReason: reason }),
      },
      requestId,
    });
  }
}

/** The file read by its format's parser; a refusal becomes a problem (400 unreadable, 422 refused) and nothing is written. */
function parse(raw: Buffer, format: BankStatementFormat): ParsedBankStatement {
  try {
    if (format === 'camt053') return parseCamt053(raw);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new BankStatementError('INVALID_ENCODING', 'the CSV file is not valid UTF-8');
    }
    return parseBankCsv(text);
  } catch (error) {
    if (!(error instanceof BankStatementError)) throw error;
    const code = UNREADABLE.includes(error.code) ? 'BANK_STATEMENT_MALFORMED' : 'BANK_STATEMENT_INVALID';
    throw new SettlementError(code, error.message, {
      meta: { reason: error.code, ...(error.line === undefined ? {} : { line: error.line }) },
    });
  }
}
