import { newestFirstPage } from '../newest-first-page';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '@sillage/audit';
import { Page } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { actorOf, Principal } from '@sillage/identity';
import { SettlementError } from '../settlement.errors';
import { CreatePricingRuleDto, ListPricingRulesQueryDto, PricingRuleDto } from './dto/pricing-rule.dto';

/** The default rule's version sequence key (no contract). */
export const DEFAULT_RULE_KEY = '00000000-0000-0000-0000-000000000000';

interface RuleRow {
  id: string;
  contractId: string | null;
  version: number;
  rateBp: number | null;
  fixedAmountCents: string | null;
  commissionBp: number;
  validFrom: string;
  validUntil: string | null;
  description: string;
  createdAt: Date;
}

const COLUMNS = `id, contract_id AS "contractId", version, rate_bp AS "rateBp", fixed_amount_cents::text AS "fixedAmountCents",
  commission_bp AS "commissionBp", to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_until, 'YYYY-MM-DD') AS "validUntil",
  description, created_at AS "createdAt"`;

const toDto = (r: RuleRow): PricingRuleDto => ({
  ...r,
  fixedAmountCents: r.fixedAmountCents === null ? null : Number(r.fixedAmountCents),
  createdAt: r.createdAt.toISOString(),
});

/**
 * Pricing rules, append-only and versioned per contract (or default). A new version applies to
 * services from its `validFrom`; among the versions valid on a service day the highest wins. Rules
 * are never edited, so a statement's line always shows the terms it was priced with.
 */
@Injectable()
export class PricingRulesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, input: CreatePricingRuleDto, requestId?: string): Promise<PricingRuleDto> {
    if ((input.rateBp === undefined) === (input.fixedAmountCents === undefined)) {
      throw new SettlementError(
        'PRICING_RULE_INVALID',
        'give either rateBp (a share of the face value) or fixedAmountCents (an amount per voucher)',
        {
          field: input.rateBp === undefined ? 'rateBp' : 'fixedAmountCents',
        },
      );
    }
    if (input.validUntil !== undefined && input.validUntil < input.validFrom) {
      throw new SettlementError('PRICING_RULE_INVALID', 'validUntil is before validFrom', { field: 'validUntil' });
    }
    const key = input.contractId ?? DEFAULT_RULE_KEY;
    return this.tx.run(async (tx) => {
      if (input.contractId) {
        const found = await tx.query<unknown[]>('SELECT 1 FROM funding_contract WHERE id = $1', [input.contractId]);
        if (found.length === 0) throw new SettlementError('CONTRACT_NOT_FOUND', 'no contract has this id', { field: 'contractId' });
      }
      // Versions are numbered per contract under a lock, so two concurrent creations do not collide.
      await tx.query('SELECT pg_advisory_xact_lock(1397050003, hashtext($1))', [key]);
      const id = randomUUID();
      await tx.query(
        `INSERT INTO pricing_rule (id, contract_id, contract_key, version, rate_bp, fixed_amount_cents, commission_bp, valid_from, valid_until, description, created_by)
         SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5, $6, $7, $8, $9, $10 FROM pricing_rule WHERE contract_key = $3`,
        [
          id,
          input.contractId ?? null,
          key,
          input.rateBp ?? null,
          input.fixedAmountCents ?? null,
          input.commissionBp ?? 0,
          input.validFrom,
          input.validUntil ?? null,
          input.description,
          principal.id,
        ],
      );
      const rule = toDto((await tx.query<RuleRow[]>(`SELECT ${COLUMNS} FROM pricing_rule WHERE id = $1`, [id]))[0]);
      await this.audit.append(tx, {
        action: 'settlement.pricing_rule_created',
        actor: actorOf(principal),
        subject: { type: 'pricing_rule', id },
        facts: {
          contractId: rule.contractId,
          version: rule.version,
          ...(rule.rateBp === null ? {} : { rateBp: rule.rateBp }),
          ...(rule.fixedAmountCents === null ? {} : { fixedAmountCents: rule.fixedAmountCents }),
          commissionBp: rule.commissionBp,
          validFrom: rule.validFrom,
          validUntil: rule.validUntil,
        },
        requestId,
      });
      return rule;
    });
  }

  async list(q: ListPricingRulesQueryDto): Promise<Page<PricingRuleDto>> {
    const page = await newestFirstPage<RuleRow>(this.tx.manager, q, {
      select: COLUMNS,
      from: 'pricing_rule',
      where: '$1::uuid IS NULL OR contract_id = $1',
      params: [q.contractId ?? null],
      key: 'created_at',
      id: 'id',
    });
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }
}
