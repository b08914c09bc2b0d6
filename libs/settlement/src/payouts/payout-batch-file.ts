import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AuditLog } from '@sillage/audit';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner, Tx } from '@sillage/db';
import { buildPain001 } from '../sepa/pain001';
import type { PayoutBatchFile } from '../sepa/types';

interface BatchPayoutRow {
  reference: string;
  amountCents: string;
  creditorName: string;
  creditorIban: string;
  creditorBic: string;
  creditorAddress: { streetName: string; postCode: string; townName: string; country: string };
  statementNumbers: string[];
}

export interface BatchHead {
  id: string;
  number: string;
  status: string;
  createdAt: Date;
  requestedExecutionDate: string | null;
}

/** Next TARGET2 business day after `day` (weekends skipped; 1 January, Good Friday and Easter Monday, 1 May, 25 and 26 December too). */
export function nextBusinessDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  for (;;) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    const md = d.toISOString().slice(5, 10);
    if (wd === 0 || wd === 6 || ['01-01', '05-01', '12-25', '12-26'].includes(md) || isEasterHoliday(d)) continue;
    return d.toISOString().slice(0, 10);
  }
}

function isEasterHoliday(d: Date): boolean {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const y = d.getUTCFullYear();
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((8 * b + 13) / 25)) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  const easter = Date.UTC(y, month - 1, day);
  const dayMs = 86_400_000;
  return d.getTime() === easter - 2 * dayMs || d.getTime() === easter + dayMs;
}

/**
 * Writes a batch's pain.001.001.09 file once, when all its payouts are in: the file is stored with its
 * SHA-256 and never rebuilt, so every download after release is byte-identical to what was prepared.
 */
@Injectable()
export class PayoutBatchFileWriter {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Closes the batch with its file. A batch left without payouts is removed. Idempotent. */
  async write(batchId: string): Promise<void> {
    await this.tx.run(async (tx) => {
      const [batch] = await tx.query<BatchHead[]>(
        `SELECT id, number, status, created_at AS "createdAt", requested_execution_date::text AS "requestedExecutionDate"
           FROM payout_batch WHERE id = $1 FOR UPDATE`,
        [batchId],
      );
      if (!batch || batch.status !== 'building') return;
      // Only payouts still pending: one the bank already rejected (a hand-made statement) is not sent.
      const payouts = await batchPayouts(tx, batchId, true);
      if (payouts.length === 0) {
        await tx.query(`DELETE FROM payout_batch WHERE id = $1`, [batchId]);
        return;
      }
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
      const executionDate = nextBusinessDay(today);
      const file = this.fileOf({ ...batch, requestedExecutionDate: executionDate }, payouts, new Date());
      const xml = buildPain001(file);
      const sha256 = createHash('sha256').update(xml).digest('hex');
      const total = payouts.reduce((n, p) => n + BigInt(p.amountCents), 0n);
      await tx.query(
        `UPDATE payout_batch SET status = 'awaiting_release', file_xml = $2, file_sha256 = $3, payment_count = $4, total_cents = $5,
                requested_execution_date = $6 WHERE id = $1`,
        [batchId, xml, sha256, payouts.length, total.toString(), executionDate],
      );
      await this.audit.append(tx, {
        action: 'settlement.payout_batch_prepared',
        actor: { type: 'system' },
        subject: { type: 'payout_batch', id: batchId },
        facts: { number: batch.number, payments: payouts.length, totalCents: Number(total), sha256 },
      });
    });
  }

  /**
   * Writes the files of batches asked for by hand whose request was interrupted (a crash or an error
   * after some payouts were added): their payouts wait in them, so they are closed as they are and go
   * to release like any batch. Older than 10 minutes, so a request still adding payouts is left alone.
   */
  async finishInterrupted(): Promise<void> {
    const left = await this.tx.manager.query<{ id: string }[]>(
      `SELECT id FROM payout_batch WHERE status = 'building' AND run_id IS NULL AND created_at < now() - interval '10 minutes' ORDER BY created_at`,
    );
    for (const { id } of left) await this.write(id);
  }

  /** The batch as the SEPA writers take it (also used for the CSV, from the same stored payouts). */
  fileOf(batch: Pick<BatchHead, 'number' | 'requestedExecutionDate'>, payouts: BatchPayoutRow[], createdAt: Date): PayoutBatchFile {
    const d = this.config.settlement.debtor;
    return {
      messageId: `SILLAGE-${batch.number}`,
      paymentInformationId: batch.number,
      createdAt,
      requestedExecutionDate: batch.requestedExecutionDate ?? nextBusinessDay(createdAt.toISOString().slice(0, 10)),
      debtor: {
        name: d.name,
        iban: d.iban,
        bic: d.bic,
        address: {
          streetName: d.streetName,
          buildingNumber: d.buildingNumber,
          postCode: d.postCode,
          townName: d.townName,
          country: d.country,
        },
      },
      payments: payouts.map((p) => ({
        endToEndId: p.reference,
        amountCents: Number(p.amountCents),
        creditor: { name: p.creditorName, iban: p.creditorIban, bic: p.creditorBic, address: p.creditorAddress },
        remittance: `Sillage remboursement ${p.statementNumbers.join(' ')}`,
      })),
    };
  }
}

/** A batch's payouts in file order (by reference), with the statements each one pays. */
export function batchPayouts(m: Pick<Tx, 'query'>, batchId: string, pendingOnly = false): Promise<BatchPayoutRow[]> {
  return m.query<BatchPayoutRow[]>(
    `SELECT p.reference, p.amount_cents::text AS "amountCents", p.creditor_name AS "creditorName", p.creditor_iban AS "creditorIban",
            p.creditor_bic AS "creditorBic", p.creditor_address AS "creditorAddress",
            (SELECT array_agg(s.number ORDER BY s.number) FROM payout_statement ps JOIN settlement_statement s ON s.id = ps.statement_id
              WHERE ps.payout_id = p.id) AS "statementNumbers"
       FROM payout p WHERE p.batch_id = $1 AND (NOT $2 OR p.status = 'pending') ORDER BY p.reference`,
    [batchId, pendingOnly],
  );
}
