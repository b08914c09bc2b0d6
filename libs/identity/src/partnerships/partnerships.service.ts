import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Page, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { isOperator, Principal } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { actorOf, decodeTimeCursor } from '../organisations/directory-support';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { CreatePartnershipDto } from './dto/create-partnership.dto';
import { ListPartnershipsQueryDto } from './dto/list-partnerships.query.dto';
import { PartnershipDto } from './dto/partnership.dto';
import { PartnershipRecord, PartnershipRepository } from './partnership.repository';

/** Why a partnership ended; audit reasons are codes, never free text. */
export type PartnershipEndReason = 'ENDED_BY_OPERATOR';

@Injectable()
export class PartnershipsService {
  constructor(
    private readonly partnerships: PartnershipRepository,
    private readonly organisations: OrganisationRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  /** Operator admin only (checked by the route). */
  async create(principal: Principal, input: CreatePartnershipDto, requestId?: string): Promise<PartnershipDto> {
    const funderId = input.funderId.toLowerCase();
    const distributorId = input.distributorId.toLowerCase();
    if (funderId === distributorId) {
      throw new IdentityError('PARTNERSHIP_INVALID', 'an organisation cannot partner with itself', { field: 'distributorId' });
    }
    return this.tx.run(async (tx) => {
      const funder = await this.organisations.findById(funderId, tx);
      if (!funder?.kinds.includes('funder')) {
        throw new IdentityError('PARTNERSHIP_INVALID', 'funderId must be an organisation of kind funder', { field: 'funderId' });
      }
      const distributor = await this.organisations.findById(distributorId, tx);
      if (!distributor?.kinds.includes('distributor')) {
        throw new IdentityError('PARTNERSHIP_INVALID', 'distributorId must be an organisation of kind distributor', {
          field: 'distributorId',
        });
      }
      const created = await this.partnerships.insert(tx, funderId, distributorId);
      await this.audit.append(tx, {
        action: 'partnership.created',
        actor: actorOf(principal),
        subject: { type: 'partnership', id: created.id },
        facts: { funderId, distributorId },
        requestId,
      });
      return toPartnershipDto(created);
    });
  }

  /** The operator sees every partnership; a funder or distributor those it is a side of. */
  async list(principal: Principal, query: ListPartnershipsQueryDto): Promise<Page<PartnershipDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.partnerships.list({
      involving: isOperator(principal) ? undefined : principal.organisationId,
      funderId: query.funderId?.toLowerCase(),
      distributorId: query.distributorId?.toLowerCase(),
      active: query.active === undefined ? undefined : query.active === 'true',
      after: decodeTimeCursor(query.cursor),
      limit,
    });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toPartnershipDto), nextCursor: page.nextCursor };
  }

  /** Ends the partnership (operator admin); ending an ended one changes nothing and logs nothing. */
  async end(principal: Principal, id: string, requestId?: string): Promise<PartnershipDto> {
    return this.tx.run(async (tx) => {
      const ended = await this.partnerships.end(tx, id);
      if (!ended) {
        const existing = await this.partnerships.findById(id, tx);
        if (!existing) throw new IdentityError('NOT_FOUND', 'partnership not found');
        return toPartnershipDto(existing);
      }
      const reason: PartnershipEndReason = 'ENDED_BY_OPERATOR';
      await this.audit.append(tx, {
        action: 'partnership.ended',
        actor: actorOf(principal),
        subject: { type: 'partnership', id },
        reason,
        facts: { funderId: ended.funderId, distributorId: ended.distributorId },
        requestId,
      });
      return toPartnershipDto(ended);
    });
  }
}

function toPartnershipDto(r: PartnershipRecord): PartnershipDto {
  return {
    id: r.id,
    funderId: r.funderId,
    distributorId: r.distributorId,
    createdAt: r.createdAt.toISOString(),
    endedAt: r.endedAt ? r.endedAt.toISOString() : null,
  };
}
