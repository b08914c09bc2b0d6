import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { DEFAULT_PAGE_SIZE, Page, PageQueryDto, toPage } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, decodeTimeCursor, Principal } from '@sillage/identity';
import { SiteRepository } from '../profiles/site.repository';
import { requireOwnSiteOrOperator, requireSite } from '../site-access';
import { SitesError } from '../sites.errors';
import { checkBankDetails, ibanLast4, maskIban } from './bank-details';
import { BankAccountDto } from './dto/bank-account.dto';
import { ListBankAccountsQueryDto } from './dto/list-bank-accounts.query.dto';
import { RejectBankAccountDto } from './dto/reject-bank-account.dto';
import { RequestBankAccountDto } from './dto/request-bank-account.dto';
import { BankAccountRecord, pendingAlready, SiteBankAccountRepository } from './site-bank-account.repository';

/** Roles that see full IBANs (the site's and the operator's); every other role sees them masked. */
const FULL_IBAN_ROLES: readonly string[] = ['admin', 'finance'];

/**
 * A site's bank accounts under four eyes: a change is requested (by the site's admin or finance
 * user, or the operator on its behalf), then verified or rejected by an operator admin or finance
 * user who is not the requester. Verification makes it the current account and supersedes the
 * previous one in the same transaction, so exactly one account is current at any instant after the
 * first verification, and history keeps each account's validity range.
 */
@Injectable()
export class BankAccountsService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly accounts: SiteBankAccountRepository,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async request(principal: Principal, siteId: string, input: RequestBankAccountDto, requestId?: string): Promise<BankAccountDto> {
    requireOwnSiteOrOperator(principal, await this.sites.findById(siteId));
    const { iban, bic } = checkBankDetails(input);
    return this.tx.run(async (tx) => {
      if (await this.accounts.findPending(tx, siteId)) throw pendingAlready();
      const created = await this.accounts.insertPending(tx, { siteId, iban, bic, holderName: input.holderName, requestedBy: principal.id });
      await this.audit.append(tx, {
        action: 'site.bank_account_requested',
        actor: actorOf(principal),
        subject: { type: 'site', id: siteId },
        facts: { bankAccountId: created.id, ibanLast4: ibanLast4(iban) },
        requestId,
      });
      return toDto(created, principal);
    });
  }

  /** pending → verified by a second person; the previous verified account becomes superseded at the same instant. */
  async verify(principal: Principal, siteId: string, accountId: string, requestId?: string): Promise<BankAccountDto> {
    requireSite(principal, await this.sites.findById(siteId));
    return this.tx.run(async (tx) => {
      const account = await this.pendingForDecision(tx, principal, siteId, accountId);
      await this.accounts.verify(tx, siteId, accountId, principal.id);
      await this.audit.append(tx, {
        action: 'site.bank_account_verified',
        actor: actorOf(principal),
        subject: { type: 'site', id: siteId },
        facts: { bankAccountId: accountId, ibanLast4: ibanLast4(account.iban) },
        requestId,
      });
      return toDto((await this.accounts.findById(tx, accountId))!, principal);
    });
  }

  async reject(
    principal: Principal,
    siteId: string,
    accountId: string,
    input: RejectBankAccountDto,
    requestId?: string,
  ): Promise<BankAccountDto> {
    requireSite(principal, await this.sites.findById(siteId));
    return this.tx.run(async (tx) => {
      await this.pendingForDecision(tx, principal, siteId, accountId);
      await this.accounts.reject(tx, accountId, principal.id, input.reasonCode);
      await this.audit.append(tx, {
        action: 'site.bank_account_rejected',
        actor: actorOf(principal),
        subject: { type: 'site', id: siteId },
        reason: input.reasonCode,
        facts: { bankAccountId: accountId },
        requestId,
      });
      return toDto((await this.accounts.findById(tx, accountId))!, principal);
    });
  }

  /** The site's account, locked, still pending, and decided by someone other than its requester. */
  private async pendingForDecision(tx: Tx, principal: Principal, siteId: string, accountId: string): Promise<BankAccountRecord> {
    const account = await this.accounts.findForUpdate(tx, siteId, accountId);
    if (!account) throw new SitesError('NOT_FOUND', 'bank account not found for this site');
    if (account.status !== 'pending') {
      throw new SitesError('BANK_ACCOUNT_NOT_PENDING', `this bank account was already decided (status ${account.status})`, {
        meta: { status: account.status },
      });
    }
    if (account.requestedBy === principal.id) {
      throw new SitesError(
        'FOUR_EYES_REQUIRED',
        'a bank account change is verified or rejected by someone other than the person who requested it',
      );
    }
    return account;
  }

  /** The site's requests, oldest first (the site itself, the operator); IBANs masked for roles other than admin and finance. */
  /** Every site's accounts in one status, pending by default: the operator's queue of changes to verify. */
  async listByStatus(principal: Principal, query: ListBankAccountsQueryDto): Promise<Page<BankAccountDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.accounts.listByStatus(query.status ?? 'pending', decodeTimeCursor(query.cursor), limit);
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map((r) => toDto(r, principal)), nextCursor: page.nextCursor };
  }

  async list(principal: Principal, siteId: string, query: PageQueryDto): Promise<Page<BankAccountDto>> {
    requireOwnSiteOrOperator(principal, await this.sites.findById(siteId));
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.accounts.list(siteId, decodeTimeCursor(query.cursor), limit);
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map((r) => toDto(r, principal)), nextCursor: page.nextCursor };
  }
}

function toDto(a: BankAccountRecord, principal: Principal): BankAccountDto {
  const full = FULL_IBAN_ROLES.includes(principal.role);
  return {
    id: a.id,
    siteId: a.siteId,
    iban: full ? a.iban : maskIban(a.iban),
    ibanMasked: !full,
    ibanLast4: ibanLast4(a.iban),
    bic: a.bic,
    holderName: a.holderName,
    status: a.status,
    requestedBy: a.requestedBy,
    requestedAt: a.requestedAt.toISOString(),
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    rejectReason: a.rejectReason,
    validFrom: a.validFrom?.toISOString() ?? null,
    validUntil: a.validUntil?.toISOString() ?? null,
  };
}
