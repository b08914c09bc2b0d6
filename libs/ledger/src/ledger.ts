import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { randomUUID } from 'node:crypto';
import { LedgerError } from './ledger.errors';
import { LedgerRepository, NewTransferRow } from './ledger.repository';
import {
  ACCOUNT_KINDS,
  Balance,
  CHART,
  LedgerAccount,
  LedgerTransfer,
  OpenAccountInput,
  ResolveInput,
  respectsFlags,
  TransferInput,
  TransferReference,
  UserData,
} from './ledger.types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURRENCY = /^[A-Z]{3}$/;
const REFERENCE_TYPE = /^[a-z][a-z0-9_]{0,63}$/;
/** Business time may be slightly ahead of the database clock, not more. */
const MAX_EVENT_AT_SKEW_MS = 5 * 60_000;
const MAX_USER_DATA_BYTES = 2048;

function uuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value.toLowerCase()))
    throw new LedgerError('INVALID_TRANSFER', `${field} must be a UUID`, { field });
  return value.toLowerCase();
}

function cents(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new LedgerError('INVALID_AMOUNT', `${field} must be a safe integer number of cents > 0`, { field });
  }
  return value;
}

function eventAt(value: Date | undefined): Date {
  if (value === undefined) return new Date();
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new LedgerError('INVALID_EVENT_AT', 'eventAt must be a valid date', { field: 'eventAt' });
  if (value.getTime() > Date.now() + MAX_EVENT_AT_SKEW_MS)
    throw new LedgerError('INVALID_EVENT_AT', 'eventAt may not be in the future', { field: 'eventAt' });
  return value;
}

function reference(value: TransferReference | undefined): { referenceType: string | null; referenceId: string | null } {
  if (value === undefined) return { referenceType: null, referenceId: null };
  if (!REFERENCE_TYPE.test(value.type) || typeof value.id !== 'string' || value.id.length === 0 || value.id.length > 128) {
    throw new LedgerError('INVALID_TRANSFER', 'reference must be { type: snake_case code, id: 1..128 characters }', { field: 'reference' });
  }
  return { referenceType: value.type, referenceId: value.id };
}

function userData(value: UserData | undefined): UserData {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LedgerError('INVALID_TRANSFER', 'userData must be an object', { field: 'userData' });
  for (const v of Object.values(value)) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) {
      throw new LedgerError('INVALID_TRANSFER', 'userData values must be strings, numbers, booleans or null', { field: 'userData' });
    }
  }
  if (JSON.stringify(value).length > MAX_USER_DATA_BYTES)
    throw new LedgerError('INVALID_TRANSFER', 'userData is too large', { field: 'userData' });
  return value;
}

/** Key-order-independent JSON, to compare user data for idempotent replays. */
function sortedJson(value: UserData): string {
  return JSON.stringify(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k]]),
  );
}

/**
 * The ledger's one write path (TigerBeetle semantics inside PostgreSQL). Every method runs in the
 * caller's transaction (`TransactionRunner.run(tx => …)`), so ledger entries commit or roll back
 * with the business change they record. Writes insert one row and update nothing; only a transfer
 * debiting an account flagged `debits_must_not_exceed_credits` (or crediting one flagged the other
 * way) takes a per-account advisory lock to check the balance.
 *
 * Idempotency: a retry with the same transfer id and the same content returns the original
 * transfer; the same id with different content fails with TRANSFER_ID_CONFLICT.
 */
@Injectable()
export class Ledger {
  constructor(private readonly repo: LedgerRepository) {}

  /** Opens the account with this identity, or returns the existing one (accounts never change). */
  async openAccount(tx: Tx, input: OpenAccountInput): Promise<LedgerAccount> {
    if (!(ACCOUNT_KINDS as readonly string[]).includes(input.kind))
      throw new LedgerError('INVALID_TRANSFER', 'unknown account kind', { field: 'kind' });
    const chart = CHART[input.kind];
    const owner = input.ownerOrganisationId == null ? null : uuid(input.ownerOrganisationId, 'ownerOrganisationId');
    const order = input.orderId == null ? null : uuid(input.orderId, 'orderId');
    const currency = input.currency ?? 'EUR';
    if (!CURRENCY.test(currency)) throw new LedgerError('CURRENCY_MISMATCH', 'currency must be an ISO 4217 code', { field: 'currency' });
    const scopeOk =
      chart.scope === 'platform'
        ? owner === null && order === null
        : chart.scope === 'organisation'
          ? owner !== null && order === null
          : order !== null;
    if (!scopeOk) throw new LedgerError('INVALID_TRANSFER', `a ${input.kind} account is a ${chart.scope} account`, { field: 'kind' });
    const flags = input.flags ?? chart.flags;
    if (flags.debitsMustNotExceedCredits && flags.creditsMustNotExceedDebits) {
      throw new LedgerError('ACCOUNT_FLAGS_INVALID', 'an account cannot be constrained on both sides', { field: 'flags' });
    }
    await this.repo.insertAccount(tx, {
      id: randomUUID(),
      code: chart.code,
      kind: input.kind,
      ownerOrganisationId: owner,
      orderId: order,
      currency,
      flags,
    });
    const account = await this.repo.findAccountByIdentity(tx, input.kind, owner, order, currency);
    if (!account) throw new Error('ledger account vanished after insert');
    if (
      account.flags.debitsMustNotExceedCredits !== flags.debitsMustNotExceedCredits ||
      account.flags.creditsMustNotExceedDebits !== flags.creditsMustNotExceedDebits
    ) {
      throw new LedgerError('ACCOUNT_FLAGS_INVALID', 'the account exists with other flags', { field: 'flags' });
    }
    return account;
  }

