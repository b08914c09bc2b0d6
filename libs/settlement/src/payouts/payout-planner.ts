import { Inject, Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import { AuditLog } from '@sillage/audit';
import { communeName, uuidFromName } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner, Tx } from '@sillage/db';
import { Ledger } from '@sillage/ledger';
import { normalisePayoutBatch } from '../sepa/payout-batch';
import { SepaFileError } from '../sepa/sepa-file.errors';
import type { Party } from '../sepa/types';
import { SITE_LOCK_CLASS } from '../runs/site-lock';

/** Why a site's unpaid statements are not paid yet (shown on the statements and in `GET /v1/payouts/waiting`). */
export type PayoutWaitingReason = 'NO_VERIFIED_BANK_ACCOUNT' | 'SITE_SUSPENDED' | 'BELOW_MINIMUM' | 'BANK_DETAILS_INVALID';

export interface SiteDue {
  siteId: string;
  amountCents: string;
  statements: number;
  waitingReason: PayoutWaitingReason | null;
}

/**
 * Per site with unpaid statements: their total and what keeps them waiting, if anything. Bank details
 * the SEPA file would refuse (`BANK_DETAILS_INVALID`) are found only when the payout is made.
 */
export const SITES_DUE_SQL = `SELECT s.site_id AS "siteId", sum(s.total_cents)::text AS "amountCents", count(*)::int AS statements,
       CASE WHEN ba.id IS NULL THEN 'NO_VERIFIED_BANK_ACCOUNT'
            WHEN sp.status = 'suspended' THEN 'SITE_SUSPENDED'
            WHEN sum(s.total_cents) < $1 THEN 'BELOW_MINIMUM' END AS "waitingReason"
  FROM settlement_statement s
  LEFT JOIN site_profile sp ON sp.organisation_id = s.site_id
  LEFT JOIN site_bank_account ba ON ba.site_id = s.site_id AND ba.status = 'verified'
 WHERE s.status = 'unpaid' AND ($2::uuid IS NULL OR s.site_id = $2::uuid)
 GROUP BY s.site_id, ba.id, sp.status
 ORDER BY s.site_id`;

interface Creditor {
  bankAccountId: string;
  iban: string;
  bic: string;
  holderName: string;
  siteStatus: string;
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
 * them, in one short transaction per site under the same per-site lock as pricing (the statements are
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

  sitesDue(m: Pick<Tx, 'query'>, siteId: string | null = null): Promise<SiteDue[]> {
    return m.query<SiteDue[]>(SITES_DUE_SQL, [this.minimumCents, siteId]);
  }

  /** The batch of a run, or a new batch asked for by hand (random id). */
  batchIdFor(origin: BatchOrigin, fallbackId: string): string {
    return origin.runId ? uuidFromName(`payout-batch:run:${origin.runId}`) : fallbackId;
  }

  /**
   * Adds a payout to batch `batchId` (created if needed) for each site that may be paid. Returns the
   * number of payouts added. `afterPayout` runs after each committed payout (crash-point tests).
   */
  async addPayouts(batchId: string, origin: BatchOrigin, afterPayout?: () => void): Promise<number> {
    const [batch] = await this.tx.manager.query<{ status: string }[]>(`SELECT status FROM payout_batch WHERE id = $1`, [batchId]);
    if (batch && batch.status !== 'building') return 0; // its file is written: the batch is closed
    const due = (await this.sitesDue(this.tx.manager)).filter((d) => d.waitingReason === null);
    let added = 0;
    for (const d of due) {
      if (await this.paySite(batchId, origin, d.siteId)) {
        added++;
        afterPayout?.();
      }
    }
    return added;
  }

  private async paySite(batchId: string, origin: BatchOrigin, siteId: string): Promise<boolean> {
    return this.tx.run(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SITE_LOCK_CLASS, siteId]);
      const statements = await tx.query<{ id: string; number: string; total: string }[]>(
        `SELECT id, number, total_cents::text AS total FROM settlement_statement WHERE site_id = $1 AND status = 'unpaid'
          ORDER BY created_at, number FOR UPDATE`,
        [siteId],
      );
      const amount = statements.reduce((n, s) => n + BigInt(s.total), 0n);
      if (statements.length === 0 || amount <= 0n || amount < BigInt(this.minimumCents)) return false;
      const [creditor] = await tx.query<Creditor[]>(
        `SELECT ba.id AS "bankAccountId", ba.iban, ba.bic, ba.holder_name AS "holderName", sp.status AS "siteStatus",
                o.address_line AS "addressLine", o.postcode, o.commune_code AS "communeCode"
           FROM organisation o JOIN site_profile sp ON sp.organisation_id = o.id
           JOIN site_bank_account ba ON ba.site_id = o.id AND ba.status = 'verified'
          WHERE o.id = $1`,
        [siteId],
      );
      if (!creditor || creditor.siteStatus === 'suspended') return false;
      const party = creditorParty(creditor);
      if (!bankDetailsAccepted(party)) return false;
      await this.ensureBatch(tx, batchId, origin);
      const payoutId = uuidFromName(`payout:${batchId}:${siteId}`);
      const reference = `PAY-${ulid()}`;
      const inserted = await tx.query<{ id: string }[]>(
        `INSERT INTO payout (id, reference, site_id, batch_id, amount_cents, statement_count, bank_account_id, creditor_name, creditor_iban,
                             creditor_bic, creditor_address)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING id`,
        [
          payoutId,
          reference,
          siteId,
          batchId,
          amount.toString(),
          statements.length,
          creditor.bankAccountId,
          party.name,
          party.iban,
          party.bic,
          JSON.stringify(party.address),
        ],
      );
      if (inserted.length === 0) return false;
      const ids = statements.map((s) => s.id);
      await tx.query(`INSERT INTO payout_statement (payout_id, statement_id) SELECT $1, unnest($2::uuid[])`, [payoutId, ids]);
      await tx.query(`UPDATE settlement_statement SET status = 'in_payout', payout_id = $1 WHERE id = ANY($2::uuid[])`, [payoutId, ids]);
      const payable = await this.ledger.openAccount(tx, { kind: 'site_payable', ownerOrganisationId: siteId });
      const inFlight = await this.ledger.openAccount(tx, { kind: 'bank_in_flight' });
      await this.ledger.createPending(tx, {
        id: payoutId,
        debitAccountId: payable.id,
        creditAccountId: inFlight.id,
        amount: Number(amount),
        reference: { type: 'payout', id: payoutId },
      });
      await this.audit.append(tx, {
        action: 'settlement.payout_created',
        actor: origin.preparedBy ? { type: 'user', id: origin.preparedBy } : { type: 'system' },
        subject: { type: 'payout', id: payoutId },
        facts: {
          batchId,
          siteId,
          reference,
          amountCents: Number(amount),
          statements: statements.length,
          ibanLast4: party.iban.slice(-4),
        },
      });
      return true;
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
export function creditorParty(c: Pick<Creditor, 'holderName' | 'iban' | 'bic' | 'addressLine' | 'postcode' | 'communeCode'>): Party & {
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
export function bankDetailsAccepted(party: Party): boolean {
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
