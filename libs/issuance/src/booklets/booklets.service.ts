import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { CommonError, DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, Page } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, isOperator, Principal } from '@sillage/identity';
import { IssuanceError } from '../issuance.errors';
import { IssuanceKeys } from '../keys/issuance-keys';
import { BookletWriter, parseVoucherSerial, voucherSerial } from '../issuing/booklet-writer';
import { BookletRecord, BookletRepository } from './booklet.repository';
import { BlockDto, BookletDetailDto, BookletDto, ListBookletsQueryDto, ReplacementDto } from './dto/booklet.dto';

/**
 * Booklets of an order and their vouchers; blocking (lost, stolen…), unblocking (operator only) and
 * replacement of a blocked booklet by a new one carrying exactly its unredeemed value. Read and acted
 * on by the order's funder and the operator (404 for anyone else).
 */
@Injectable()
export class BookletsService {
  private readonly writer: BookletWriter;

  constructor(
    private readonly booklets: BookletRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
    keys: IssuanceKeys,
  ) {
    this.writer = new BookletWriter({ lookupKey: keys.lookupKey, printKey: keys.currentPrintKey });
  }

  async listForOrder(principal: Principal, orderId: string, q: ListBookletsQueryDto): Promise<Page<BookletDto>> {
    const rows: { funderId: string }[] = await this.tx.manager.query(`SELECT funder_id AS "funderId" FROM purchase_order WHERE id = $1`, [
      orderId,
    ]);
    if (!rows[0] || !(isOperator(principal) || rows[0].funderId === principal.organisationId))
      throw new IssuanceError('NOT_FOUND', 'order not found');
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(q.cursor);
    const afterNumber = after ? Number(after.k) : undefined;
    if (afterNumber !== undefined && !Number.isSafeInteger(afterNumber)) {
      throw new CommonError('INVALID_CURSOR', 'cursor is not a cursor returned by this API', { field: 'cursor' });
    }
    const found = await this.booklets.listForOrder({ orderId, state: q.state, blocked: q.blocked, afterNumber, limit });
    const items = found.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toDto),
      nextCursor: found.length > limit && last ? encodeCursor({ k: String(last.number), id: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<BookletDetailDto> {
    const b = this.visible(principal, await this.booklets.findById(id));
    const vouchers = await this.booklets.vouchers(id);
    return {
      ...toDto(b),
      faceValueCents: Number(b.faceValueCents),
      vouchers: vouchers.map((v) => ({
        serial: voucherSerial(b.serial, v.idx),
        idx: v.idx,
        status: v.status,
        statusChangedAt: v.statusChangedAt?.toISOString() ?? null,
      })),
    };
  }

  async block(principal: Principal, id: string, input: BlockDto, requestId?: string): Promise<BookletDetailDto> {
    await this.tx.run(async (tx) => {
      const b = this.visible(principal, await this.booklets.lock(tx, id));
      if (b.blockedAt) throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'this booklet is already blocked');
      if (b.replacedByBookletId) throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'this booklet was replaced');
      const n = await this.booklets.setVoucherStatus(tx, id, ['ISSUED', 'ACTIVE'], 'BLOCKED');
      await this.booklets.setBlocked(tx, id, input.reasonCode);
      await this.audit.append(tx, {
        action: 'booklet.blocked',
        actor: actorOf(principal),
        subject: { type: 'booklet', id },
        reason: input.reasonCode,
        facts: { orderId: b.orderId, vouchers: n, ...(await this.commentFact(tx, input.note)) },
        requestId,
      });
    });
    return this.get(principal, id);
  }