  /** A posted transfer. */
  transfer(tx: Tx, input: TransferInput): Promise<LedgerTransfer> {
    return this.write(tx, 'single', input);
  }

  /** A pending transfer: reserved on both accounts until posted (fully or partly) or voided. */
  createPending(tx: Tx, input: TransferInput): Promise<LedgerTransfer> {
    return this.write(tx, 'pending', input);
  }

  /** Posts a pending transfer: `amount` (default: all of it) moves, the rest is released. */
  post(tx: Tx, pendingId: string, input: ResolveInput): Promise<LedgerTransfer> {
    return this.resolve(tx, 'post_pending', pendingId, input);
  }

  /** Voids a pending transfer: its whole amount is released. */
  void(tx: Tx, pendingId: string, input: Omit<ResolveInput, 'amount'>): Promise<LedgerTransfer> {
    return this.resolve(tx, 'void_pending', pendingId, input);
  }

  /**
   * Takes back a posted transfer with a new one the other way, of the amount that was posted (a
   * pending transfer counts by its post). An entry is never edited: the undo of a redemption is its
   * reversal (ADR 15). A transfer not posted (pending unresolved, voided) → `INVALID_TRANSFER`.
   */
  async reverse(tx: Tx, originalId: string, input: Omit<ResolveInput, 'amount'>): Promise<LedgerTransfer> {
    const original = await this.repo.findTransfer(tx, uuid(originalId, 'originalId'));
    if (!original) throw new LedgerError('INVALID_TRANSFER', 'the transfer to reverse does not exist', { field: 'originalId' });
    const posted = original.kind === 'pending' ? await this.repo.findResolution(tx, original.id) : original;
    if (!posted || (posted.kind !== 'single' && posted.kind !== 'post_pending')) {
      throw new LedgerError('INVALID_TRANSFER', `transfer ${original.id} is not posted: only a posted transfer can be reversed`, {
        field: 'originalId',
      });
    }
    return this.write(tx, 'single', {
      ...input,
      debitAccountId: original.creditAccountId,
      creditAccountId: original.debitAccountId,
      amount: posted.amount,
      currency: original.currency,
    });
  }

  async account(tx: Tx, id: string): Promise<LedgerAccount | undefined> {
    if (!UUID.test(id.toLowerCase())) return undefined;
    return (await this.repo.findAccounts(tx, [id.toLowerCase()]))[0];
  }

  /** Posted and pending sums of the account now (snapshot + later transfers), or at a business time. */
  balance(tx: Tx, accountId: string, at?: Date): Promise<Balance> {
    return at === undefined ? this.repo.balance(tx, accountId) : this.repo.balanceAt(tx, accountId, at);
  }

