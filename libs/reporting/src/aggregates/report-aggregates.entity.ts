import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/*
 * Report aggregates (ADR 16): derived only from sealed audit events, consumed in leaf order by
 * `ReportConsumer`; `npm run reports:rebuild` deletes and recomputes them. Each row records the leaf
 * that produced it. Business dates are Paris dates taken from the events' facts, so a report "as of
 * D" filters on them. Nothing here is a source of truth: the base tables and the log are.
 */

/** How far the aggregates have consumed the log: always the size of a signed checkpoint. */
@Entity({ name: 'report_progress' })
export class ReportProgressEntity {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @Column({ type: 'bigint' })
  treeSize: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

@Entity({ name: 'report_programme' })
export class ReportProgrammeEntity {
  @PrimaryColumn({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'uuid' })
  policyId: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

@Entity({ name: 'report_announcement' })
@Index('report_announcement_policy_idx', ['policyId'])
export class ReportAnnouncementEntity {
  @PrimaryColumn({ type: 'uuid' })
  announcementId: string;

  @Column({ type: 'uuid' })
  policyId: string;

  @Column({ type: 'bigint', nullable: true })
  amountCents: string | null;

  @Column({ type: 'bigint', nullable: true })
  minAmountCents: string | null;

  @Column({ type: 'bigint', nullable: true })
  maxAmountCents: string | null;

  @Column({ type: 'date' })
  announcedOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

@Entity({ name: 'report_funding_source' })
@Index('report_funding_source_programme_idx', ['programmeId'])
export class ReportFundingSourceEntity {
  @PrimaryColumn({ type: 'uuid' })
  fundingSourceId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'date' })
  obtainedOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

@Entity({ name: 'report_grant' })
@Index('report_grant_programme_idx', ['programmeId'])
export class ReportGrantEntity {
  @PrimaryColumn({ type: 'uuid' })
  grantId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'uuid' })
  funderId: string;

  @Column({ type: 'integer' })
  cofinancingRateBp: number;

  @Column({ type: 'date' })
  awardedOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/** A grant's amount from a date on: the award, then each amendment that changed the amount. */
@Entity({ name: 'report_grant_amount' })
export class ReportGrantAmountEntity {
  @PrimaryColumn({ type: 'uuid' })
  grantId: string;

  @PrimaryColumn({ type: 'bigint' })
  leafIndex: string;

  @Column({ type: 'date' })
  effectiveOn: string;

  @Column({ type: 'bigint' })
  amountCents: string;
}

@Entity({ name: 'report_order' })
@Index('report_order_grant_idx', ['grantId'])
export class ReportOrderEntity {
  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  funderId: string;

  @Column({ type: 'uuid', nullable: true })
  grantId: string | null;

  @Column({ type: 'uuid', nullable: true })
  contractId: string | null;

  @Column({ type: 'boolean' })
  historical: boolean;

  /** Booklets × vouchers per booklet × face value: fees excluded. */
  @Column({ type: 'bigint' })
  faceValueCents: string;

  @Column({ type: 'integer', default: 0 })
  bookletCount: number;

  @Column({ type: 'integer', default: 0 })
  vouchersPerBooklet: number;

  /** One voucher's face value. */
  @Column({ type: 'bigint', default: 0 })
  unitFaceValueCents: string;

  @Column({ type: 'date' })
  orderedOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/** The day an order was paid in full (a historical order: the day it says it was paid). */
@Entity({ name: 'report_order_paid' })
export class ReportOrderPaidEntity {
  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'date' })
  paidOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

@Entity({ name: 'report_credit_note' })
@Index('report_credit_note_order_idx', ['orderId'])
export class ReportCreditNoteEntity {
  @PrimaryColumn({ type: 'uuid' })
  creditNoteId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'date' })
  issuedOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/**
 * Money in and out, one row per event that moved it (signed: a payout given back by the bank is
 * negative): received from funders, fees, credit notes, payouts to field actors.
 */
@Entity({ name: 'report_money_movement' })
@Index('report_money_movement_kind_idx', ['kind', 'onDate'])
export class ReportMoneyMovementEntity {
  @PrimaryColumn({ type: 'bigint' })
  leafIndex: string;

  /** received | fee | credit_note | payout */
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'bigint' })
  amountCents: string;

  @Column({ type: 'date' })
  onDate: string;

  @Column({ type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ type: 'uuid', nullable: true })
  funderId: string | null;

  @Column({ type: 'uuid', nullable: true })
  siteId: string | null;

  /** For a payout movement: the payout (the funnel's paid step follows its statements). */
  @Column({ type: 'uuid', nullable: true })
  payoutId: string | null;
}

