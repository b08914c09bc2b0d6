import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { communeName, DEFAULT_PAGE_SIZE, Page, toPage } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, decodeTimeCursor, Principal } from '@sillage/identity';
import { ownsOrOperates, requireOwnSiteOrOperator, requireSite, notFound } from '../site-access';
import { SitesError } from '../sites.errors';
import { ListSitesQueryDto } from './dto/list-sites.query.dto';
import { SiteDto } from './dto/site.dto';
import { UpdateSiteProfileDto } from './dto/update-site-profile.dto';
import { ProfileRow, ProfileValues, SiteRecord, SiteRepository } from './site.repository';

/** Site profiles: what a site declares (coordinates, service catalogue, accepted charter), and who may read it. */
@Injectable()
export class SiteProfilesService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The site itself and the operator read everything. Funders and distributors (the people who send
   * beneficiaries there) read a site's public facts once it is qualified; otherwise 404, as for
   * another site reading it.
   */
  async get(principal: Principal, id: string): Promise<SiteDto> {
    const site = requireSite(principal, await this.sites.findById(id));
    if (ownsOrOperates(principal, site.id)) return toSiteDto(site, 'full');
    const sendsBeneficiaries = principal.organisationKinds.includes('funder') || principal.organisationKinds.includes('distributor');
    if (sendsBeneficiaries && site.status === 'qualified') return toSiteDto(site, 'public');
    throw notFound();
  }

  /** The operator's list of sites (the qualification queue with `status=applied`). */
  async list(query: ListSitesQueryDto): Promise<Page<SiteDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.sites.list({
      status: query.status,
      communeCode: query.communeCode,
      departmentCode: query.departmentCode,
      q: query.q,
      after: decodeTimeCursor(query.cursor),
      limit,
    });
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map((r) => toSiteDto(r, 'full')), nextCursor: page.nextCursor };
  }

  /**
   * Creates the profile on the first call (status draft), replaces it afterwards. Categories must be
   * active codes of the operator's list. A call that changes nothing writes nothing.
   */
  async update(principal: Principal, id: string, input: UpdateSiteProfileDto, requestId?: string): Promise<SiteDto> {
    requireOwnSiteOrOperator(principal, await this.sites.findById(id));
    const codes = input.serviceCategoryCodes;
    const unknown = await this.sites.codesNotActive(codes);
    if (unknown.length > 0) {
      throw new SitesError(
        'CATEGORY_UNKNOWN',
        `not active service categories of the operator’s list: ${unknown.join(', ')} (see GET /v1/service-categories?active=true)`,
        { field: 'serviceCategoryCodes', meta: { unknownCodes: unknown } },
      );
    }
    const coordinates = input.latitude != null && input.longitude != null;
    return this.tx.run(async (tx) => {
      const current = await this.sites.lockProfile(tx, id);
      const values: ProfileValues = {
        latitude: coordinates ? input.latitude! : null,
        longitude: coordinates ? input.longitude! : null,
        serviceCategoryCodes: codes,
        charterVersion: input.charterVersion ?? current?.charterVersion ?? null,
        charterAcceptedNow: input.charterVersion !== undefined && input.charterVersion !== current?.charterVersion,
      };
      let changed = true;
      if (!current) {
        // Created by a concurrent first call meanwhile: lock it and apply this call as an update.
        if (!(await this.sites.insertProfile(tx, id, values))) await this.apply(tx, id, values, await this.sites.lockProfile(tx, id));
      } else {
        changed = await this.apply(tx, id, values, current);
      }
      if (changed) {
        await this.audit.append(tx, {
          action: 'site.profile_updated',
          actor: actorOf(principal),
          subject: { type: 'site', id },
          requestId,
        });
      }
      return toSiteDto((await this.sites.findById(id, tx))!, 'full');
    });
  }

  private async apply(tx: Tx, id: string, values: ProfileValues, current: ProfileRow | undefined): Promise<boolean> {
    if (current && !differs(current, values)) return false;
    await this.sites.updateProfile(tx, id, values);
    return true;
  }
}

function differs(current: ProfileRow, v: ProfileValues): boolean {
  const sameCodes =
    current.serviceCategoryCodes.length === v.serviceCategoryCodes.length &&
    current.serviceCategoryCodes.every((c, i) => c === v.serviceCategoryCodes[i]);
  return (
    v.charterAcceptedNow ||
    !sameCodes ||
    toNumber(current.latitude) !== v.latitude ||
    toNumber(current.longitude) !== v.longitude ||
    current.charterVersion !== v.charterVersion
  );
}

function toNumber(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}

/** `full` for the site itself and the operator; `public` for funders and distributors. */
export function toSiteDto(s: SiteRecord, view: 'full' | 'public'): SiteDto {
  const dto: SiteDto = {
    id: s.id,
    legalName: s.legalName,
    address: { line: s.addressLine, postcode: s.postcode, communeCode: s.communeCode, communeName: communeName(s.communeCode) ?? null },
    latitude: s.latitude,
    longitude: s.longitude,
    serviceCategoryCodes: s.serviceCategoryCodes,
    status: s.status,
    currentLabel:
      s.labelName !== null && s.labelValidFrom !== null && s.labelValidUntil !== null
        ? { name: s.labelName, validFrom: s.labelValidFrom, validUntil: s.labelValidUntil, validToday: s.labelValidToday }
        : null,
  };
  if (view === 'public') return dto;
  return {
    ...dto,
    siren: s.siren,
    siret: s.siret,
    charterVersion: s.charterVersion,
    charterAcceptedAt: s.charterAcceptedAt?.toISOString() ?? null,
    statusChangedAt: s.statusChangedAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
