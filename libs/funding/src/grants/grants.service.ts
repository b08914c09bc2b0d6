import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Page, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { actorOf, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';
import { FundingError } from '../funding.errors';
import { ProgrammeRepository } from '../programmes/programme.repository';
import { cents, centsOrNull, presentFacts } from '../shared/validation';
import { AmendmentListDto } from './dto/amendment-list.dto';
import { AmendmentDto } from './dto/amendment.dto';
import { CreateAmendmentDto } from './dto/create-amendment.dto';
import { CreateGrantDto } from './dto/create-grant.dto';
import { GrantDto } from './dto/grant.dto';
import { ListGrantsQueryDto } from './dto/list-grants.query.dto';
import { AmendmentReason } from './amendment-reasons';
import { AmendmentRecord, GrantRecord, GrantRepository } from './grant.repository';

/**
 * Grants (a programme's award to a funder) and their amendments. Written by operator admins; read
 * by the operator, and by the funder holding the grant. Anything else is 404.
 */
@Injectable()
export class GrantsService {
  constructor(
    private readonly grants: GrantRepository,
    private readonly programmes: ProgrammeRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, programmeId: string, input: CreateGrantDto, requestId?: string): Promise<GrantDto> {
    if (input.endDate < input.awardedOn) {
      throw new FundingError('DATES_OUT_OF_ORDER', 'endDate must not precede awardedOn', { field: 'endDate' });
    }
    const funderId = input.funderId.toLowerCase();
    return this.tx.run(async (tx) => {
      const programme = await this.programmes.lockById(tx, programmeId);
      if (!programme) throw new FundingError('NOT_FOUND', 'programme not found');
      if (!(await this.grants.organisationKinds(tx, funderId))?.includes('funder')) {
        throw new FundingError('FUNDER_INVALID', 'funderId must be an organisation of kind funder', { field: 'funderId' });
      }
      if (input.cofinancingRateBp > programme.maxCofinancingRateBp) {
        throw new FundingError(
          'COFINANCING_ABOVE_PROGRAMME_MAX',
          `cofinancingRateBp must not exceed the programme's maximum (${programme.maxCofinancingRateBp})`,
          { field: 'cofinancingRateBp' },
        );
      }
      const id = await this.grants.insert(tx, { ...input, programmeId, funderId });
      await this.audit.append(tx, {
        action: 'grant.created',
        actor: actorOf(principal),
        subject: { type: 'grant', id },
        facts: {
          programmeId,
          funderId,
          amountCents: input.amountCents,
          cofinancingRateBp: input.cofinancingRateBp,
          awardedOn: input.awardedOn,
        },
        requestId,
      });
      return toGrantDto((await this.grants.findById(id, tx)) as GrantRecord);
    });
  }

  /** A programme's grants: all for the operator; the caller's own for a funder (404 when it holds none). */
  async listForProgramme(principal: Principal, programmeId: string, query: ListGrantsQueryDto): Promise<Page<GrantDto>> {
    const operator = isOperator(principal);
    const programme = await this.programmes.findById(programmeId);
    if (!programme || !(operator || (await this.programmes.hasGrantTo(programmeId, principal.organisationId)))) {
      throw new FundingError('NOT_FOUND', 'programme not found');
    }
    const asked = query.funderId?.toLowerCase();
    if (!operator && asked !== undefined && asked !== principal.organisationId) return { items: [], nextCursor: null };
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.grants.list({
      programmeId,
      funderId: operator ? asked : principal.organisationId,
      after: decodeTimeCursor(query.cursor),
      limit,
    });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toGrantDto), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<GrantDto> {
    return toGrantDto(await this.visibleGrant(principal, id));
  }

  async amend(principal: Principal, grantId: string, input: CreateAmendmentDto, requestId?: string): Promise<AmendmentDto> {
    if (input.newEndDate === undefined && input.newAmountCents === undefined) {
      throw new FundingError('AMENDMENT_EMPTY', 'an amendment changes newEndDate, newAmountCents or both', { field: 'newAmountCents' });
    }
    return this.tx.run(async (tx) => {
      const grant = await this.grants.lockById(tx, grantId);
      if (!grant) throw new FundingError('NOT_FOUND', 'grant not found');
      if (input.amendedOn < grant.awardedOn || (grant.lastAmendedOn !== null && input.amendedOn < grant.lastAmendedOn)) {
        throw new FundingError('DATES_OUT_OF_ORDER', 'amendedOn must not precede the award date nor the previous amendment', {
          field: 'amendedOn',
        });
      }
      if (input.newEndDate !== undefined && input.newEndDate < grant.awardedOn) {
        throw new FundingError('DATES_OUT_OF_ORDER', 'newEndDate must not precede the award date', { field: 'newEndDate' });
      }
      const created = await this.grants.insertAmendment(tx, {
        grantId,
        amendedOn: input.amendedOn,
        reasonCode: input.reasonCode,
        newEndDate: input.newEndDate ?? null,
        newAmountCents: input.newAmountCents ?? null,
      });
      await this.audit.append(tx, {
        action: 'grant.amended',
        actor: actorOf(principal),
        subject: { type: 'grant', id: grantId },
        reason: input.reasonCode,
        facts: presentFacts({
          amendmentId: created.id,
          programmeId: grant.programmeId,
          funderId: grant.funderId,
          previousAmountCents: cents(grant.amountCents),
          newAmountCents: input.newAmountCents,
          endDateChanged: input.newEndDate !== undefined,
          amendedOn: input.amendedOn,
        }),
        requestId,
      });
      return toAmendmentDto(created);
    });
  }

  async history(principal: Principal, grantId: string): Promise<AmendmentListDto> {
    const grant = await this.visibleGrant(principal, grantId);
    return { grant: toGrantDto(grant), items: (await this.grants.amendmentsOf(grantId)).map(toAmendmentDto) };
  }

  private async visibleGrant(principal: Principal, id: string): Promise<GrantRecord> {
    const grant = await this.grants.findById(id);
    if (!grant || !(isOperator(principal) || grant.funderId === principal.organisationId)) {
      throw new FundingError('NOT_FOUND', 'grant not found');
    }
    return grant;
  }
}

function toGrantDto(g: GrantRecord): GrantDto {
  return {
    id: g.id,
    programmeId: g.programmeId,
    policyId: g.policyId,
    funderId: g.funderId,
    amountCents: cents(g.amountCents),
    endDate: g.endDate,
    initialAmountCents: cents(g.initialAmountCents),
    initialEndDate: g.initialEndDate,
    cofinancingRateBp: g.cofinancingRateBp,
    awardedOn: g.awardedOn,
    amendmentCount: g.amendmentCount,
    createdAt: g.createdAt.toISOString(),
  };
}

function toAmendmentDto(a: AmendmentRecord): AmendmentDto {
  return {
    id: a.id,
    grantId: a.grantId,
    amendedOn: a.amendedOn,
    reasonCode: a.reasonCode as AmendmentReason,
    newEndDate: a.newEndDate,
    newAmountCents: centsOrNull(a.newAmountCents),
    createdAt: a.createdAt.toISOString(),
  };
}
