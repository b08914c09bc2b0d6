import { LedgerCheckRepository } from './ledger-check.repository';
import { SqlRunner, toCents } from './ledger-sql';

export type LedgerCheckName = 'balanced' | 'transfers' | 'flags' | 'pending' | 'snapshots' | 'vouchers' | 'settlement' | 'payouts';

export interface LedgerCheckResult {
  name: LedgerCheckName;
  ok: boolean;
  /** One line per problem (at most 100 per check). */
  problems: string[];
}

export interface LedgerCheckReport {
  ok: boolean;
  checkedAt: string;
  transfers: number;
  accounts: number;
  snapshots: number;
  checks: LedgerCheckResult[];
}

/**
 * The ledger's invariant check, from the stored rows alone:
 * - balanced: per currency, Σ debits = Σ credits, posted and pending;
 * - transfers: every transfer names existing accounts of its own currency;
 * - flags: every account's derived balance respects its flags;
 * - pending: each pending transfer is resolved at most once, by a resolution that agrees with it
 *   (a post never exceeds its pending amount; a void releases all of it);
 * - snapshots: every snapshot equals a recomputation over the transfers it covers;
 * - vouchers: per activated order, activated value = outstanding + redeemed + expired (replaced
 *   vouchers counted once, through their replacement), the expired part being exactly the face
 *   value of its EXPIRED vouchers moved to `restitution_payable` by the expiry, and each voucher in
 *   exactly one status of an existing booklet of its order (see `voucherProblems`);
 * - settlement: each voucher in at most one statement, no undone redemption settled, each
 *   redemption's value in the site payable unless undone, statement totals = lines = redemptions, each order's
 *   receivable = deducted by its credit notes − accepted incidents paid to sites (`settlementProblems`);
 * - payouts: every statement unpaid, in exactly one pending payout or in exactly one paid payout; a
 *   payout's amount = its statements; its ledger transfer agrees with its status (`payoutProblems`).
 */
export class LedgerChecker {
  private readonly repo: LedgerCheckRepository;

  constructor(db: SqlRunner) {
    this.repo = new LedgerCheckRepository(db);
  }

  async run(): Promise<LedgerCheckReport> {
    const counts = await this.repo.counts();
    const checks: LedgerCheckResult[] = [];

    const balanced: string[] = [];
    for (const r of await this.repo.currencyTotals()) {
      const currency = r.currency ?? '(missing account)';
      if (r.currency === null)
        balanced.push(
          `entries on missing accounts: debits ${r.debits_posted}/${r.debits_pending}, credits ${r.credits_posted}/${r.credits_pending}`,
        );
      if (toCents(r.debits_posted) !== toCents(r.credits_posted))
        balanced.push(`${currency}: posted debits ${r.debits_posted} ≠ posted credits ${r.credits_posted}`);
      if (toCents(r.debits_pending) !== toCents(r.credits_pending))
        balanced.push(`${currency}: pending debits ${r.debits_pending} ≠ pending credits ${r.credits_pending}`);
    }
    checks.push({ name: 'balanced', ok: balanced.length === 0, problems: balanced });

    const transfers = (await this.repo.transferProblems()).map((r) => `transfer ${r.id}: ${r.problem}`);
    checks.push({ name: 'transfers', ok: transfers.length === 0, problems: transfers });

    const flags = (await this.repo.flagViolations()).map((r) =>
      r.debits_must_not_exceed_credits
        ? `account ${r.account_id} (${r.kind}): debits ${r.debits_posted} posted + ${r.debits_pending} pending exceed credits ${r.credits_posted}`
        : `account ${r.account_id} (${r.kind}): credits ${r.credits_posted} posted + ${r.credits_pending} pending exceed debits ${r.debits_posted}`,
    );
    checks.push({ name: 'flags', ok: flags.length === 0, problems: flags });

    const pending = (await this.repo.pendingProblems()).map((r) => `pending resolution ${r.id}: ${r.problem}`);
    checks.push({ name: 'pending', ok: pending.length === 0, problems: pending });

    const snapshots = (await this.repo.snapshotMismatches()).map(
      (r) => `snapshot ${r.id} of account ${r.account_id} at seq ${r.as_of_seq}: stored ${r.stored} ≠ recomputed ${r.recomputed}`,
    );
    checks.push({ name: 'snapshots', ok: snapshots.length === 0, problems: snapshots });

    const vouchers = (await this.repo.voucherProblems()).map((r) => `order/voucher ${r.id}: ${r.problem}`);
    checks.push({ name: 'vouchers', ok: vouchers.length === 0, problems: vouchers });

    const settlement = (await this.repo.settlementProblems()).map((r) => `settlement ${r.id}: ${r.problem}`);
    checks.push({ name: 'settlement', ok: settlement.length === 0, problems: settlement });
    const payouts = (await this.repo.payoutProblems()).map((r) => `payout ${r.id}: ${r.problem}`);
    checks.push({ name: 'payouts', ok: payouts.length === 0, problems: payouts });

    return { ok: checks.every((c) => c.ok), checkedAt: new Date().toISOString(), ...counts, checks };
  }
}

/** The report as text, one line per check and per problem. */
export function formatLedgerReport(report: LedgerCheckReport): string {
  const lines = [
    `ledger check ${report.ok ? 'OK' : 'FAILED'} at ${report.checkedAt}: ${report.transfers} transfers, ${report.accounts} accounts, ${report.snapshots} snapshots`,
  ];
  for (const c of report.checks) {
    lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}`);
    for (const p of c.problems) lines.push(`     - ${p}`);
  }
  return `${lines.join('\n')}\n`;
}
