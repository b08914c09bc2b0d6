import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { CommonError, Page, requireSomeField, toPage } from '@sillage/common';

import { TransactionRunner } from '@sillage/db';
import { AccessScope } from '../access/access-scope';
import { isOperator, OrganisationKind, Principal } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { PartnershipRepository } from '../partnerships/partnership.repository';
import { actorOf, decodeTimeCursor } from './directory-support';
import { CreateOrganisationDto } from './dto/create-organisation.dto';
import { ListOrganisationsQueryDto } from './dto/list-organisations.query.dto';
import { OrganisationDto } from './dto/organisation.dto';
import { DEFAULT_PAGE_SIZE } from '@sillage/common';

import { UpdateOrganisationDto } from './dto/update-organisation.dto';
import { FunderType, OrganisationChanges, OrganisationRecord, OrganisationRepository } from './organisation.repository';

/** Fields only the operator's admin may change; an organisation's own admin gets 403 on them. */
const OPERATOR_ONLY_FIELDS = ['kinds', 'funderType', 'siren', 'siret'] as const;

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly partnerships: PartnershipRepository,
    private readonly scope: AccessScope,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  /** Operator admin only (checked by the route). The operator organisation itself comes from the CLI. */
  async create(principal: Principal, input: CreateOrganisationDto, requestId?: string): Promise<OrganisationDto> {
    if (input.kinds.includes('operator')) {
      throw new IdentityError('ORGANISATION_KIND_INVALID', 'the operator organisation is created with the CLI, not through the API', {
        field: 'kinds',
      });
    }
    const funderType = checkFunderType(input.kinds, input.funderType ?? null, input.funderType !== undefined);
    checkSiretMatchesSiren(input.siren, input.siret ?? null, 'siret');
    return this.tx.run(async (tx) => {
      const created = await this.organisations.insert(tx, {
        kinds: input.kinds,
        funderType,
        legalName: input.legalName,
        siren: input.siren,
        siret: input.siret ?? null,
        addressLine: input.address.line,
        postcode: input.address.postcode,
        communeCode: input.address.communeCode,
      });
      await this.audit.append(tx, {
        action: 'organisation.created',
        actor: actorOf(principal),
        subject: { type: 'organisation', id: created.id },
        facts: { kinds: created.kinds.join(','), funderType: created.funderType, communeCode: created.communeCode },
        requestId,
      });
      return toOrganisationDto(created);
    });
  }

  async list(principal: Principal, query: ListOrganisationsQueryDto): Promise<Page<OrganisationDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeTimeCursor(query.cursor);
    const visible = await this.scope.visibleOrganisationIds(principal);
    const rows = await this.organisations.list({ visible, kind: query.kind, q: query.q, communeCode: query.communeCode, after, limit });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toOrganisationDto), nextCursor: page.nextCursor };
  }

  /** 404 when the organisation does not exist or is outside the caller's relationships. */
  async get(principal: Principal, id: string): Promise<OrganisationDto> {
    const found = await this.organisations.findById(id);
    if (!found || !(await this.scope.canSeeOrganisation(principal, id))) throw new IdentityError('NOT_FOUND', 'organisation not found');
    return toOrganisationDto(found);
  }

  /**
   * The operator's admin may change every field; an organisation's own admin its legal name and
   * address. A partner that can see the organisation but not change it gets 403; anyone else 404.
   */
  async update(principal: Principal, id: string, input: UpdateOrganisationDto, requestId?: string): Promise<OrganisationDto> {
    requireSomeField(input);
    if (!isOperator(principal)) {
      if (principal.organisationId !== id) {
        if (await this.scope.canSeeOrganisation(principal, id)) {
          throw new IdentityError('FORBIDDEN', "only the organisation's own admin or the operator may change it");
        }
        throw new IdentityError('NOT_FOUND', 'organisation not found');
      }
      const restricted = OPERATOR_ONLY_FIELDS.find((f) => input[f] !== undefined);
      if (restricted) throw new IdentityError('FORBIDDEN', `only the operator may change ${restricted}`, { field: restricted });
    }

    return this.tx.run(async (tx) => {
      const current = await this.organisations.findByIdForUpdate(tx, id);
      if (!current) throw new IdentityError('NOT_FOUND', 'organisation not found');

      const kinds = input.kinds ?? current.kinds;
      if (kinds.includes('operator') !== current.kinds.includes('operator')) {
        throw new IdentityError('ORGANISATION_KIND_INVALID', 'the operator kind cannot be added or removed', { field: 'kinds' });
      }
      for (const side of ['funder', 'distributor'] as const) {
        if (current.kinds.includes(side) && !kinds.includes(side) && (await this.partnerships.hasActivePartnershipAs(tx, id, side))) {
          throw new IdentityError('ORGANISATION_KIND_INVALID', `end this organisation's partnerships as ${side} before removing the kind`, {
            field: 'kinds',
          });
        }
      }
      const requestedFunderType = input.funderType !== undefined ? input.funderType : kinds.includes('funder') ? current.funderType : null;
      const funderType = checkFunderType(kinds, requestedFunderType, input.funderType !== undefined);
      const siren = input.siren ?? current.siren;
      const siret = input.siret !== undefined ? input.siret : current.siret;
      checkSiretMatchesSiren(siren, siret, input.siret !== undefined ? 'siret' : 'siren');

      const wanted: OrganisationChanges = {
        kinds,
        funderType,
        legalName: input.legalName ?? current.legalName,
        siren,
        siret,
        addressLine: input.address?.line ?? current.addressLine,
        postcode: input.address?.postcode ?? current.postcode,
        communeCode: input.address?.communeCode ?? current.communeCode,
      };
      const changes = diff(current, wanted);
      const changed = Object.keys(changes);
      if (changed.length === 0) return toOrganisationDto(current);

      const updated = await this.organisations.update(tx, id, changes);
      await this.audit.append(tx, {
        action: 'organisation.updated',
        actor: actorOf(principal),
        subject: { type: 'organisation', id },
        facts: {
          changed: changedFieldNames(changed).join(','),
          kinds: updated.kinds.join(','),
          funderType: updated.funderType,
          communeCode: updated.communeCode,
        },
        requestId,
      });
      return toOrganisationDto(updated);
    });
  }
}