/** A programme's laureates publication date, from its creation and each update (the latest leaf wins). */
@Entity({ name: 'report_programme_dates' })
export class ReportProgrammeDatesEntity {
  @PrimaryColumn({ type: 'uuid' })
  programmeId: string;

  @PrimaryColumn({ type: 'bigint' })
  leafIndex: string;

  @Column({ type: 'date', nullable: true })
  laureatesPublishedOn: string | null;
}

@Entity({ name: 'report_contract' })
@Index('report_contract_funder_idx', ['funderId'])
export class ReportContractEntity {
  @PrimaryColumn({ type: 'uuid' })
  contractId: string;

  @Column({ type: 'uuid' })
  funderId: string;

  @Column({ type: 'date' })
  publishedOn: string;

  @Column({ type: 'date' })
  notifiedOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/** One redemption (live unless a `report_redemption_undone` row names it): its order, site and service day. */
@Entity({ name: 'report_redemption' })
@Index('report_redemption_order_idx', ['orderId', 'occurredOn'])
@Index('report_redemption_booklet_idx', ['bookletId'], { where: 'booklet_id IS NOT NULL' })
@Index('report_redemption_day_idx', ['occurredOn'])
@Index('report_redemption_site_recorded_idx', ['siteId', 'recordedAt'])
export class ReportRedemptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  redemptionId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  siteId: string;

  @Column({ type: 'uuid', nullable: true })
  bookletId: string | null;

  @Column({ type: 'text', nullable: true })
  serviceCategoryCode: string | null;

  @Column({ type: 'integer' })
  vouchers: number;

  @Column({ type: 'bigint' })
  amountCents: string;

  /** Paris day of the service. */
  @Column({ type: 'date' })
  occurredOn: string;

  /**
   * When it was recorded (its event's `recordedAt`, the instant the redemption row holds): which
   * statement settled it follows from its site and its run's cutoff (`report_redemption_statement`).
   */
  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

@Entity({ name: 'report_redemption_undone' })
export class ReportRedemptionUndoneEntity {
  @PrimaryColumn({ type: 'uuid' })
  redemptionId: string;

  @Column({ type: 'date' })
  undoneOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/**
 * One funnel step reached by an order's vouchers (issue 8), dated by its own event: issued, active,
 * allocated, distributed, expired, restituted. Booklet steps carry booklets (signed: a return takes
 * them back), the others vouchers and value; the report turns booklets into vouchers with the
 * order's vouchers per booklet. Redemptions are in `report_redemption`.
 */
@Entity({ name: 'report_funnel_step' })
@Index('report_funnel_step_order_idx', ['orderId', 'step'])
@Index('report_funnel_step_booklet_idx', ['bookletId'], { where: 'booklet_id IS NOT NULL' })
export class ReportFunnelStepEntity {
  @PrimaryColumn({ type: 'bigint' })
  leafIndex: string;

  /** One event may reach two steps (booklets issued already active). */
  @PrimaryColumn({ type: 'text' })
  step: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid', nullable: true })
  distributorId: string | null;

  @Column({ type: 'uuid', nullable: true })
  bookletId: string | null;

  @Column({ type: 'integer', nullable: true })
  booklets: number | null;

  @Column({ type: 'integer', nullable: true })
  vouchers: number | null;

  @Column({ type: 'bigint', nullable: true })
  valueCents: string | null;

  @Column({ type: 'date' })
  onDate: string;
}

/** What a statement settles of one order (issue 8: the funnel's settled step). */
@Entity({ name: 'report_statement_order' })
@Index('report_statement_order_order_idx', ['orderId'])
export class ReportStatementOrderEntity {
  @PrimaryColumn({ type: 'uuid' })
  statementId: string;

  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid', nullable: true })
  siteId: string | null;

  @Column({ type: 'integer' })
  vouchers: number;

  @Column({ type: 'bigint' })
  faceValueCents: string;

  @Column({ type: 'date' })
  issuedOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/** A settlement run's cutoff (`settlement.run_started`): its statements take what was recorded 24 h before it. */
@Entity({ name: 'report_settlement_run' })
export class ReportSettlementRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  runId: string;

  @Column({ type: 'timestamptz' })
  cutoff: Date;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/** Every statement issued (also those with correction lines only), with its run and site. */
@Entity({ name: 'report_statement' })
export class ReportStatementEntity {
  @PrimaryColumn({ type: 'uuid' })
  statementId: string;

  @Column({ type: 'uuid' })
  runId: string;

  @Column({ type: 'uuid' })
  siteId: string;

