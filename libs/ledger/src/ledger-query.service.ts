import { Injectable } from '@nestjs/common';
import { CommonError, decodeCursor, encodeCursor, Page } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { LedgerAccountDto } from './dto/ledger-account.dto';
import { LedgerBalanceDto } from './dto/ledger-balance.dto';
import { LedgerTransferDto } from './dto/ledger-transfer.dto';
import { LedgerCheckReport, LedgerChecker } from './ledger-checker';
import { LedgerError } from './ledger.errors';
import { LedgerRepository } from './ledger.repository';
import { AccountKind, LedgerAccount, LedgerTransfer } from './ledger.types';
import { Ledger } from './ledger';

const DEFAULT_PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function accountDto(a: LedgerAccount): LedgerAccountDto {
  return {
    id: a.id,
    code: a.code,
    kind: a.kind,
    ownerOrganisationId: a.ownerOrganisationId,
    orderId: a.orderId,
    currency: a.currency,
    debitsMustNotExceedCredits: a.flags.debitsMustNotExceedCredits,
    creditsMustNotExceedDebits: a.flags.creditsMustNotExceedDebits,
    createdAt: a.createdAt.toISOString(),
  };
}

function transferDto(t: LedgerTransfer): LedgerTransferDto {
  return {
    id: t.id,
    seq: t.seq,
    kind: t.kind,
    debitAccountId: t.debitAccountId,
    creditAccountId: t.creditAccountId,
    amount: t.amount,
    currency: t.currency,
    pendingId: t.pendingId,
    pendingAmount: t.pendingAmount,
    eventAt: t.eventAt.toISOString(),
    createdAt: t.createdAt.toISOString(),
    referenceType: t.reference?.type ?? null,
    referenceId: t.reference?.id ?? null,
    userData: t.userData,
  };
}

/** An ISO 8601 date-time with offset that names a real instant (no 31 February rolling over into March). */
function parseDateTime(at: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::([0-5]\d)(?:\.\d{1,6})?)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(at);
  const when = new Date(at);
  if (m && !Number.isNaN(when.getTime())) {
    const offsetMinutes = m[3] === 'Z' ? 0 : (m[4] === '-' ? -1 : 1) * (Number(m[5]) * 60 + Number(m[6]));
    if (new Date(when.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 16) === m[1]) return when;
  }
  throw new CommonError('VALIDATION_FAILED', 'at must be a valid ISO 8601 date-time with offset', { field: 'at' });
}

/**
 * Read side of the ledger API. Scope: the operator sees every account; any other organisation only
 * the accounts it owns (its funder, per-order and site accounts). Anything else answers 404.
 */
@Injectable()
export class LedgerQueryService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repo: LedgerRepository,
    private readonly ledger: Ledger,
  ) {}

  async listAccounts(
    principal: Principal,
    q: { kind?: AccountKind; orderId?: string; limit?: number; cursor?: string },
  ): Promise<Page<LedgerAccountDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeTimeCursor(q.cursor);
    const rows = await this.repo.listAccounts(
      this.transactions.manager,
      {
        ownerOrganisationId: isOperator(principal) ? undefined : principal.organisationId,
        kind: q.kind,
        orderId: q.orderId?.toLowerCase(),
      },
      after,
      limit + 1,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(accountDto),
      nextCursor: rows.length > limit && last ? encodeCursor({ k: last.cursorKey, id: last.id }) : null,
    };
  }

  async balance(principal: Principal, accountId: string, at?: string): Promise<LedgerBalanceDto> {
    const account = await this.visibleAccount(principal, accountId);
    let when: Date | undefined;
    if (at !== undefined) when = parseDateTime(at);
    const b = await this.ledger.balance(this.transactions.manager, account.id, when);
    return { accountId: account.id, currency: account.currency, at: when ? when.toISOString() : null, ...b };
  }

  async transfers(principal: Principal, accountId: string, q: { limit?: number; cursor?: string }): Promise<Page<LedgerTransferDto>> {
    const account = await this.visibleAccount(principal, accountId);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(q.cursor);
    if (cursor && (!/^[1-9]\d{0,15}$/.test(cursor.k) || !UUID.test(cursor.id))) {
      throw new CommonError('INVALID_CURSOR', 'cursor is not a cursor returned by this API', { field: 'cursor' });
    }
    const rows = await this.repo.listTransfers(this.transactions.manager, account.id, cursor ? Number(cursor.k) : undefined, limit + 1);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(transferDto),
      nextCursor: rows.length > limit && last ? encodeCursor({ k: String(last.seq), id: last.id }) : null,
    };
  }

  check(): Promise<LedgerCheckReport> {
    return new LedgerChecker(this.transactions.manager).run();
  }

  private async visibleAccount(principal: Principal, accountId: string): Promise<LedgerAccount> {
    const account = await this.ledger.account(this.transactions.manager, accountId);
    if (!account || (!isOperator(principal) && account.ownerOrganisationId !== principal.organisationId)) {
      throw new LedgerError('NOT_FOUND', 'ledger account not found', { field: 'id' });
    }
    return account;
  }
}
