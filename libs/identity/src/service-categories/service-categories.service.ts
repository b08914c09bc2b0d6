import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { CommonError, Page, decodeCursor, requireSomeField, toPage } from '@sillage/common';

import { TransactionRunner } from '@sillage/db';
import { Principal } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { actorOf } from '../organisations/directory-support';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';

import { CreateServiceCategoryDto } from './dto/create-service-category.dto';
import { ListServiceCategoriesQueryDto } from './dto/list-service-categories.query.dto';
import { ServiceCategoryDto } from './dto/service-category.dto';
import { UpdateServiceCategoryDto } from './dto/update-service-category.dto';
import {
  SERVICE_CATEGORY_CODE,
  ServiceCategoryChanges,
  ServiceCategoryRecord,
  ServiceCategoryRepository,
} from './service-category.repository';

/** The operator's reference list of services a site may deliver. */
@Injectable()
export class ServiceCategoriesService {
  constructor(
    private readonly categories: ServiceCategoryRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async list(query: ListServiceCategoriesQueryDto): Promise<Page<ServiceCategoryDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    if (cursor && (cursor.k !== cursor.id || !SERVICE_CATEGORY_CODE.test(cursor.k))) {
      throw new CommonError('INVALID_CURSOR', 'cursor is not a cursor returned by this API', { field: 'cursor' });
    }
    const rows = await this.categories.list({
      active: query.active === undefined ? undefined : query.active === 'true',
      afterCode: cursor?.k,
      limit,
    });
    const page = toPage(rows, limit, (r) => ({ k: r.code, id: r.code }));
    return { items: page.items.map(toServiceCategoryDto), nextCursor: page.nextCursor };
  }

  /** Operator admin only (checked by the route). */
  async create(principal: Principal, input: CreateServiceCategoryDto, requestId?: string): Promise<ServiceCategoryDto> {
    return this.tx.run(async (tx) => {
      const created = await this.categories.insert(tx, {
        code: input.code,
        labelFr: input.labelFr,
        labelEn: input.labelEn,
        active: input.active ?? true,
      });
      await this.audit.append(tx, {
        action: 'service_category.created',
        actor: actorOf(principal),
        subject: { type: 'service_category', id: created.code },
        facts: { active: created.active },
        requestId,
      });
      return toServiceCategoryDto(created);
    });
  }

  /** Operator admin only (checked by the route). A code that is not a category code answers 404. */
  async update(principal: Principal, code: string, input: UpdateServiceCategoryDto, requestId?: string): Promise<ServiceCategoryDto> {
    requireSomeField(input);
    return this.tx.run(async (tx) => {
      const current = await this.categories.findForUpdate(tx, code);
      if (!current) throw new IdentityError('NOT_FOUND', 'service category not found', { field: 'code' });
      const changes: ServiceCategoryChanges = {};
      if (input.labelFr !== undefined && input.labelFr !== current.labelFr) changes.labelFr = input.labelFr;
      if (input.labelEn !== undefined && input.labelEn !== current.labelEn) changes.labelEn = input.labelEn;
      if (input.active !== undefined && input.active !== current.active) changes.active = input.active;
      const changed = Object.keys(changes).sort();
      if (changed.length === 0) return toServiceCategoryDto(current);
      const updated = await this.categories.update(tx, code, changes);
      await this.audit.append(tx, {
        action: 'service_category.updated',
        actor: actorOf(principal),
        subject: { type: 'service_category', id: code },
        facts: { changed: changed.join(','), active: updated.active },
        requestId,
      });
      return toServiceCategoryDto(updated);
    });
  }
}

function toServiceCategoryDto(r: ServiceCategoryRecord): ServiceCategoryDto {
  return {
    code: r.code,
    labelFr: r.labelFr,
    labelEn: r.labelEn,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
