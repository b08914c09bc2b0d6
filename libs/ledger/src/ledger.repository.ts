import { Injectable } from '@nestjs/common';
import type { Tx } from '@sillage/db';
import { ACCOUNT_LOCK_CLASS, BARRIER_LOCK_CLASS, PENDING_SQL, POSTED_SQL, toCents } from './ledger-sql';
import { AccountKind, Balance, LedgerAccount, LedgerTransfer, TransferKind, UserData } from './ledger.types';

interface AccountRow {
  id: string;
  code: number;
  kind: string;
  owner_organisation_id: string | null;
  order_id: string | null;
  currency: string;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  created_at: Date;
  cursor_key?: string;
}

interface TransferRow {
  id: string;
  seq: string;
  kind: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  currency: string;
  pending_id: string | null;
  pending_amount: string | null;
  event_at: Date;
  created_at: Date;
  reference_type: string | null;
  reference_id: string | null;
  user_data: UserData;
}

interface BalanceRow {
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
}

const ACCOUNT_COLUMNS = `id, code, kind, owner_organisation_id, order_id, currency, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at`;
const TRANSFER_COLUMNS = `id, seq::text AS seq, kind, debit_account_id, credit_account_id, amount::text AS amount, currency, pending_id,
  pending_amount::text AS pending_amount, event_at, created_at, reference_type, reference_id, user_data`;

export interface NewTransferRow {
  id: string;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  currency: string;
  pendingId: string | null;
  pendingAmount: number | null;
  eventAt: Date;
  referenceType: string | null;
  referenceId: string | null;
  userData: UserData;
}

export interface AccountFilter {
  ownerOrganisationId?: string;
  kind?: AccountKind;
  orderId?: string;
}

function toAccount(r: AccountRow): LedgerAccount {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind as AccountKind,
    ownerOrganisationId: r.owner_organisation_id,
    orderId: r.order_id,
    currency: r.currency,
    flags: { debitsMustNotExceedCredits: r.debits_must_not_exceed_credits, creditsMustNotExceedDebits: r.credits_must_not_exceed_debits },
    createdAt: r.created_at,
  };
}

function toTransfer(r: TransferRow): LedgerTransfer {
  return {
    id: r.id,
    seq: Number(r.seq),
    kind: r.kind as TransferKind,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amount: toCents(r.amount),
    currency: r.currency,
    pendingId: r.pending_id,
    pendingAmount: r.pending_amount === null ? null : toCents(r.pending_amount),
    eventAt: r.event_at,
    createdAt: r.created_at,
    reference: r.reference_type !== null && r.reference_id !== null ? { type: r.reference_type, id: r.reference_id } : null,
    userData: r.user_data,
  };
}

function toBalance(r: BalanceRow | undefined): Balance {
  return {
    debitsPosted: toCents(r?.debits_posted),
    creditsPosted: toCents(r?.credits_posted),
    debitsPending: toCents(r?.debits_pending),
    creditsPending: toCents(r?.credits_pending),
  };
}