  async unblock(principal: Principal, id: string, requestId?: string): Promise<BookletDetailDto> {
    await this.tx.run(async (tx) => {
      const b = this.visible(principal, await this.booklets.lock(tx, id));
      if (!b.blockedAt) throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'this booklet is not blocked');
      if (b.replacedByBookletId) throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'a replaced booklet is never unblocked');
      const n = await this.booklets.setVoucherStatus(tx, id, ['BLOCKED'], 'ACTIVE_OR_ISSUED');
      await this.booklets.setBlocked(tx, id, null);
      await this.audit.append(tx, {
        action: 'booklet.unblocked',
        actor: actorOf(principal),
        subject: { type: 'booklet', id },
        facts: { orderId: b.orderId, vouchers: n },
        requestId,
      });
    });
    return this.get(principal, id);
  }

  /** One voucher of a booklet (a single lost cheque): blocked or unblocked by its serial. */
  async blockVoucher(principal: Principal, serial: string, block: BlockDto | null, requestId?: string): Promise<BookletDetailDto> {
    const parsed = parseVoucherSerial(serial);
    const b = this.visible(principal, parsed ? await this.booklets.findBySerial(parsed.bookletSerial) : undefined);
    const idx = parsed!.idx;
    await this.tx.run(async (tx) => {
      const locked = this.visible(principal, await this.booklets.lock(tx, b.id));
      if (locked.replacedByBookletId) throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'this booklet was replaced');
      const n = block
        ? await this.booklets.setVoucherStatus(tx, b.id, ['ISSUED', 'ACTIVE'], 'BLOCKED', idx)
        : await this.booklets.setVoucherStatus(tx, b.id, ['BLOCKED'], 'ACTIVE_OR_ISSUED', idx);
      if (n === 0) {
        const exists = (await this.booklets.vouchers(b.id, tx)).find((v) => v.idx === idx);
        if (!exists) throw new IssuanceError('NOT_FOUND', 'voucher not found');
        throw new IssuanceError(
          'VOUCHER_STATE_CONFLICT',
          `this voucher is ${exists.status}: it cannot be ${block ? 'blocked' : 'unblocked'}`,
          {
            meta: { voucherStatus: exists.status },
          },
        );
      }
      if (!block && locked.blockedAt) {
        throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'the whole booklet is blocked: unblock the booklet');
      }
      await this.audit.append(tx, {
        action: block ? 'voucher.blocked' : 'voucher.unblocked',
        actor: actorOf(principal),
        subject: { type: 'voucher', id: serial },
        reason: block?.reasonCode,
        facts: { orderId: b.orderId, bookletId: b.id, ...(await this.commentFact(tx, block?.note)) },
        requestId,
      });
    });
    return this.get(principal, b.id);
  }

  /**
   * A blocked booklet's BLOCKED (hence unredeemed) vouchers become REPLACED, a final state, and a new
   * booklet of the same order carries exactly as many vouchers of the same face value, with new
   * serials and codes, ACTIVE if the order is activated (ISSUED otherwise). No ledger transfer: the
   * value stays in the order's outstanding account, it only moves between vouchers.
   */
  async replace(principal: Principal, id: string, requestId?: string): Promise<ReplacementDto> {
    const result = await this.tx.run(async (tx) => {
      const b = this.visible(principal, await this.booklets.lock(tx, id));
      if (!b.blockedAt) throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'only a blocked booklet can be replaced: block it first');
      if (b.replacedByBookletId) throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'this booklet was already replaced');
      const issuance = await this.booklets.issuanceState(tx, b.orderId);
      if (!issuance?.completedAt)
        throw new IssuanceError('ISSUANCE_IN_PROGRESS', 'the order’s booklets are still being issued: try again when issuance is complete');
      if (issuance.voidedAt) throw new IssuanceError('BOOKLET_STATE_CONFLICT', 'the order was cancelled');
      const n = await this.booklets.setVoucherStatus(tx, id, ['BLOCKED'], 'REPLACED');
      if (n === 0) throw new IssuanceError('NOTHING_TO_REPLACE', 'this booklet has no unredeemed voucher left to replace');
      const [written] = await this.writer.write(
        tx,
        b.orderId,
        [{ number: await this.booklets.nextNumber(tx, b.orderId), voucherCount: n, replacesBookletId: id }],
        issuance.paidAt ? 'ACTIVE' : 'ISSUED',
      );
      const valueCents = n * Number(b.faceValueCents);
      await this.audit.append(tx, {
        action: 'booklet.replaced',
        actor: actorOf(principal),
        subject: { type: 'booklet', id },
        facts: { orderId: b.orderId, replacementBookletId: written.id, replacementSerial: written.serial, vouchers: n, valueCents },
        requestId,
      });
      return { replacementId: written.id, vouchers: n, valueCents };
    });
    const [replaced, replacement] = await Promise.all([this.booklets.findById(id), this.booklets.findById(result.replacementId)]);
    return { replaced: toDto(replaced!), replacement: toDto(replacement!), vouchers: result.vouchers, valueCents: result.valueCents };
  }

  private visible(principal: Principal, b: BookletRecord | undefined): BookletRecord {
    if (!b || !(isOperator(principal) || b.funderId === principal.organisationId))
      throw new IssuanceError('NOT_FOUND', 'booklet not found');
    return b;
  }

  private async commentFact(tx: Tx, note: string | undefined): Promise<{ commentId?: string }> {
    return note ? { commentId: await this.audit.comment(tx, note) } : {};
  }
}

function toDto(b: BookletRecord): BookletDto {
  return {
    id: b.id,
    orderId: b.orderId,
    serial: b.serial,
    number: b.number,
    voucherCount: b.voucherCount,
    state: b.state,
    blockedAt: b.blockedAt?.toISOString() ?? null,
    blockReason: b.blockReason,
    replacesBookletId: b.replacesBookletId,
    replacedByBookletId: b.replacedByBookletId,
    createdAt: b.createdAt.toISOString(),
  };
}
