import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { uuidFromName } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { actorOf, isOperator, Principal } from '@sillage/identity';
import { Ledger } from '@sillage/ledger';
import { RedemptionError } from '../redemption.errors';
import { RedemptionReader, toRedemptionDto, UNDO_WINDOW_MS } from './redemption-reader';
import { RedemptionDto, UndoRedemptionDto } from './dto/redemption.dto';

/**
 * Undoes a whole redemption (a scan error, a cancelled service) within 24 h of its recording and
 * while it is in no statement: its vouchers are ACTIVE again (and can be redeemed once more), its
 * lines stop being live, its ledger transfer is reversed (site payable → order outstanding), all in one transaction with the
 * audit event. The site that recorded it, or the operator, may undo it.
 */
@Injectable()
export class RedemptionUndo {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reader: RedemptionReader,
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
  ) {}

  async undo(principal: Principal, id: string, input: UndoRedemptionDto, requestId?: string): Promise<RedemptionDto> {
    return this.tx.run(async (tx) => {
      const r = await this.reader.row(tx, id, true);
      if (!r || !(isOperator(principal) || r.siteId === principal.organisationId)) {
        throw new RedemptionError('NOT_FOUND', 'redemption not found');
      }
      if (r.undoneAt) throw new RedemptionError('ALREADY_UNDONE', `this redemption was already undone on ${r.undoneAt.toISOString()}`);
      if (r.statementId) {
        throw new RedemptionError(
          'ALREADY_SETTLED',
          'this redemption is in a settlement statement: report an incident instead of undoing it',
        );
      }
      const closesAt = new Date(r.recordedAt.getTime() + UNDO_WINDOW_MS);
      if (Date.now() >= closesAt.getTime()) {
        throw new RedemptionError(
          'UNDO_WINDOW_CLOSED',
          `a redemption can be undone for 24 hours after it was recorded (until ${closesAt.toISOString()}): report an incident instead`,
          { meta: { undoableUntil: closesAt.toISOString() } },
        );
      }
      await tx.query(`UPDATE redemption SET undone_at = now(), undo_reason = $2, undone_by = $3 WHERE id = $1`, [
        id,
        input.reasonCode,
        principal.id,
      ]);
      const lines: { voucher_id: string }[] = await tx.query(
        `WITH l AS (UPDATE redemption_line SET live = false WHERE redemption_id = $1 AND live RETURNING voucher_id) SELECT voucher_id FROM l`,
        [id],
      );
      const reactivated: { n: number }[] = await tx.query(
        `WITH v AS (UPDATE voucher SET status = 'ACTIVE', status_changed_at = now() WHERE id = ANY($1::bigint[]) AND status = 'REDEEMED' RETURNING 1)
         SELECT count(*)::int AS n FROM v`,
        [lines.map((l) => l.voucher_id)],
      );
      if (reactivated[0].n !== lines.length)
        throw new Error(`undo of ${id}: ${reactivated[0].n} of ${lines.length} vouchers were REDEEMED`);
      await this.ledger.reverse(tx, id, { id: uuidFromName(`redemption-undo:${id}`), reference: { type: 'redemption', id } });
      await this.audit.append(tx, {
        action: 'redemption.undone',
        actor: actorOf(principal),
        subject: { type: 'redemption', id },
        reason: input.reasonCode,
        facts: { siteId: r.siteId, orderId: r.orderId, vouchers: lines.length, amountCents: Number(r.amountCents) },
        requestId,
      });
      return toRedemptionDto((await this.reader.row(tx, id))!);
    });
  }
}