  private async write(tx: Tx, kind: 'single' | 'pending', input: TransferInput): Promise<LedgerTransfer> {
    const id = uuid(input.id, 'id');
    const debitAccountId = uuid(input.debitAccountId, 'debitAccountId');
    const creditAccountId = uuid(input.creditAccountId, 'creditAccountId');
    const amount = cents(input.amount, 'amount');
    if (debitAccountId === creditAccountId)
      throw new LedgerError('INVALID_TRANSFER', 'debit and credit accounts must differ', { field: 'creditAccountId' });
    const accounts = await this.repo.findAccounts(tx, [debitAccountId, creditAccountId]);
    const debit = accounts.find((a) => a.id === debitAccountId);
    const credit = accounts.find((a) => a.id === creditAccountId);
    if (!debit) throw new LedgerError('ACCOUNT_NOT_FOUND', 'debit account not found', { field: 'debitAccountId' });
    if (!credit) throw new LedgerError('ACCOUNT_NOT_FOUND', 'credit account not found', { field: 'creditAccountId' });
    const currency = input.currency ?? debit.currency;
    if (debit.currency !== currency || credit.currency !== currency) {
      throw new LedgerError('CURRENCY_MISMATCH', 'both accounts must hold the transfer currency', { field: 'currency' });
    }
    const row: NewTransferRow = {
      id,
      kind,
      debitAccountId,
      creditAccountId,
      amount,
      currency,
      pendingId: null,
      pendingAmount: null,
      eventAt: eventAt(input.eventAt),
      ...reference(input.reference),
      userData: userData(input.userData),
    };
    const explicitEventAt = input.eventAt !== undefined;

    const limitProblem = await this.checkLimits(tx, debit, credit, amount);
    if (limitProblem) {
      // A replay of a transfer that already counts in the balance must not fail the limit check.
      const existing = await this.repo.findTransfer(tx, id);
      if (existing) return this.sameOrConflict(existing, row, explicitEventAt);
      throw limitProblem;
    }
    const inserted = await this.repo.insertTransfer(tx, row);
    if (inserted) return inserted;
    const existing = await this.repo.findTransfer(tx, id);
    if (!existing) throw new Error('ledger transfer insert conflicted on nothing');
    return this.sameOrConflict(existing, row, explicitEventAt);
  }

  private async checkLimits(tx: Tx, debit: LedgerAccount, credit: LedgerAccount, amount: number): Promise<LedgerError | undefined> {
    if (debit.flags.debitsMustNotExceedCredits) {
      await this.repo.lockAccount(tx, debit.id);
      const b = await this.repo.balance(tx, debit.id);
      if (!respectsFlags({ ...b, debitsPending: b.debitsPending + amount }, debit.flags)) {
        return new LedgerError('EXCEEDS_CREDITS', `debit account ${debit.kind} would have debits exceeding credits`, { field: 'amount' });
      }
    }
    if (credit.flags.creditsMustNotExceedDebits) {
      await this.repo.lockAccount(tx, credit.id);
      const b = await this.repo.balance(tx, credit.id);
      if (!respectsFlags({ ...b, creditsPending: b.creditsPending + amount }, credit.flags)) {
        return new LedgerError('EXCEEDS_DEBITS', `credit account ${credit.kind} would have credits exceeding debits`, { field: 'amount' });
      }
    }
    return undefined;
  }

  private async resolve(
    tx: Tx,
    kind: 'post_pending' | 'void_pending',
    pendingIdInput: string,
    input: ResolveInput,
  ): Promise<LedgerTransfer> {
    const id = uuid(input.id, 'id');
    const pendingId = uuid(pendingIdInput, 'pendingId');
    if (kind === 'post_pending' && input.amount !== undefined) cents(input.amount, 'amount');
    const pending = await this.repo.findTransfer(tx, pendingId);
    if (!pending || pending.kind !== 'pending')
      throw new LedgerError('PENDING_NOT_FOUND', 'pending transfer not found', { field: 'pendingId' });
    const amount = kind === 'void_pending' ? pending.amount : (input.amount ?? pending.amount);
    if (amount > pending.amount)
      throw new LedgerError('AMOUNT_EXCEEDS_PENDING', 'a post may not exceed its pending amount', { field: 'amount' });
    const row: NewTransferRow = {
      id,
      kind,
      debitAccountId: pending.debitAccountId,
      creditAccountId: pending.creditAccountId,
      amount,
      currency: pending.currency,
      pendingId,
      pendingAmount: pending.amount,
      eventAt: eventAt(input.eventAt),
      ...reference(input.reference),
      userData: userData(input.userData),
    };
    const inserted = await this.repo.insertTransfer(tx, row);
    if (inserted) return inserted;
    const existing = await this.repo.findTransfer(tx, id);
    if (existing) return this.sameOrConflict(existing, row, input.eventAt !== undefined);
    throw new LedgerError('PENDING_ALREADY_RESOLVED', 'the pending transfer was already posted or voided', { field: 'pendingId' });
  }

  private sameOrConflict(existing: LedgerTransfer, row: NewTransferRow, compareEventAt: boolean): LedgerTransfer {
    const same =
      existing.kind === row.kind &&
      existing.debitAccountId === row.debitAccountId &&
      existing.creditAccountId === row.creditAccountId &&
      existing.amount === row.amount &&
      existing.currency === row.currency &&
      existing.pendingId === row.pendingId &&
      (existing.reference?.type ?? null) === row.referenceType &&
      (existing.reference?.id ?? null) === row.referenceId &&
      sortedJson(existing.userData) === sortedJson(row.userData) &&
      (!compareEventAt || existing.eventAt.getTime() === row.eventAt.getTime());
    if (!same) throw new LedgerError('TRANSFER_ID_CONFLICT', 'a different transfer already has this id', { field: 'id' });
    return existing;
  }
}
