import { Inject, Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import { AuditLog } from '@sillage/audit';
import { communeName, uuidFromName } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner, Tx } from '@sillage/db';
import { BARRIER_LOCK_CLASS, Ledger } from '@sillage/ledger';
import { normalisePayoutBatch } from '../sepa/payout-batch';
import { SepaFileError } from '../sepa/sepa-file.errors';
import type { Party } from '../sepa/types';
import { SITE_LOCK_CLASS } from '../runs/site-lock';

/** Why a site's unpaid statements are not paid yet (shown on the statements and in `GET /v1/payouts/waiting`). */
export type PayoutWaitingReason = 'NO_VERIFIED_BANK_ACCOUNT' | 'SITE_SUSPENDED' | 'BELOW_MINIMUM' | 'BANK_DETAILS_INVALID';

export interface SiteDue {
  siteId: string;
  siteName: string;
  amountCents: string;
  statements: number;
  waitingReason: PayoutWaitingReason | null;
}

/** Per site with unpaid statements (all sites, or $1): their total and count. */
const UNPAID_TOTALS_SQL = `SELECT site_id AS "siteId", sum(total_cents)::text AS "amountCents", count(*)::int AS statements
  FROM settlement_statement WHERE status = 'unpaid' AND ($1::uuid IS NULL OR site_id = $1::uuid)
 GROUP BY site_id ORDER BY site_id`;

/** Each site of $1 as the payout would name it: its status, its verified account (if any), its address. */
const CREDITORS_SQL = `SELECT o.id AS "siteId", o.legal_name AS "siteName", sp.status AS "siteStatus", ba.id AS "bankAccountId", ba.iban, ba.bic,
       ba.holder_name AS "holderName", o.address_line AS "addressLine", o.postcode, o.commune_code AS "communeCode"
  FROM organisation o LEFT JOIN site_profile sp ON sp.organisation_id = o.id
  LEFT JOIN site_bank_account ba ON ba.site_id = o.id AND ba.status = 'verified'
 WHERE o.id = ANY($1::uuid[])`;

/** $1 payout ids, $2 the bank-in-flight account: each payout's pending transfer from its site payable. */
const PAYOUT_PENDING_SQL = `WITH barrier AS (SELECT pg_advisory_xact_lock_shared(${BARRIER_LOCK_CLASS}, 0))
INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, event_at, reference_type, reference_id)
SELECT p.id, 'pending', a.id, $2::uuid, p.amount_cents, 'EUR', now(), 'payout', p.id::text
  FROM payout p JOIN ledger_account a ON a.kind = 'site_payable' AND a.owner_organisation_id = p.site_id AND a.order_id IS NULL AND a.currency = 'EUR', barrier
 WHERE p.id = ANY($1::uuid[])`;

interface Creditor {
  siteId: string;
  siteName: string;
  siteStatus: string | null;
  /** The verified, current account; all null when there is none. */
  bankAccountId: string | null;
  iban: string | null;
  bic: string | null;
  holderName: string | null;
  addressLine: string;
  postcode: string;
  communeCode: string;
}

export interface BatchOrigin {
  /** The run whose payouts these are (one batch per run), or none for a batch asked for by hand. */
  runId: string | null;
  /** The first pair of eyes: the user who started the run or asked for the batch (none for the schedule). */
  preparedBy: string | null;
}

/**
 * Makes payouts: for every site whose unpaid statements may be paid now, one payout covering all of
 * them, in one transaction per chunk of sites under the same per-site locks as pricing (the statements are
 * re-read and locked inside it, so two batches never pay the same statement). Each payout moves its
 * amount from the site payable to the bank in flight as a pending transfer (posted when the bank
 * statement shows it paid, voided when it is rejected).
 */
@Injectable()
export class PayoutPlanner {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get minimumCents(): number {
    return this.config.settlement.payoutMinimumCents;
  }

  /** Sites with unpaid statements (all, or one), their total, and why they wait (null: the next batch pays them). */
  async sitesDue(m: Pick<Tx, 'query'>, siteId: string | null = null): Promise<SiteDue[]> {
    const totals = await m.query<Omit<SiteDue, 'siteName' | 'waitingReason'>[]>(UNPAID_TOTALS_SQL, [siteId]);
    const creditors = await this.creditors(
      m,
      totals.map((t) => t.siteId),
    );
    return totals.map((t) => {
      const creditor = creditors.get(t.siteId);
      return { ...t, siteName: creditor?.siteName ?? '', waitingReason: this.waitingReason(BigInt(t.amountCents), creditor) };
    });
  }

