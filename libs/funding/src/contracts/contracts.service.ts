import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { Page, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { actorOf, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';
import { FundingError } from '../funding.errors';
import { ContractRecord, ContractRepository } from './contract.repository';
import { ContractDto } from './dto/contract.dto';
import { CreateContractDto } from './dto/create-contract.dto';
import { ListContractsQueryDto } from './dto/list-contracts.query.dto';

/** Contracts between a funder and the operator. Written by operator admins; read by the operator and the funder. */
@Injectable()
export class ContractsService {
  constructor(
    private readonly contracts: ContractRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, input: CreateContractDto, requestId?: string): Promise<ContractDto> {
    if (input.notifiedOn < input.publishedOn) {
      throw new FundingError('DATES_OUT_OF_ORDER', 'notifiedOn must not precede publishedOn', { field: 'notifiedOn' });
    }
    if (input.endDate < input.notifiedOn) {
      throw new FundingError('DATES_OUT_OF_ORDER', 'endDate must not precede notifiedOn', { field: 'endDate' });
    }
    const funderId = input.funderId.toLowerCase();
    return this.tx.run(async (tx) => {
      if (!(await this.contracts.organisationKinds(tx, funderId))?.includes('funder')) {
        throw new FundingError('FUNDER_INVALID', 'funderId must be an organisation of kind funder', { field: 'funderId' });
      }
      const created = await this.contracts.insert(tx, { ...input, funderId });
      await this.audit.append(tx, {
        action: 'contract.created',
        actor: actorOf(principal),
        subject: { type: 'contract', id: created.id },
        facts: { funderId, upstreamFeeRateBp: created.upstreamFeeRateBp, publishedOn: input.publishedOn, notifiedOn: input.notifiedOn },
        requestId,
      });
      return toContractDto(created);
    });
  }

  async get(principal: Principal, id: string): Promise<ContractDto> {
    const contract = await this.contracts.findById(id);
    if (!contract || !(isOperator(principal) || contract.funderId === principal.organisationId)) {
      throw new FundingError('NOT_FOUND', 'contract not found');
    }
    return toContractDto(contract);
  }

  /** The operator lists every contract; a funder its own. */
  async list(principal: Principal, query: ListContractsQueryDto): Promise<Page<ContractDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const asked = query.funderId?.toLowerCase();
    if (!isOperator(principal) && asked !== undefined && asked !== principal.organisationId) return { items: [], nextCursor: null };
    const rows = await this.contracts.list({
      funderId: isOperator(principal) ? asked : principal.organisationId,
      after: decodeTimeCursor(query.cursor),
      limit,
    });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toContractDto), nextCursor: page.nextCursor };
  }
}

function toContractDto(c: ContractRecord): ContractDto {
  return {
    id: c.id,
    funderId: c.funderId,
    reference: c.reference,
    publishedOn: c.publishedOn,
    notifiedOn: c.notifiedOn,
    endDate: c.endDate,
    upstreamFeeRateBp: c.upstreamFeeRateBp,
    createdAt: c.createdAt.toISOString(),
  };
}
