import { Injectable, Logger } from '@nestjs/common';
import { AuditLog, canonicalJson } from '@sillage/audit';
import { parisDate, sha256, uuidV7 } from '@sillage/common';
import { actorOf, Principal } from '@sillage/identity';
import { RedemptionError } from '../redemption.errors';
import { ResolvedVoucher, VoucherCodes } from '../codes/voucher-codes';
import { RedemptionFailures } from './redemption-failures';
import { CONDITION_CONSTRAINTS, IDEMPOTENCY_CONSTRAINT } from './redemption-sql';
import { RedemptionWriter } from './redemption-writer';
import { RedemptionRefusals } from './redemption-refusals';
import { RedemptionReader } from './redemption-reader';
import { CreateRedemptionDto, RedemptionDto } from './dto/redemption.dto';

/** A scan may be recorded up to 7 days after the service (offline scanners sync later). */
export const OFFLINE_WINDOW_MS = 7 * 24 * 3600_000;
/** A scanner's clock may run slightly ahead of the server's. */
const CLOCK_SKEW_MS = 60_000;

export type Channel = 'online' | 'batch';

/** What a retry must repeat to be the same request: its vouchers, category and time of service. */
export function redemptionRequestHash(input: CreateRedemptionDto): Buffer {
  return sha256(
    canonicalJson({
      vouchers: input.vouchers.map((v) => ({ code: v.code ?? null, qrToken: v.qrToken ?? null })),
      serviceCategoryCode: input.serviceCategoryCode,
      occurredAt: new Date(input.occurredAt).toISOString(),
    }),
  );
}

interface PgError {
  code?: string;
  constraint?: string;
}

/**
 * Redeeming vouchers at a site: exactly once, all or nothing, in one statement (see REDEEM_SQL and
 * RedemptionWriter).
 * Idempotent per site and key: a retry with the same content returns the original redemption; the
 * same key with other content is refused.
 */
@Injectable()
export class RedemptionsService {
  private readonly log = new Logger('Redemption');

  constructor(
    private readonly writer: RedemptionWriter,
    private readonly audit: AuditLog,
    private readonly codes: VoucherCodes,
    private readonly failures: RedemptionFailures,
    private readonly refusals: RedemptionRefusals,
    private readonly reader: RedemptionReader,
  ) {}

  async redeem(
    principal: Principal,
    input: CreateRedemptionDto,
    idempotencyKey: string,
    channel: Channel,
    requestId?: string,
  ): Promise<RedemptionDto> {
    const siteId = principal.organisationId;
    this.failures.assertNotBlocked(principal);
    // The row and its event hold the same instant (reports find a redemption's statement from it).
    const recordedAt = this.audit.clock();
    const scannedAt = new Date(input.occurredAt);
    const requestHash = redemptionRequestHash(input);
    const late = this.windowProblem(scannedAt, recordedAt);
    if (late) {
      // A retry of a scan recorded in time is answered as it was; anything else is too late.
      const original = await this.reader.byKey(siteId, idempotencyKey);
      if (original) return this.replayed(original, requestHash);
      throw late;
    }
    // A scanner's clock up to a minute ahead: the service happened no later than it is recorded.
    const occurredAt = scannedAt > recordedAt ? recordedAt : scannedAt;
    const vouchers = await this.resolve(principal, input);
    const first = vouchers[0];
    // Time-ordered: the redemption, its lines, transfer and outbox row are keyed by it (ADR 21).
    const id = uuidV7(recordedAt);
    const amountCents = first.faceValueCents * vouchers.length;
    const event = this.audit.prepareAt(
      {
        action: 'redemption.recorded',
        actor: actorOf(principal),
        subject: { type: 'redemption', id },
        facts: {
          siteId,
          orderId: first.orderId,
          bookletId: first.bookletId,
          vouchers: vouchers.length,
          amountCents,
          serviceCategoryCode: input.serviceCategoryCode,
          occurredAt: occurredAt.toISOString(),
          channel,
        },
        requestId,
      },
      recordedAt,
    );
    const occurredDay = parisDate(occurredAt);
    try {
      await this.writer.write({
        id,
        siteId,
        idempotencyKey,
        requestHash,
        bookletId: first.bookletId,
        bookletSerial: first.bookletSerial,
        voucherIdx: vouchers.map((v) => v.idx),
        category: input.serviceCategoryCode,
        occurredAt,
        recordedAt,
        occurredDay,
        channel,
        agentId: principal.type === 'user' ? principal.id : null,
        apiKeyId: principal.type === 'api_key' ? principal.id : null,
        event,
      });
    } catch (e) {
      const err = e as PgError;
      const conditionFailed = err.code === '23514' && CONDITION_CONSTRAINTS.has(err.constraint ?? '');
      const keyTaken = err.code === '23505' && err.constraint === IDEMPOTENCY_CONSTRAINT;
      if (!conditionFailed && !keyTaken) throw e;
      // A twin request with this key may have won meanwhile: answer as it did.
      const twin = await this.reader.byKey(siteId, idempotencyKey);
      if (twin) return this.replayed(twin, requestHash);
      const refusal = await this.refusals.explain(siteId, vouchers, occurredAt, occurredDay, input.serviceCategoryCode);
      this.log.log({ msg: 'redemption refused', siteId, reasonCode: refusal.code, vouchers: vouchers.length, channel });
      throw refusal;
    }
    return {
      id,
      siteId,
      orderId: first.orderId,
      bookletSerial: first.bookletSerial,
      vouchers: vouchers.map((v) => ({ serial: v.serial, amountCents: v.faceValueCents })).sort((a, b) => a.serial.localeCompare(b.serial)),
      amountCents,
      serviceCategoryCode: input.serviceCategoryCode,
      occurredAt: occurredAt.toISOString(),
      recordedAt: recordedAt.toISOString(),
      channel,
      undoneAt: null,
      undoReason: null,
      undoableUntil: new Date(recordedAt.getTime() + 24 * 3600_000).toISOString(),
    };
  }

