import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { CommonError, DEFAULT_PAGE_SIZE, FieldProblem, Page, PageQueryDto, parisDate, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { actorOf, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { Ledger } from '@sillage/ledger';
import { SiteDto } from '../profiles/dto/site.dto';
import { toSiteDto } from '../profiles/site-profiles.service';
import { ProfileRow, SiteRecord, SiteRepository } from '../profiles/site.repository';
import { SiteStatus } from '../profiles/site-profile.entity';
import { requireOwnSiteOrOperator, requireSite } from '../site-access';
import { SitesError } from '../sites.errors';
import { QualificationDecisionDto } from './dto/qualification-decision.dto';
import { QualificationEntryDto } from './dto/qualification-entry.dto';
import { ALLOWED_FROM, APPLICATION_REASON, canDecide, DECISION_REASONS, OperatorDecision, reasonFits } from './qualification-rules';
import { SiteQualificationRepository } from './site-qualification.repository';

interface Label {
  labelName: string;
  labelValidFrom: string;
  labelValidUntil: string;
}

/**
 * Qualification: the site applies once its profile is complete; the operator's admin qualifies it
 * with a label, renews, suspends, lifts the suspension or revokes. Each step is one transaction under
 * the site_profile row lock: a history row (append-only), the profile's status, and an audit event.
 * The first qualification also opens the site's `site_payable` ledger account.
 */
@Injectable()
export class QualificationService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly history: SiteQualificationRepository,
    private readonly ledger: Ledger,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  /** draft → applied, by the site's admin, with a complete profile (PROFILE_INCOMPLETE lists what is missing). */
  async apply(principal: Principal, id: string, requestId?: string): Promise<SiteDto> {
    const site = requireOwnSiteOrOperator(principal, await this.sites.findById(id));
    return this.tx.run(async (tx) => {
      const profile = await this.sites.lockProfile(tx, id);
      const status: SiteStatus = profile?.status ?? 'draft';
      if (status !== 'draft') {
        throw new SitesError(
          'QUALIFICATION_TRANSITION_INVALID',
          status === 'revoked'
            ? 'this site’s qualification was revoked: it cannot apply again'
            : `this site already applied (status ${status}): only a draft site applies`,
          { meta: { status } },
        );
      }
      const missing = await this.missing(site, profile);
      if (missing.length > 0) {
        throw new SitesError('PROFILE_INCOMPLETE', `the profile is not complete: ${missing.map((m) => m.message).join('; ')}`, {
          field: missing[0].field,
          errors: missing,
          meta: { missing: missing.map((m) => m.field) },
        });
      }
      await this.history.append(tx, {
        siteId: id,
        decision: 'applied',
        reasonCode: APPLICATION_REASON,
        labelName: null,
        labelValidFrom: null,
        labelValidUntil: null,
        decidedBy: principal.id,
      });
      await this.sites.setStatus(tx, id, 'applied');
      await this.audit.append(tx, {
        action: 'site.applied',
        actor: actorOf(principal),
        subject: { type: 'site', id },
        reason: APPLICATION_REASON,
        facts: { charterVersion: profile!.charterVersion! },
        requestId,
      });
      return toSiteDto((await this.sites.findById(id, tx))!, 'full');
    });
  }

  /** What an application needs and the profile lacks: a SIRET, an active category, an accepted charter. */
  private async missing(site: SiteRecord, profile: ProfileRow | undefined): Promise<FieldProblem[]> {
    const out: FieldProblem[] = [];
    if (!site.siret) {
      out.push({
        field: 'siret',
        code: 'missing',
        message: 'the organisation has no SIRET: the operator records the establishment’s SIRET (PATCH /v1/organisations/{id})',
      });
    }
    const codes = profile?.serviceCategoryCodes ?? [];
    const inactive = await this.sites.codesNotActive(codes);
    if (codes.length === inactive.length) {
      out.push({
        field: 'serviceCategoryCodes',
        code: 'missing',
        message:
          codes.length === 0
            ? 'declare at least one service category'
            : `declare at least one active service category (${inactive.join(', ')} no longer active)`,
      });
    }
    if (!profile?.charterVersion) out.push({ field: 'charterVersion', code: 'missing', message: 'accept the charter (charterVersion)' });
    return out;
  }

  /** An operator admin's decision; see `ALLOWED_FROM` for the transitions. */
  async decide(principal: Principal, id: string, input: QualificationDecisionDto, requestId?: string): Promise<SiteDto> {
    const label = checkDecision(input);
    requireSite(principal, await this.sites.findById(id));
    return this.tx.run(async (tx) => {
      const profile = await this.sites.lockProfile(tx, id);
      const from: SiteStatus = profile?.status ?? 'draft';
      if (!canDecide(from, input.decision)) {
        const allowed = ALLOWED_FROM[input.decision];
        throw new SitesError(
          'QUALIFICATION_TRANSITION_INVALID',
          `a ${from} site cannot be ${input.decision}: only a site ${allowed.join(' or ')} can`,
          { field: 'decision', meta: { status: from, allowedFrom: allowed } },
        );
      }
      await this.history.append(tx, {
        siteId: id,
        decision: input.decision,
        reasonCode: input.reasonCode,
        labelName: label?.labelName ?? null,
        labelValidFrom: label?.labelValidFrom ?? null,
        labelValidUntil: label?.labelValidUntil ?? null,
        decidedBy: principal.id,
      });
      await this.sites.setStatus(tx, id, input.decision);
      // Only an applied site has never been qualified: its payable account opens with its first label.
      if (input.decision === 'qualified' && from === 'applied') {
        await this.ledger.openAccount(tx, { kind: 'site_payable', ownerOrganisationId: id });
      }
      await this.audit.append(tx, {
        action: `site.${input.decision}`,
        actor: actorOf(principal),
        subject: { type: 'site', id },
        reason: input.reasonCode,
        facts: label ? { labelName: label.labelName, validFrom: label.labelValidFrom, validUntil: label.labelValidUntil } : undefined,
        requestId,
      });
      return toSiteDto((await this.sites.findById(id, tx))!, 'full');
    });
  }

  /** The site's application and the operator's decisions, oldest first (the site itself, the operator). */
  async list(principal: Principal, id: string, query: PageQueryDto): Promise<Page<QualificationEntryDto>> {
    requireOwnSiteOrOperator(principal, await this.sites.findById(id));
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.history.history(id, decodeTimeCursor(query.cursor), limit);
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    const operator = isOperator(principal);
    return {
      items: page.items.map((r) => ({
        id: r.id,
        decision: r.decision,
        reasonCode: r.reasonCode,
        labelName: r.labelName,
        labelValidFrom: r.labelValidFrom,
        labelValidUntil: r.labelValidUntil,
        ...(operator ? { decidedBy: r.decidedBy } : {}),
        decidedAt: r.decidedAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }
}

/**
 * Input rules that need no database: the reason fits the decision; a qualified decision carries a
 * label whose range is ordered and not already over (Europe/Paris); other decisions carry none.
 */
export function checkDecision(input: QualificationDecisionDto, today: string = parisDate(new Date())): Label | undefined {
  const decision: OperatorDecision = input.decision;
  if (!reasonFits(decision, input.reasonCode)) {
    const message = `reasonCode ${input.reasonCode} is not a reason for a ${decision} decision: use one of ${DECISION_REASONS[decision].join(', ')}`;
    throw new CommonError('VALIDATION_FAILED', message, {
      field: 'reasonCode',
      errors: [{ field: 'reasonCode', code: 'isReasonOfDecision', message }],
    });
  }
  const fields = ['labelName', 'labelValidFrom', 'labelValidUntil'] as const;
  if (decision !== 'qualified') {
    const sent = fields.find((f) => input[f] !== undefined);
    if (sent) {
      const message = `${sent}: only a qualified decision carries a label`;
      throw new CommonError('VALIDATION_FAILED', message, {
        field: sent,
        errors: [{ field: sent, code: 'labelOnlyWhenQualified', message }],
      });
    }
    return undefined;
  }
  const absent = fields.filter((f) => input[f] === undefined);
  if (absent.length > 0) {
    throw new SitesError('LABEL_RANGE_INVALID', `a qualified decision grants a label: give ${absent.join(', ')}`, { field: absent[0] });
  }
  const label: Label = { labelName: input.labelName!, labelValidFrom: input.labelValidFrom!, labelValidUntil: input.labelValidUntil! };
  if (label.labelValidUntil < label.labelValidFrom) {
    throw new SitesError(
      'LABEL_RANGE_INVALID',
      `labelValidUntil (${label.labelValidUntil}) must not precede labelValidFrom (${label.labelValidFrom})`,
      { field: 'labelValidUntil' },
    );
  }
  if (label.labelValidUntil < today) {
    throw new SitesError(
      'LABEL_RANGE_INVALID',
      `labelValidUntil (${label.labelValidUntil}) is already over (today is ${today}, Europe/Paris)`,
      {
        field: 'labelValidUntil',
      },
    );
  }
  return label;
}