  /**
   * The one rule of who is paid: a verified account, a site not suspended, at least the minimum owed,
   * and bank details the file accepts (checked with the file's own rules, so one bad address never
   * fails everyone's batch).
   */
  private waitingReason(amount: bigint, c: Creditor | undefined): PayoutWaitingReason | null {
    if (!c?.bankAccountId || !c.iban || !c.bic || !c.holderName) return 'NO_VERIFIED_BANK_ACCOUNT';
    if (c.siteStatus === 'suspended') return 'SITE_SUSPENDED';
    if (amount <= 0n || amount < BigInt(this.minimumCents)) return 'BELOW_MINIMUM';
    if (!bankDetailsAccepted(creditorParty({ ...c, iban: c.iban, bic: c.bic, holderName: c.holderName }))) return 'BANK_DETAILS_INVALID';
    return null;
  }

  private async creditors(m: Pick<Tx, 'query'>, siteIds: string[]): Promise<Map<string, Creditor>> {
    const rows = await m.query<Creditor[]>(CREDITORS_SQL, [siteIds]);
    return new Map(rows.map((c) => [c.siteId, c]));
  }

  /** The batch of a run, or a new batch asked for by hand (random id). */
  batchIdFor(origin: BatchOrigin, fallbackId: string): string {
    return origin.runId ? uuidFromName(`payout-batch:run:${origin.runId}`) : fallbackId;
  }

  /**
   * Adds a payout to batch `batchId` (created if needed) for each site that may be paid, in chunks of
   * sites (one transaction each). Returns the number of payouts added. `afterChunk` runs after each
   * committed chunk (crash-point tests).
   */
  async addPayouts(batchId: string, origin: BatchOrigin, afterChunk?: () => void): Promise<number> {
    const [batch] = await this.tx.manager.query<{ status: string }[]>(`SELECT status FROM payout_batch WHERE id = $1`, [batchId]);
    if (batch && batch.status !== 'building') return 0; // its file is written: the batch is closed
    const due = (await this.sitesDue(this.tx.manager)).filter((d) => d.waitingReason === null).map((d) => d.siteId);
    const size = this.config.settlement.chunkSites;
    let added = 0;
    for (let i = 0; i < due.length; i += size) {
      const n = await this.payChunk(batchId, origin, due.slice(i, i + size));
      added += n;
      if (n > 0) afterChunk?.();
    }
    return added;
  }

