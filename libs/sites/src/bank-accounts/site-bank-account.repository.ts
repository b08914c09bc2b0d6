import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { cursorKeySql, isUniqueViolation } from '@sillage/identity';
import { SitesError } from '../sites.errors';
import { BankAccountStatus } from './site-bank-account.entity';

export interface BankAccountRecord {
  id: string;
  siteId: string;
  iban: string;
  bic: string;
  holderName: string;
  status: BankAccountStatus;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  rejectReason: string | null;
  validFrom: Date | null;
  validUntil: Date | null;
  cursorKey: string;
}

/** The account payouts go to: the one verified account of a site, in effect since `validFrom`. */
export interface CurrentBankAccount {
  id: string;
  iban: string;
  bic: string;
  holderName: string;
  validFrom: Date;
}

const COLUMNS = `id, site_id AS "siteId", iban, bic, holder_name AS "holderName", status, requested_by AS "requestedBy",
  requested_at AS "requestedAt", decided_by AS "decidedBy", decided_at AS "decidedAt", reject_reason AS "rejectReason",
  valid_from AS "validFrom", valid_until AS "validUntil", ${cursorKeySql('requested_at')} AS "cursorKey"`;

/**
 * The site's bank account payouts (issue 7) must use, read in the caller's transaction: the account
 * a second person verified and that no later verification superseded; undefined while there is
 * none. A pending change never counts. Lock the site's payout rows yourself if you need the answer
 * to hold until commit (a verification commits the new account and supersedes the old one at once).
 */
export async function currentBankAccount(tx: Tx, siteId: string): Promise<CurrentBankAccount | undefined> {
  const rows: CurrentBankAccount[] = await tx.query(
    `SELECT id, iban, bic, holder_name AS "holderName", valid_from AS "validFrom"
     FROM site_bank_account WHERE site_id = $1 AND status = 'verified'`,
    [siteId],
  );
  return rows[0];
}

/** Bank account requests and their four-eyes decisions (site_bank_account). */
@Injectable()
export class SiteBankAccountRepository {
  constructor(private readonly runner: TransactionRunner) {}

  /** The site's pending request, if any. */
  async findPending(tx: Tx, siteId: string): Promise<BankAccountRecord | undefined> {
    const rows: BankAccountRecord[] = await tx.query(`SELECT ${COLUMNS} FROM site_bank_account WHERE site_id = $1 AND status = 'pending'`, [
      siteId,
    ]);
    return rows[0];
  }

  /** A new pending request; a concurrent one that committed first becomes BANK_ACCOUNT_PENDING (the partial unique index). */
  async insertPending(
    tx: Tx,
    a: Pick<BankAccountRecord, 'siteId' | 'iban' | 'bic' | 'holderName' | 'requestedBy'>,
  ): Promise<BankAccountRecord> {
    try {
      const rows: BankAccountRecord[] = await tx.query(
        `INSERT INTO site_bank_account (site_id, iban, bic, holder_name, requested_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [a.siteId, a.iban, a.bic, a.holderName, a.requestedBy],
      );
      return rows[0];
    } catch (e) {
      if (isUniqueViolation(e, 'site_bank_account_one_pending_key')) throw pendingAlready();
      throw e;
    }
  }

  /** The account, if it belongs to the site, locked for its decision. */
  async findForUpdate(tx: Tx, siteId: string, accountId: string): Promise<BankAccountRecord | undefined> {
    const rows: BankAccountRecord[] = await tx.query(`SELECT ${COLUMNS} FROM site_bank_account WHERE id = $1 AND site_id = $2 FOR UPDATE`, [
      accountId,
      siteId,
    ]);
    return rows[0];
  }

  /**
   * Makes the pending account the current one: the previous verified account (if any) is superseded
   * with `validUntil` = the new account's `validFrom` (one transaction time, so the ranges meet
   * exactly). Supersedes first: at most one account is ever `verified` (unique partial index).
   */
  async verify(tx: Tx, siteId: string, accountId: string, decidedBy: string): Promise<{ supersededId: string | null }> {
    const superseded: { id: string }[] = await tx.query(
      `UPDATE site_bank_account SET status = 'superseded', valid_until = now() WHERE site_id = $1 AND status = 'verified' RETURNING id`,
      [siteId],
    );
    await tx.query(
      `UPDATE site_bank_account SET status = 'verified', decided_by = $2, decided_at = now(), valid_from = now()
       WHERE id = $1 AND status = 'pending'`,
      [accountId, decidedBy],
    );
    return { supersededId: superseded[0]?.id ?? null };
  }

  async reject(tx: Tx, accountId: string, decidedBy: string, reasonCode: string): Promise<void> {
    await tx.query(
      `UPDATE site_bank_account SET status = 'rejected', decided_by = $2, decided_at = now(), reject_reason = $3
       WHERE id = $1 AND status = 'pending'`,
      [accountId, decidedBy, reasonCode],
    );
  }

  async findById(tx: Tx, accountId: string): Promise<BankAccountRecord | undefined> {
    const rows: BankAccountRecord[] = await tx.query(`SELECT ${COLUMNS} FROM site_bank_account WHERE id = $1`, [accountId]);
    return rows[0];
  }

  /** A site's requests, oldest first: pending, verified, superseded (with their validity ranges) and rejected. */
  list(siteId: string, after: KeysetCursor | undefined, limit: number): Promise<BankAccountRecord[]> {
    return this.page('site_id', siteId, after, limit);
  }

  /** Every site's requests in one status (the operator's queue of changes to verify), oldest first. */
  listByStatus(status: BankAccountStatus, after: KeysetCursor | undefined, limit: number): Promise<BankAccountRecord[]> {
    return this.page('status', status, after, limit);
  }

  private page(column: 'site_id' | 'status', value: string, after: KeysetCursor | undefined, limit: number): Promise<BankAccountRecord[]> {
    const params: unknown[] = [value];
    let where = `${column} = $1`;
    if (after) {
      params.push(after.k, after.id);
      where += ` AND (requested_at, id) > ($2::timestamptz, $3::uuid)`;
    }
    params.push(limit + 1);
    return this.runner.manager.query(
      `SELECT ${COLUMNS} FROM site_bank_account WHERE ${where} ORDER BY requested_at, id LIMIT $${params.length}`,
      params,
    );
  }
}

export function pendingAlready(): SitesError {
  return new SitesError(
    'BANK_ACCOUNT_PENDING',
    'a bank account change is already waiting for verification: have it verified or rejected before requesting another',
  );
}