export function toOrganisationDto(r: OrganisationRecord): OrganisationDto {
  return {
    id: r.id,
    kinds: r.kinds,
    funderType: r.funderType,
    legalName: r.legalName,
    siren: r.siren,
    siret: r.siret,
    address: { line: r.addressLine, postcode: r.postcode, communeCode: r.communeCode },
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** A funder has a funder type; nothing else has one. */
function checkFunderType(kinds: OrganisationKind[], funderType: FunderType | null, sent: boolean): FunderType | null {
  if (kinds.includes('funder') && funderType === null) {
    throw new IdentityError('ORGANISATION_KIND_INVALID', 'funderType is required for a funder', { field: 'funderType' });
  }
  if (!kinds.includes('funder') && funderType !== null && sent) {
    throw new IdentityError('ORGANISATION_KIND_INVALID', 'only a funder has a funderType', { field: 'funderType' });
  }
  return kinds.includes('funder') ? funderType : null;
}

function checkSiretMatchesSiren(siren: string, siret: string | null, field: 'siret' | 'siren'): void {
  if (siret !== null && siret.slice(0, 9) !== siren) {
    throw new CommonError('VALIDATION_FAILED', 'the first 9 digits of siret must be the siren', {
      field,
      errors: [{ field, code: 'siretMatchesSiren', message: 'the first 9 digits of siret must be the siren' }],
    });
  }
}

function diff(current: OrganisationRecord, wanted: OrganisationChanges): OrganisationChanges {
  const changes: OrganisationChanges = {};
  for (const key of Object.keys(wanted) as (keyof OrganisationChanges)[]) {
    const before = current[key];
    const after = wanted[key];
    const same = Array.isArray(before) && Array.isArray(after) ? sameSet(before, after) : before === after;
    if (!same) Object.assign(changes, { [key]: after });
  }
  return changes;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Field names as the API spells them (the three address columns are one `address`). */
function changedFieldNames(columns: string[]): string[] {
  const names = columns.map((c) => (c === 'addressLine' || c === 'postcode' || c === 'communeCode' ? 'address' : c));
  return [...new Set(names)].sort();
}
