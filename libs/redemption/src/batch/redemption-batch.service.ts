import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CommonError, FieldProblem, parisDate, validationProblems } from '@sillage/common';
import { Principal } from '@sillage/identity';
import { RedemptionError } from '../redemption.errors';
import { reasonOf, RedemptionRefusals } from '../redemptions/redemption-refusals';
import { IncidentsService } from '../incidents/incidents.service';
import { IncidentDto, INCIDENT_REASONS } from '../incidents/dto/incident.dto';
import { redemptionRequestHash, RedemptionsService } from '../redemptions/redemptions.service';
import { BatchItemDto } from '../redemptions/dto/redemption.dto';
import { IDEMPOTENCY_KEY_PATTERN } from '../redemptions/redemptions.controller';
import { BatchItemResultDto, BatchResultDto } from './dto/batch.dto';

type IncidentReason = (typeof INCIDENT_REASONS)[number];

/**
 * What the site agent reads for a scan that became an incident. Fixed per reason (not the refusal's
 * own words) so that a re-sent batch answers exactly as the first time.
 */
const INCIDENT_DETAIL: Record<IncidentReason, string> = {
  ALREADY_REDEEMED: 'these vouchers were already redeemed: the scan is recorded as an incident for the operator to resolve',
  OFFLINE_WINDOW_EXCEEDED:
    'the service took place more than 7 days before the scan was synced: the scan is recorded as an incident for the operator to resolve',
  EXPIRED: 'these vouchers had expired: the scan is recorded as an incident for the operator to resolve',
};

/** The refusals that make a synced scan an incident (the service may have been delivered). */
const INCIDENT_CODES: ReadonlySet<string> = new Set(['ALREADY_REDEEMED', 'EXPIRED', 'OFFLINE_WINDOW_EXCEEDED']);

const KEY_REUSED_DETAIL = 'this idempotencyKey was used for another scan: use a new key per scan';

const refused = (idempotencyKey: string, code: string, detail: string, field?: string): BatchItemResultDto => ({
  idempotencyKey,
  outcome: 'refused',
  problem: field ? { code, detail, field } : { code, detail },
});

const asIncident = (idempotencyKey: string, incident: IncidentDto): BatchItemResultDto => ({
  idempotencyKey,
  outcome: 'incident',
  incident,
  problem: { code: incident.reasonCode, detail: INCIDENT_DETAIL[incident.reasonCode as IncidentReason] ?? incident.reasonCode },
});

/**
 * Offline batches: scans captured without a connection, synced later. Each item is processed on its
 * own, in request order (sequentially: two scans of the same voucher in one batch resolve the way they
 * were captured), through the same exactly-once redemption as an online scan with the item's own
 * idempotency key. A scan that lost to an earlier redemption, was synced after the offline window or
 * after its voucher expired becomes an incident, never a redemption; any other refusal is that item's
 * `refused` result. Re-sending a batch records nothing twice and answers the same results.
 */
@Injectable()
export class RedemptionBatchService {
  constructor(
    private readonly redemptions: RedemptionsService,
    private readonly incidents: IncidentsService,
    private readonly refusals: RedemptionRefusals,
  ) {}

  async process(principal: Principal, items: unknown[], requestId?: string): Promise<BatchResultDto> {
    const keys = this.keysOf(items);
    const results: BatchItemResultDto[] = [];
    for (const [i, raw] of items.entries()) results.push(await this.one(principal, raw as object, keys[i], requestId));
    const count = (o: BatchItemResultDto['outcome']) => results.filter((r) => r.outcome === o).length;
    return { items: results, summary: { redeemed: count('redeemed'), incidents: count('incident'), refused: count('refused') } };
  }