/** The only code touching the ledger tables on the write path and for balances and lists. */
@Injectable()
export class LedgerRepository {
  async insertAccount(tx: Tx, a: Omit<LedgerAccount, 'createdAt'>): Promise<void> {
    await tx.query(
      `INSERT INTO ledger_account (id, code, kind, owner_organisation_id, order_id, currency, debits_must_not_exceed_credits, credits_must_not_exceed_debits)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        a.id,
        a.code,
        a.kind,
        a.ownerOrganisationId,
        a.orderId,
        a.currency,
        a.flags.debitsMustNotExceedCredits,
        a.flags.creditsMustNotExceedDebits,
      ],
    );
  }

  /** The account with this identity (kind, owner, order, currency), following the partial unique indexes. */
  async findAccountByIdentity(
    tx: Tx,
    kind: string,
    ownerOrganisationId: string | null,
    orderId: string | null,
    currency: string,
  ): Promise<LedgerAccount | undefined> {
    const rows: AccountRow[] =
      orderId !== null
        ? await tx.query(`SELECT ${ACCOUNT_COLUMNS} FROM ledger_account WHERE kind = $1 AND order_id = $2 AND currency = $3`, [
            kind,
            orderId,
            currency,
          ])
        : await tx.query(
            `SELECT ${ACCOUNT_COLUMNS} FROM ledger_account
             WHERE kind = $1 AND owner_organisation_id IS NOT DISTINCT FROM $2::uuid AND order_id IS NULL AND currency = $3`,
            [kind, ownerOrganisationId, currency],
          );
    return rows[0] ? toAccount(rows[0]) : undefined;
  }

  async findAccounts(tx: Tx, ids: string[]): Promise<LedgerAccount[]> {
    const rows: AccountRow[] = await tx.query(`SELECT ${ACCOUNT_COLUMNS} FROM ledger_account WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toAccount);
  }

