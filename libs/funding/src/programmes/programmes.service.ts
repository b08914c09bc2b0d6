import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Page, requireSomeField, toPage } from '@sillage/common';

import { TransactionRunner } from '@sillage/db';
import { actorOf, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { EntityManager } from 'typeorm';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';

import { FundingError } from '../funding.errors';
import { cents } from '../shared/validation';
import { CreateFundingSourceDto } from './dto/create-funding-source.dto';
import { CreateProgrammeDto } from './dto/create-programme.dto';
import { FundingSourceDto } from './dto/funding-source.dto';
import { ListProgrammesQueryDto } from './dto/list-programmes.query.dto';
import { ProgrammeDto } from './dto/programme.dto';
import { UpdateProgrammeDto } from './dto/update-programme.dto';
import { FundingSourceRecord, ProgrammeFields, ProgrammeRecord, ProgrammeRepository } from './programme.repository';

/** Key dates, when given, follow each other: announced ≤ launched ≤ laureates published. */
function assertDateOrder(f: ProgrammeFields): void {
  if (f.announcedOn && f.launchedOn && f.launchedOn < f.announcedOn) {
    throw new FundingError('DATES_OUT_OF_ORDER', 'launchedOn must not precede announcedOn', { field: 'launchedOn' });
  }
  const before = f.launchedOn ?? f.announcedOn;
  if (before && f.laureatesPublishedOn && f.laureatesPublishedOn < before) {
    throw new FundingError('DATES_OUT_OF_ORDER', 'laureatesPublishedOn must not precede the launch or announcement', {
      field: 'laureatesPublishedOn',
    });
  }
}

/**
 * Programmes and their funding sources. Written by operator admins; read by the operator, and by a
 * funder for the programmes of which it holds a grant (without the figures mixing several funders).
 */
@Injectable()
export class ProgrammesService {
  constructor(
    private readonly programmes: ProgrammeRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, input: CreateProgrammeDto, requestId?: string): Promise<ProgrammeDto> {
    const fields: ProgrammeFields = {
      name: input.name,
      maxCofinancingRateBp: input.maxCofinancingRateBp,
      announcedOn: input.announcedOn ?? null,
      launchedOn: input.launchedOn ?? null,
      laureatesPublishedOn: input.laureatesPublishedOn ?? null,
    };
    assertDateOrder(fields);
    const policyId = input.policyId.toLowerCase();
    return this.tx.run(async (tx) => {
      if (!(await this.programmes.policyExists(tx, policyId)))
        throw new FundingError('NOT_FOUND', 'policy not found', { field: 'policyId' });
      const created = await this.programmes.insert(tx, policyId, fields);
      await this.audit.append(tx, {
        action: 'programme.created',
        actor: actorOf(principal),
        subject: { type: 'programme', id: created.id },
        facts: { policyId, maxCofinancingRateBp: created.maxCofinancingRateBp, laureatesPublishedOn: fields.laureatesPublishedOn },
        requestId,
      });
      return this.toDto(principal, created, tx);
    });
  }

  async update(principal: Principal, id: string, input: UpdateProgrammeDto, requestId?: string): Promise<ProgrammeDto> {
    requireSomeField(input);
    return this.tx.run(async (tx) => {
      const current = await this.programmes.lockById(tx, id);
      if (!current) throw new FundingError('NOT_FOUND', 'programme not found');
      const fields: ProgrammeFields = {
        name: input.name ?? current.name,
        maxCofinancingRateBp: input.maxCofinancingRateBp ?? current.maxCofinancingRateBp,
        announcedOn: input.announcedOn ?? current.announcedOn,
        launchedOn: input.launchedOn ?? current.launchedOn,
        laureatesPublishedOn: input.laureatesPublishedOn ?? current.laureatesPublishedOn,
      };
      assertDateOrder(fields);
      if (input.maxCofinancingRateBp !== undefined && input.maxCofinancingRateBp < (await this.programmes.highestGrantRateBp(tx, id))) {
        throw new FundingError('PROGRAMME_MAX_BELOW_GRANTS', 'a grant of this programme has a higher co-financing rate', {
          field: 'maxCofinancingRateBp',
        });
      }
      const updated = await this.programmes.update(tx, id, fields);
      const changed = Object.keys(input)
        .filter((k) => input[k as keyof UpdateProgrammeDto] !== undefined)
        .sort()
        .join(',');
      await this.audit.append(tx, {
        action: 'programme.updated',
        actor: actorOf(principal),
        subject: { type: 'programme', id },
        facts: {
          policyId: updated.policyId,
          changed,
          maxCofinancingRateBp: updated.maxCofinancingRateBp,
          laureatesPublishedOn: fields.laureatesPublishedOn,
        },
        requestId,
      });
      return this.toDto(principal, updated, tx);
    });
  }

  async addFundingSource(principal: Principal, id: string, input: CreateFundingSourceDto, requestId?: string): Promise<FundingSourceDto> {
    return this.tx.run(async (tx) => {
      const programme = await this.programmes.lockById(tx, id);
      if (!programme) throw new FundingError('NOT_FOUND', 'programme not found');
      const created = await this.programmes.insertFundingSource(tx, { programmeId: id, ...input });
      await this.audit.append(tx, {
        action: 'programme.funding_source_added',
        actor: actorOf(principal),
        subject: { type: 'programme', id },
        facts: { fundingSourceId: created.id, policyId: programme.policyId, amountCents: input.amountCents, obtainedOn: input.obtainedOn },
        requestId,
      });
      return toFundingSourceDto(created);
    });
  }

  async get(principal: Principal, id: string): Promise<ProgrammeDto> {
    const programme = await this.programmes.findById(id);
    if (!programme || !(isOperator(principal) || (await this.programmes.hasGrantTo(id, principal.organisationId)))) {
      throw new FundingError('NOT_FOUND', 'programme not found');
    }
    return this.toDto(principal, programme);
  }

  /** The operator lists every programme; a funder those of which it holds a grant. */
  async list(principal: Principal, query: ListProgrammesQueryDto): Promise<Page<ProgrammeDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const asked = query.funderId?.toLowerCase();
    let funderId = asked;
    if (!isOperator(principal)) {
      if (asked !== undefined && asked !== principal.organisationId) return { items: [], nextCursor: null };
      funderId = principal.organisationId;
    }
    const rows = await this.programmes.list({
      policyId: query.policyId?.toLowerCase(),
      funderId,
      after: decodeTimeCursor(query.cursor),
      limit,
    });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: await this.toDtos(principal, page.items), nextCursor: page.nextCursor };
  }

  private async toDto(principal: Principal, p: ProgrammeRecord, em?: EntityManager): Promise<ProgrammeDto> {
    return (await this.toDtos(principal, [p], em))[0];
  }

  private async toDtos(principal: Principal, rows: ProgrammeRecord[], em?: EntityManager): Promise<ProgrammeDto[]> {
    const ids = rows.map((r) => r.id);
    const sources = await this.programmes.fundingSourcesOf(ids, em);
    const totals = isOperator(principal) ? await this.programmes.totalsAttributed(ids, em) : undefined;
    return rows.map((p) => {
      const own = sources.filter((s) => s.programmeId === p.id);
      return {
        id: p.id,
        policyId: p.policyId,
        name: p.name,
        maxCofinancingRateBp: p.maxCofinancingRateBp,
        announcedOn: p.announcedOn,
        launchedOn: p.launchedOn,
        laureatesPublishedOn: p.laureatesPublishedOn,
        fundingSources: own.map(toFundingSourceDto),
        totalObtainedCents: own.reduce((sum, s) => sum + cents(s.amountCents), 0),
        totalAttributedCents: totals ? (totals.get(p.id) ?? 0) : null,
        createdAt: p.createdAt.toISOString(),
        updatedAt: p.updatedAt.toISOString(),
      };
    });
  }
}

function toFundingSourceDto(s: FundingSourceRecord): FundingSourceDto {
  return {
    id: s.id,
    programmeId: s.programmeId,
    label: s.label,
    amountCents: cents(s.amountCents),
    obtainedOn: s.obtainedOn,
    reference: s.reference,
    createdAt: s.createdAt.toISOString(),
  };
}
