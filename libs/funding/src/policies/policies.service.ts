import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Page, requireSomeField, toPage } from '@sillage/common';

import { TransactionRunner } from '@sillage/db';
import { actorOf, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';

import { FundingError } from '../funding.errors';
import { centsOrNull, presentFacts } from '../shared/validation';
import { AnnouncementDto } from './dto/announcement.dto';
import { CreateAnnouncementDto } from './dto/create-announcement.dto';
import { CreatePolicyDto } from './dto/create-policy.dto';
import { ListPoliciesQueryDto } from './dto/list-policies.query.dto';
import { PolicyDto } from './dto/policy.dto';
import { UpdatePolicyDto } from './dto/update-policy.dto';
import { AnnouncementRecord, PolicyRecord, PolicyRepository } from './policy.repository';

/**
 * Policies and their announcements. Written by operator admins (checked by the routes); read by the
 * operator, and by a funder for the policies under which it holds a grant. Anything else is 404.
 */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, input: CreatePolicyDto, requestId?: string): Promise<PolicyDto> {
    return this.tx.run(async (tx) => {
      const created = await this.policies.insert(tx, input.name, input.description ?? null);
      await this.audit.append(tx, {
        action: 'policy.created',
        actor: actorOf(principal),
        subject: { type: 'policy', id: created.id },
        requestId,
      });
      return toPolicyDto(created, []);
    });
  }

  async update(principal: Principal, id: string, input: UpdatePolicyDto, requestId?: string): Promise<PolicyDto> {
    requireSomeField(input);
    return this.tx.run(async (tx) => {
      const updated = await this.policies.update(tx, id, input);
      if (!updated) throw new FundingError('NOT_FOUND', 'policy not found');
      const changed = Object.keys(input)
        .filter((k) => input[k as keyof UpdatePolicyDto] !== undefined)
        .sort()
        .join(',');
      await this.audit.append(tx, {
        action: 'policy.updated',
        actor: actorOf(principal),
        subject: { type: 'policy', id },
        facts: { changed },
        requestId,
      });
      return toPolicyDto(updated, await this.policies.announcementsOf([id], tx));
    });
  }

  /**
   * Publishing makes the policy's transparency report public at `/v1/public/policies/{slug}/transparency`
   * (its figures mix several funders: the operator decides when they are shown). Unpublishing
   * (`slug` null) withdraws it; the slug stays reserved for the policy.
   */
  async setPublished(principal: Principal, id: string, slug: string | null, requestId?: string): Promise<PolicyDto> {
    return this.tx.run(async (tx) => {
      const updated = await this.policies.setPublished(tx, id, slug);
      if (!updated) throw new FundingError('NOT_FOUND', 'policy not found');
      if (updated === 'taken') throw new FundingError('SLUG_TAKEN', `another policy is published as "${slug}"`, { field: 'slug' });
      await this.audit.append(tx, {
        action: slug === null ? 'policy.unpublished' : 'policy.published',
        actor: actorOf(principal),
        subject: { type: 'policy', id },
        facts: slug === null ? {} : { slug },
        requestId,
      });
      return toPolicyDto(updated, await this.policies.announcementsOf([id], tx));
    });
  }

  async addAnnouncement(
    principal: Principal,
    policyId: string,
    input: CreateAnnouncementDto,
    requestId?: string,
  ): Promise<AnnouncementDto> {
    const hasAmount = input.amountCents !== undefined;
    const hasMin = input.minAmountCents !== undefined;
    const hasMax = input.maxAmountCents !== undefined;
    if (hasAmount && (hasMin || hasMax)) {
      throw new FundingError('AMOUNT_RANGE_INVALID', 'give amountCents or a min–max range, not both', { field: 'amountCents' });
    }
    if (!hasAmount && !(hasMin && hasMax)) {
      throw new FundingError('AMOUNT_RANGE_INVALID', 'give amountCents, or both minAmountCents and maxAmountCents', {
        field: hasMin ? 'maxAmountCents' : 'minAmountCents',
      });
    }
    if (hasMin && hasMax && (input.minAmountCents as number) > (input.maxAmountCents as number)) {
      throw new FundingError('AMOUNT_RANGE_INVALID', 'minAmountCents must not exceed maxAmountCents', { field: 'maxAmountCents' });
    }
    return this.tx.run(async (tx) => {
      const policy = await this.policies.findById(policyId, tx);
      if (!policy) throw new FundingError('NOT_FOUND', 'policy not found');
      const created = await this.policies.insertAnnouncement(tx, {
        policyId,
        label: input.label,
        amountCents: input.amountCents ?? null,
        minAmountCents: input.minAmountCents ?? null,
        maxAmountCents: input.maxAmountCents ?? null,
        announcedOn: input.announcedOn,
        sourceReference: input.sourceReference,
      });
      await this.audit.append(tx, {
        action: 'policy.announcement_added',
        actor: actorOf(principal),
        subject: { type: 'policy', id: policyId },
        facts: presentFacts({
          announcementId: created.id,
          amountCents: input.amountCents,
          minAmountCents: input.minAmountCents,
          maxAmountCents: input.maxAmountCents,
          announcedOn: input.announcedOn,
        }),
        requestId,
      });
      return toAnnouncementDto(created);
    });
  }

  async get(principal: Principal, id: string): Promise<PolicyDto> {
    const policy = await this.policies.findById(id);
    if (!policy || !(isOperator(principal) || (await this.policies.hasGrantTo(id, principal.organisationId)))) {
      throw new FundingError('NOT_FOUND', 'policy not found');
    }
    return toPolicyDto(policy, await this.policies.announcementsOf([id]));
  }

  /** The operator lists every policy; a funder those under which it holds a grant. */
  async list(principal: Principal, query: ListPoliciesQueryDto): Promise<Page<PolicyDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const asked = query.funderId?.toLowerCase();
    let funderId = asked;
    if (!isOperator(principal)) {
      if (asked !== undefined && asked !== principal.organisationId) return { items: [], nextCursor: null };
      funderId = principal.organisationId;
    }
    const rows = await this.policies.list({ funderId, nameContains: query.q, after: decodeTimeCursor(query.cursor), limit });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    const announcements = await this.policies.announcementsOf(page.items.map((p) => p.id));
    return {
      items: page.items.map((p) =>
        toPolicyDto(
          p,
          announcements.filter((a) => a.policyId === p.id),
        ),
      ),
      nextCursor: page.nextCursor,
    };
  }
}

function toAnnouncementDto(a: AnnouncementRecord): AnnouncementDto {
  return {
    id: a.id,
    policyId: a.policyId,
    label: a.label,
    amountCents: centsOrNull(a.amountCents),
    minAmountCents: centsOrNull(a.minAmountCents),
    maxAmountCents: centsOrNull(a.maxAmountCents),
    announcedOn: a.announcedOn,
    sourceReference: a.sourceReference,
    createdAt: a.createdAt.toISOString(),
  };
}

function toPolicyDto(p: PolicyRecord, announcements: AnnouncementRecord[]): PolicyDto {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    slug: p.slug,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    announcements: announcements.map(toAnnouncementDto),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