  async listAccounts(
    tx: Tx,
    filter: AccountFilter,
    after: { k: string; id: string } | undefined,
    limit: number,
  ): Promise<(LedgerAccount & { cursorKey: string })[]> {
    const rows: AccountRow[] = await tx.query(
      `SELECT ${ACCOUNT_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_key
       FROM ledger_account
       WHERE ($1::uuid IS NULL OR owner_organisation_id = $1::uuid)
         AND ($2::text IS NULL OR kind = $2::text)
         AND ($3::uuid IS NULL OR order_id = $3::uuid)
         AND ($4::timestamptz IS NULL OR (created_at, id) > ($4::timestamptz, $5::uuid))
       ORDER BY created_at, id
       LIMIT $6`,
      [filter.ownerOrganisationId ?? null, filter.kind ?? null, filter.orderId ?? null, after?.k ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({ ...toAccount(r), cursorKey: r.cursor_key ?? '' }));
  }

  /** Serialises, until commit, the writers that must check this account's flags. Updates nothing. */
  async lockAccount(tx: Tx, accountId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2::text))`, [ACCOUNT_LOCK_CLASS, accountId]);
  }

  /**
   * Inserts one transfer unless its id — or, for a resolution, its pending transfer's resolution —
   * already exists (then returns undefined and the caller finds out which). ON CONFLICT DO NOTHING
   * waits for a concurrent inserter of the same key and keeps the caller's transaction usable.
   * The shared barrier lock is taken before the row gets its `seq` (see LedgerSnapshotter).
   */
  async insertTransfer(tx: Tx, t: NewTransferRow): Promise<LedgerTransfer | undefined> {
    const rows: TransferRow[] = await tx.query(
      `WITH barrier AS (SELECT pg_advisory_xact_lock_shared($13::int, 0))
       INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, pending_id, pending_amount, event_at, reference_type, reference_id, user_data)
       SELECT $1::uuid, $2::text, $3::uuid, $4::uuid, $5::bigint, $6::text, $7::uuid, $8::bigint, $9::timestamptz, $10::text, $11::text, $12::jsonb FROM barrier
       ON CONFLICT DO NOTHING
       RETURNING ${TRANSFER_COLUMNS}`,
      [
        t.id,
        t.kind,
        t.debitAccountId,
        t.creditAccountId,
        t.amount,
        t.currency,
        t.pendingId,
        t.pendingAmount,
        t.eventAt,
        t.referenceType,
        t.referenceId,
        JSON.stringify(t.userData),
        BARRIER_LOCK_CLASS,
      ],
    );
    return rows[0] ? toTransfer(rows[0]) : undefined;
  }

  async findTransfer(tx: Tx, id: string): Promise<LedgerTransfer | undefined> {
    const rows: TransferRow[] = await tx.query(`SELECT ${TRANSFER_COLUMNS} FROM ledger_transfer WHERE id = $1`, [id]);
    return rows[0] ? toTransfer(rows[0]) : undefined;
  }

  async findResolution(tx: Tx, pendingId: string): Promise<LedgerTransfer | undefined> {
    const rows: TransferRow[] = await tx.query(`SELECT ${TRANSFER_COLUMNS} FROM ledger_transfer WHERE pending_id = $1`, [pendingId]);
    return rows[0] ? toTransfer(rows[0]) : undefined;
  }

  /** Current balance: the account's latest snapshot plus the transfers after its watermark. */
  async balance(tx: Tx, accountId: string): Promise<Balance> {
    const rows: BalanceRow[] = await tx.query(
      `WITH s AS (
         SELECT as_of_seq, debits_posted, credits_posted, debits_pending, credits_pending
         FROM ledger_balance_snapshot WHERE account_id = $1 ORDER BY as_of_seq DESC LIMIT 1
       ),
       d AS (SELECT coalesce(sum(${POSTED_SQL}), 0) AS posted, coalesce(sum(${PENDING_SQL}), 0) AS pending
             FROM ledger_transfer t WHERE t.debit_account_id = $1 AND t.seq > coalesce((SELECT as_of_seq FROM s), 0)),
       c AS (SELECT coalesce(sum(${POSTED_SQL}), 0) AS posted, coalesce(sum(${PENDING_SQL}), 0) AS pending
             FROM ledger_transfer t WHERE t.credit_account_id = $1 AND t.seq > coalesce((SELECT as_of_seq FROM s), 0))
       SELECT (coalesce((SELECT debits_posted FROM s), 0) + d.posted)::text AS debits_posted,
              (coalesce((SELECT credits_posted FROM s), 0) + c.posted)::text AS credits_posted,
              (coalesce((SELECT debits_pending FROM s), 0) + d.pending)::text AS debits_pending,
              (coalesce((SELECT credits_pending FROM s), 0) + c.pending)::text AS credits_pending
       FROM d, c`,
      [accountId],
    );
    return toBalance(rows[0]);
  }

  /** Balance at a business time: every transfer with `event_at <= at` (no snapshot: they are by seq). */
  async balanceAt(tx: Tx, accountId: string, at: Date): Promise<Balance> {
    const rows: BalanceRow[] = await tx.query(
      `WITH d AS (SELECT coalesce(sum(${POSTED_SQL}), 0) AS posted, coalesce(sum(${PENDING_SQL}), 0) AS pending
                  FROM ledger_transfer t WHERE t.debit_account_id = $1 AND t.event_at <= $2),
            c AS (SELECT coalesce(sum(${POSTED_SQL}), 0) AS posted, coalesce(sum(${PENDING_SQL}), 0) AS pending
                  FROM ledger_transfer t WHERE t.credit_account_id = $1 AND t.event_at <= $2)
       SELECT d.posted::text AS debits_posted, c.posted::text AS credits_posted, d.pending::text AS debits_pending, c.pending::text AS credits_pending
       FROM d, c`,
      [accountId, at],
    );
    return toBalance(rows[0]);
  }

  /** The account's transfers, newest first, keyset-paginated on `seq`. */
  async listTransfers(tx: Tx, accountId: string, beforeSeq: number | undefined, limit: number): Promise<LedgerTransfer[]> {
    const rows: TransferRow[] = await tx.query(
      `SELECT ${TRANSFER_COLUMNS} FROM (
         (SELECT * FROM ledger_transfer WHERE debit_account_id = $1 AND ($2::bigint IS NULL OR seq < $2::bigint) ORDER BY seq DESC LIMIT $3)
         UNION ALL
         (SELECT * FROM ledger_transfer WHERE credit_account_id = $1 AND ($2::bigint IS NULL OR seq < $2::bigint) ORDER BY seq DESC LIMIT $3)
       ) t ORDER BY seq DESC LIMIT $3`,
      [accountId, beforeSeq ?? null, limit],
    );
    return rows.map(toTransfer);
  }
}