  /**
   * One payout per site of the chunk that may still be paid, all or nothing, under the sites' locks
   * (taken in a fixed order); the statements are re-read and locked inside, so two batches never pay
   * the same statement.
   */
  private async payChunk(batchId: string, origin: BatchOrigin, siteIds: string[]): Promise<number> {
    return this.tx.run(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(s)) FROM unnest($2::text[]) s ORDER BY s', [SITE_LOCK_CLASS, siteIds]);
      const statements = await tx.query<{ id: string; siteId: string; total: string }[]>(
        `SELECT id, site_id AS "siteId", total_cents::text AS total FROM settlement_statement
          WHERE site_id = ANY($1::uuid[]) AND status = 'unpaid' ORDER BY site_id, created_at, number FOR UPDATE`,
        [siteIds],
      );
      const creditors = await this.creditors(tx, siteIds);
      const payouts: {
        id: string;
        reference: string;
        siteId: string;
        amount: bigint;
        statementIds: string[];
        bankAccountId: string;
        party: Party;
      }[] = [];
      const bySite = new Map<string, typeof statements>();
      for (const st of statements) bySite.set(st.siteId, [...(bySite.get(st.siteId) ?? []), st]);
      for (const siteId of siteIds) {
        const own = bySite.get(siteId) ?? [];
        const amount = own.reduce((n, st) => n + BigInt(st.total), 0n);
        const c = creditors.get(siteId);
        if (own.length === 0 || !c?.bankAccountId || this.waitingReason(amount, c) !== null) continue;
        const party = creditorParty({ ...c, iban: c.iban!, bic: c.bic!, holderName: c.holderName! });
        const id = uuidFromName(`payout:${batchId}:${siteId}`);
        payouts.push({
          id,
          reference: `PAY-${ulid()}`,
          siteId,
          amount,
          statementIds: own.map((st) => st.id),
          bankAccountId: c.bankAccountId,
          party,
        });
      }
      if (payouts.length === 0) return 0;
      await this.ensureBatch(tx, batchId, origin);
      const inserted = await tx.query<{ id: string }[]>(
        `INSERT INTO payout (id, reference, site_id, batch_id, amount_cents, statement_count, bank_account_id, creditor_name, creditor_iban,
                             creditor_bic, creditor_address)
         SELECT p.id, p.reference, p.site_id, $1, p.amount, p.statements, p.bank_account_id, p.name, p.iban, p.bic, p.address
           FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::bigint[], $6::int[], $7::uuid[], $8::text[], $9::text[], $10::text[], $11::jsonb[])
                AS p(id, reference, site_id, amount, statements, bank_account_id, name, iban, bic, address)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          batchId,
          payouts.map((p) => p.id),
          payouts.map((p) => p.reference),
          payouts.map((p) => p.siteId),
          payouts.map((p) => p.amount.toString()),
          payouts.map((p) => p.statementIds.length),
          payouts.map((p) => p.bankAccountId),
          payouts.map((p) => p.party.name),
          payouts.map((p) => p.party.iban),
          payouts.map((p) => p.party.bic),
          payouts.map((p) => JSON.stringify(p.party.address)),
        ],
      );
      const added = new Set(inserted.map((r) => r.id));
      const made = payouts.filter((p) => added.has(p.id));
      if (made.length === 0) return 0;
      const links = made.flatMap((p) => p.statementIds.map((statementId) => [p.id, statementId] as const));
      await tx.query(`INSERT INTO payout_statement (payout_id, statement_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [
        links.map((l) => l[0]),
        links.map((l) => l[1]),
      ]);
      await tx.query(
        `UPDATE settlement_statement s SET status = 'in_payout', payout_id = l.payout_id
           FROM unnest($1::uuid[], $2::uuid[]) AS l(payout_id, statement_id) WHERE s.id = l.statement_id`,
        [links.map((l) => l[0]), links.map((l) => l[1])],
      );
      const inFlight = await this.ledger.openAccount(tx, { kind: 'bank_in_flight' });
      // Each payout's pending transfer (id = the payout id): the site payable's balance covers it by
      // construction (the statements it pays credited it), as `ledger:check` proves.
      await tx.query(PAYOUT_PENDING_SQL, [made.map((p) => p.id), inFlight.id]);
      await this.audit.appendMany(
        tx,
        made.map((p) => ({
          action: 'settlement.payout_created',
          actor: origin.preparedBy ? { type: 'user' as const, id: origin.preparedBy } : { type: 'system' as const },
          subject: { type: 'payout', id: p.id },
          facts: {
            batchId,
            siteId: p.siteId,
            reference: p.reference,
            amountCents: Number(p.amount),
            statements: p.statementIds.length,
            ibanLast4: p.party.iban.slice(-4),
            statementIds: p.statementIds.join(','),
          },
        })),
      );
      return made.length;
    });
  }

  private async ensureBatch(tx: Tx, batchId: string, origin: BatchOrigin): Promise<void> {
    const [existing] = await tx.query<{ status: string }[]>(`SELECT status FROM payout_batch WHERE id = $1 FOR UPDATE`, [batchId]);
    if (existing) {
      if (existing.status !== 'building') throw new Error(`payout batch ${batchId} is closed: no payout may be added to it`);
      return;
    }
    await tx.query(
      `INSERT INTO payout_batch (id, number, run_id, prepared_by)
       VALUES ($1, 'VIR-' || to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY') || '-' || lpad(nextval('payout_batch_number_seq')::text, 6, '0'), $2, $3)`,
      [batchId, origin.runId, origin.preparedBy],
    );
  }
}

/** The site as the bank file names it: the account holder, the verified IBAN and BIC, the organisation's address. */
export function creditorParty(c: {
  holderName: string;
  iban: string;
  bic: string;
  addressLine: string;
  postcode: string;
  communeCode: string;
}): Party & {
  bic: string;
  address: { streetName: string; postCode: string; townName: string; country: string };
} {
  return {
    name: c.holderName,
    iban: c.iban,
    bic: c.bic,
    address: { streetName: c.addressLine, postCode: c.postcode, townName: communeName(c.communeCode) ?? c.communeCode, country: 'FR' },
  };
}

/** Would the bank file accept this creditor? Checked with the file's own rules, so a batch never fails on one site. */
function bankDetailsAccepted(party: Party): boolean {
  try {
    normalisePayoutBatch({
      messageId: 'CHECK',
      paymentInformationId: 'CHECK',
      createdAt: new Date(),
      requestedExecutionDate: '2000-01-03',
      debtor: party,
      payments: [{ endToEndId: 'CHECK', amountCents: 1, creditor: party, remittance: '' }],
    });
    return true;
  } catch (e) {
    if (e instanceof SepaFileError) return false;
    throw e;
  }
}