  /** The vouchers asked for, identified, all of one booklet and each once; failures counted against brute force. */
  async resolve(principal: Principal, input: { vouchers: CreateRedemptionDto['vouchers'] }): Promise<ResolvedVoucher[]> {
    const resolved = await this.codes.resolve(input.vouchers);
    if (!('vouchers' in resolved)) {
      await this.failures.record(principal);
      this.log.log({ msg: 'redemption refused', siteId: principal.organisationId, reasonCode: 'UNKNOWN_CODE', failure: resolved.kind });
      throw new RedemptionError(
        'UNKNOWN_CODE',
        resolved.kind === 'bad-token'
          ? `vouchers[${resolved.index}]: this QR code is not a valid voucher`
          : `vouchers[${resolved.index}]: no voucher has this code`,
        { field: `vouchers[${resolved.index}]` },
      );
    }
    const vouchers = resolved.vouchers;
    if (new Set(vouchers.map((v) => v.bookletId)).size > 1) {
      throw new RedemptionError('MIXED_BOOKLETS', 'one redemption takes vouchers of one booklet: record one redemption per booklet', {
        field: 'vouchers',
      });
    }
    const serials = vouchers.map((v) => v.serial);
    const twice = serials.find((s, i) => serials.indexOf(s) !== i);
    if (twice) throw new RedemptionError('DUPLICATE_VOUCHER', `voucher ${twice} is listed twice`, { field: 'vouchers' });
    return vouchers;
  }

  windowProblem(occurredAt: Date, recordedAt: Date): RedemptionError | undefined {
    if (occurredAt.getTime() > recordedAt.getTime() + CLOCK_SKEW_MS) {
      return new RedemptionError('OFFLINE_WINDOW_EXCEEDED', 'occurredAt is in the future: check the scanner’s clock', {
        field: 'occurredAt',
      });
    }
    if (occurredAt.getTime() < recordedAt.getTime() - OFFLINE_WINDOW_MS) {
      return new RedemptionError(
        'OFFLINE_WINDOW_EXCEEDED',
        'the service took place more than 7 days ago: a scan is recorded within 7 days of the service',
        { field: 'occurredAt' },
      );
    }
    return undefined;
  }

  private replayed(original: { dto: RedemptionDto; requestHash: Buffer }, requestHash: Buffer): RedemptionDto {
    if (!original.requestHash.equals(requestHash)) {
      throw new RedemptionError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another request: use a new key per scan', {
        field: 'Idempotency-Key',
      });
    }
    return original.dto;
  }
}