  /** Every item needs its idempotency key: without it, a result could not be matched to its scan nor retried. */
  private keysOf(items: unknown[]): string[] {
    const problems: FieldProblem[] = [];
    const keys = items.map((item, i) => {
      const key = (item as { idempotencyKey?: unknown }).idempotencyKey;
      if (typeof key === 'string' && IDEMPOTENCY_KEY_PATTERN.test(key)) return key;
      const field = `items.${i}.idempotencyKey`;
      problems.push({ field, code: 'matches', message: `${field} must be 8-100 characters of A-Z a-z 0-9 . _ : - (one key per scan)` });
      return '';
    });
    if (problems.length > 0) {
      throw new CommonError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), { field: problems[0].field, errors: problems });
    }
    return keys;
  }

  private async one(principal: Principal, raw: object, key: string, requestId?: string): Promise<BatchItemResultDto> {
    const item = plainToInstance(BatchItemDto, raw);
    const problems = validationProblems(await validate(item, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
    if (problems.length > 0) return refused(key, 'VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems[0].field);
    const requestHash = redemptionRequestHash(item);
    // A scan already recorded as an incident stays one, whatever happened to its vouchers since.
    const earlier = await this.incidents.byKey(principal.organisationId, key);
    if (earlier) {
      return earlier.requestHash.equals(requestHash)
        ? asIncident(key, earlier.dto)
        : refused(key, 'IDEMPOTENCY_KEY_REUSED', KEY_REUSED_DETAIL, 'idempotencyKey');
    }
    const input = { vouchers: item.vouchers, serviceCategoryCode: item.serviceCategoryCode, occurredAt: item.occurredAt };
    try {
      const redemption = await this.redemptions.redeem(principal, input, key, 'batch', requestId);
      return { idempotencyKey: key, outcome: 'redeemed', redemption };
    } catch (e) {
      if (e instanceof RedemptionError && this.becomesIncident(e, item))
        return this.incident(principal, item, key, requestHash, e, requestId);
      return this.refusal(key, e);
    }
  }

  /** Lost to an earlier redemption, synced too late (not a scan dated in the future), or expired. */
  private becomesIncident(e: RedemptionError, item: BatchItemDto): boolean {
    if (INCIDENT_CODES.has(e.code) && e.code !== 'OFFLINE_WINDOW_EXCEEDED') return true;
    return e.code === 'OFFLINE_WINDOW_EXCEEDED' && new Date(item.occurredAt).getTime() <= Date.now();
  }

  private async incident(
    principal: Principal,
    item: BatchItemDto,
    key: string,
    requestHash: Buffer,
    reason: RedemptionError,
    requestId?: string,
  ): Promise<BatchItemResultDto> {
    let vouchers;
    try {
      // Which vouchers (serials, booklet, order, face value): unknown codes are refused, not incidents.
      vouchers = await this.redemptions.resolve(principal, { vouchers: item.vouchers });
    } catch (e) {
      return this.refusal(key, e);
    }
    if (reason.code === 'OFFLINE_WINDOW_EXCEEDED') {
      // Too late to redeem, but only a scan this site could have redeemed on that day is an incident:
      // the site's and the order's rules (and the voucher's state) are applied to the day of service.
      const occurredAt = new Date(item.occurredAt);
      const day = parisDate(occurredAt);
      const facts = await this.refusals.facts(principal.organisationId, vouchers, occurredAt, day, item.serviceCategoryCode);
      const other = reasonOf(facts, vouchers, day);
      if (other && !INCIDENT_CODES.has(other.code)) return this.refusal(key, other);
    }
    const recorded = await this.incidents.record(
      principal,
      {
        idempotencyKey: key,
        requestHash,
        reasonCode: reason.code,
        vouchers,
        serviceCategoryCode: item.serviceCategoryCode,
        occurredAt: new Date(item.occurredAt),
      },
      requestId,
    );
    // A concurrent twin with other content may have taken the key first.
    if (!recorded.requestHash.equals(requestHash)) return refused(key, 'IDEMPOTENCY_KEY_REUSED', KEY_REUSED_DETAIL, 'idempotencyKey');
    return asIncident(key, recorded.dto);
  }

  /** A refusal a single redemption would answer with, as this item's result; anything unexpected fails the batch. */
  private refusal(key: string, e: unknown): BatchItemResultDto {
    if (e instanceof RedemptionError || (e instanceof CommonError && (e.code === 'VALIDATION_FAILED' || e.code === 'RATE_LIMITED'))) {
      return refused(key, e.code, e.message, e.options.field);
    }
    throw e;
  }
}