  @Column({ type: 'date' })
  issuedOn: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/**
 * The statement that settled each redemption, derived by the consumer (settled-redemptions.ts): a
 * run's statement for a site takes every redemption of that site in no earlier statement, not undone,
 * recorded at least 24 h before the run's cutoff — the rule the run itself applies — so the log
 * needs no list of redemptions per statement.
 */
@Entity({ name: 'report_redemption_statement' })
@Index('report_redemption_statement_statement_idx', ['statementId'])
export class ReportRedemptionStatementEntity {
  @PrimaryColumn({ type: 'uuid' })
  redemptionId: string;

  @Column({ type: 'uuid' })
  statementId: string;

  /** The redemption's order and Paris day recorded, copied here so counting a payout's redemptions reads this table alone. */
  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'date' })
  recordedOn: string;
}

/**
 * Redemptions paid to their site, counted per order, Paris day recorded and day the bank booked the
 * payout, from `on_date` (a payout given back counts again negatively from the day it came back): the
 * latency "redemption recorded → payout paid" as of D is a percentile over the rows with
 * `on_date` ≤ D — per programme a few thousand rows instead of every redemption.
 */
@Entity({ name: 'report_redemption_paid' })
@Index('report_redemption_paid_order_idx', ['orderId'])
export class ReportRedemptionPaidEntity {
  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @PrimaryColumn({ type: 'date' })
  recordedOn: string;

  @PrimaryColumn({ type: 'date' })
  paidOn: string;

  @PrimaryColumn({ type: 'date' })
  onDate: string;

  @Column({ type: 'bigint' })
  redemptions: string;
}

/** The statements a payout pays. */
@Entity({ name: 'report_payout_statement' })
@Index('report_payout_statement_statement_idx', ['statementId'])
export class ReportPayoutStatementEntity {
  @PrimaryColumn({ type: 'uuid' })
  payoutId: string;

  @PrimaryColumn({ type: 'uuid' })
  statementId: string;

  @Column({ type: 'bigint' })
  leafIndex: string;
}

/**
 * Per booklet handed over (the funnel's time to first use): the day of its latest hand-over and of
 * its first redemption. `simple`: one hand-over, never taken back, and no redemption undone — then
 * its figure as of any date D follows from the two dates alone (counted once both are ≤ D), and it
 * is counted in `report_first_use`; the few others are computed from their events at report time.
 * Derived from `report_funnel_step` and `report_redemption` by the consumer after each page.
 */
@Entity({ name: 'report_booklet_use' })
@Index('report_booklet_use_complex_idx', ['bookletId'], { where: 'NOT simple' })
export class ReportBookletUseEntity {
  @PrimaryColumn({ type: 'uuid' })
  bookletId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'date' })
  handedOn: string;

  @Column({ type: 'date', nullable: true })
  firstUsedOn: string | null;

  @Column({ type: 'boolean' })
  simple: boolean;
}

/**
 * Simple booklets used, counted per order, day both dates are reached (`ready_on`, the greater) and
 * days from hand-over to first use: the time to first use as of D is a percentile over the rows with
 * `ready_on` ≤ D, a few thousand rows instead of a join of every hand-over with every redemption.
 */
@Entity({ name: 'report_first_use' })
export class ReportFirstUseEntity {
  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @PrimaryColumn({ type: 'date' })
  readyOn: string;

  @PrimaryColumn({ type: 'integer' })
  days: number;

  @Column({ type: 'integer' })
  booklets: number;
}

/** `report_first_use` over every order (the operator's unfiltered funnel): a few thousand rows. */
@Entity({ name: 'report_first_use_all' })
export class ReportFirstUseAllEntity {
  @PrimaryColumn({ type: 'date' })
  readyOn: string;

  @PrimaryColumn({ type: 'integer' })
  days: number;

  @Column({ type: 'integer' })
  booklets: number;
}

/**
 * Vouchers and value redeemed per site and calendar month of the service, every redemption counted
 * (an undone one is taken off at report time, from `report_redemption_undone`): the operator's funnel
 * by site, commune or department adds the months before D's month and reads D's month from
 * `report_redemption`, instead of every redemption ever recorded.
 */
@Entity({ name: 'report_redeemed_site_month' })
export class ReportRedeemedSiteMonthEntity {
  @PrimaryColumn({ type: 'uuid' })
  siteId: string;

  /** First day of the month. */
  @PrimaryColumn({ type: 'date' })
  month: string;

  @Column({ type: 'bigint' })
  vouchers: string;

  @Column({ type: 'bigint' })
  valueCents: string;
}

/** The same per service category ('' when the redemption named none) and month. */
@Entity({ name: 'report_redeemed_category_month' })
export class ReportRedeemedCategoryMonthEntity {
  @PrimaryColumn({ type: 'text' })
  category: string;

  @PrimaryColumn({ type: 'date' })
  month: string;

  @Column({ type: 'bigint' })
  vouchers: string;

  @Column({ type: 'bigint' })
  valueCents: string;
}
