import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ADR 15: a redemption's ledger transfer (order outstanding → site payable) is posted when it is
 * recorded and reversed by an undo, instead of a pending transfer that the statement posts. Existing
 * live redemptions whose pending transfer is still unresolved get the post the statement would have
 * written (same deterministic id), so every redemption's value is posted and an undo of one of them
 * reverses it like a new one. Undone redemptions were voided already; settled ones were posted.
 * Data only; `down` leaves the posts (the ledger is append-only, an entry is never removed).
 */
export class RedemptionTransfersPosted1795900000000 implements MigrationInterface {
  name = 'RedemptionTransfersPosted1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      WITH barrier AS (SELECT pg_advisory_xact_lock_shared(1279607879, 0))
      INSERT INTO ledger_transfer (id, kind, debit_account_id, credit_account_id, amount, currency, pending_id, pending_amount, event_at,
                                   reference_type, reference_id)
      SELECT md5('settlement-post:' || p.id::text)::uuid, 'post_pending', p.debit_account_id, p.credit_account_id, p.amount, p.currency,
             p.id, p.amount, p.event_at, 'redemption', p.id::text
        FROM ledger_transfer p JOIN redemption r ON r.id = p.id, barrier
       WHERE p.kind = 'pending' AND p.reference_type = 'redemption' AND r.undone_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM ledger_transfer x WHERE x.pending_id = p.id)
      ON CONFLICT DO NOTHING`);
  }

  public async down(): Promise<void> {
    // Nothing to undo: the posts stay, as every ledger entry does.
  }
}
