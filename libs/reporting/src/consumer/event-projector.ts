import { parisDate } from '@sillage/common';

/** A sealed event as its canonical bytes say it (the fields reports read). */
export interface SealedEvent {
  leafIndex: number;
  id: string;
  recordedAt: string;
  action: string;
  actionVersion: number;
  subject: { type: string; id?: string; range?: { from: string; to: string; count: number } };
  facts: Record<string, string | number | boolean | null>;
}

/** Rows to insert into the aggregates, per table, in leaf order. */
export interface Projection {
  report_programme: { programme_id: string; policy_id: string; leaf_index: number }[];
  report_announcement: {
    announcement_id: string;
    policy_id: string;
    amount_cents: number | null;
    min_amount_cents: number | null;
    max_amount_cents: number | null;
    announced_on: string;
    leaf_index: number;
  }[];
  report_funding_source: {
    funding_source_id: string;
    programme_id: string;
    amount_cents: number;
    obtained_on: string;
    leaf_index: number;
  }[];
  report_grant: {
    grant_id: string;
    programme_id: string;
    funder_id: string;
    cofinancing_rate_bp: number;
    awarded_on: string;
    leaf_index: number;
  }[];
  report_grant_amount: { grant_id: string; leaf_index: number; effective_on: string; amount_cents: number }[];
  report_order: {
    order_id: string;
    funder_id: string;
    grant_id: string | null;
    contract_id: string | null;
    historical: boolean;
    face_value_cents: number;
    booklet_count: number;
    vouchers_per_booklet: number;
    unit_face_value_cents: number;
    ordered_on: string;
    leaf_index: number;
  }[];
  report_order_paid: { order_id: string; paid_on: string; leaf_index: number }[];
  report_credit_note: { credit_note_id: string; order_id: string; amount_cents: number; issued_on: string; leaf_index: number }[];
  report_programme_dates: { programme_id: string; leaf_index: number; laureates_published_on: string | null }[];
  report_contract: { contract_id: string; funder_id: string; published_on: string; notified_on: string; leaf_index: number }[];
  report_redemption: {
    redemption_id: string;
    order_id: string;
    site_id: string;
    booklet_id: string | null;
    service_category_code: string | null;
    vouchers: number;
    amount_cents: number;
    occurred_on: string;
    recorded_at: string;
    leaf_index: number;
  }[];
  report_redemption_undone: { redemption_id: string; undone_on: string; leaf_index: number }[];
  report_funnel_step: {
    leaf_index: number;
    step: FunnelStep;
    order_id: string;
    distributor_id: string | null;
    booklet_id: string | null;
    booklets: number | null;
    vouchers: number | null;
    value_cents: number | null;
    on_date: string;
  }[];
  report_money_movement: {
    leaf_index: number;
    kind: 'received' | 'fee' | 'credit_note' | 'payout';
    amount_cents: number;
    on_date: string;
    order_id: string | null;
    funder_id: string | null;
    site_id: string | null;
    payout_id: string | null;
  }[];
  report_statement_order: {
    statement_id: string;
    order_id: string;
    site_id: string | null;
    vouchers: number;
    face_value_cents: number;
    issued_on: string;
    leaf_index: number;
  }[];
  report_payout_statement: { payout_id: string; statement_id: string; leaf_index: number }[];
  report_settlement_run: { run_id: string; cutoff: string; leaf_index: number }[];
  report_statement: { statement_id: string; run_id: string; site_id: string; issued_on: string; leaf_index: number }[];
}

export const emptyProjection = (): Projection => ({
  report_programme: [],
  report_announcement: [],
  report_funding_source: [],
  report_grant: [],
  report_grant_amount: [],
  report_order: [],
  report_order_paid: [],
  report_credit_note: [],
  report_money_movement: [],
  report_programme_dates: [],
  report_contract: [],
  report_redemption: [],
  report_redemption_undone: [],
  report_funnel_step: [],
  report_statement_order: [],
  report_payout_statement: [],
  report_settlement_run: [],
  report_statement: [],
});

export type FunnelStep = 'issued' | 'active' | 'allocated' | 'distributed' | 'expired' | 'restituted';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

/**
 * Adds what one sealed event contributes to the aggregates. A pure function of the event, so a
 * rebuild from the log gives the same rows. Events of the first catalogue version did not carry the
 * business date reports filter on; for them the Paris date of `recordedAt` stands in (and an order
 * without `grantId` counts in no grant). Actions reports do not read contribute nothing.
 */
export function project(e: SealedEvent, into: Projection): void {
  const f = e.facts;
  const subjectId = e.subject.id ?? null;
  const recordedOn = parisDate(new Date(e.recordedAt));
  const leaf = e.leafIndex;
  if (e.action === 'issuance.booklets_issued') {
    // A range of booklets issued; already active when the order was paid before they were printed.
    const [orderId, vouchers] = [str(f.orderId), int(f.vouchers)];
    if (!orderId || !vouchers) return;
    into.report_funnel_step.push(funnel(leaf, 'issued', orderId, recordedOn, { vouchers }));
    if (f.status === 'ACTIVE') into.report_funnel_step.push(funnel(leaf, 'active', orderId, recordedOn, { vouchers }));
    return;
  }
  if (e.action === 'booklets.allocated' || e.action === 'booklets.returned') {
    // A range of booklets from the funder's stock to a distributor, or back (no longer allocated).
    const count = e.subject.range?.count;
    if (!str(f.orderId) || typeof count !== 'number') return;
    const signed = e.action === 'booklets.allocated' ? count : -count;
    const distributor = e.action === 'booklets.allocated' ? str(f.toDistributorId) : str(f.fromDistributorId);
    into.report_funnel_step.push(funnel(leaf, 'allocated', str(f.orderId)!, recordedOn, { booklets: signed, distributor }));
    return;
  }
  if (!subjectId) return;
  switch (e.action) {
    case 'programme.created':
      if (str(f.policyId)) into.report_programme.push({ programme_id: subjectId, policy_id: str(f.policyId)!, leaf_index: leaf });
      into.report_programme_dates.push({ programme_id: subjectId, leaf_index: leaf, laureates_published_on: str(f.laureatesPublishedOn) });
      return;
    case 'programme.updated':
      if (e.actionVersion >= 2) {
        into.report_programme_dates.push({
          programme_id: subjectId,
          leaf_index: leaf,
          laureates_published_on: str(f.laureatesPublishedOn),
        });
      }
      return;
    case 'contract.created':
      if (!str(f.funderId) || !str(f.publishedOn) || !str(f.notifiedOn)) return; // version 1 had no dates
      into.report_contract.push({
        contract_id: subjectId,
        funder_id: str(f.funderId)!,
        published_on: str(f.publishedOn)!,
        notified_on: str(f.notifiedOn)!,
        leaf_index: leaf,
      });
      return;
    case 'redemption.recorded': {
      const [vouchers, amount, occurredAt] = [int(f.vouchers), int(f.amountCents), str(f.occurredAt)];
      if (!str(f.orderId) || !str(f.siteId) || vouchers === null || amount === null || !occurredAt) return;
      into.report_redemption.push({
        redemption_id: subjectId,
        order_id: str(f.orderId)!,
        site_id: str(f.siteId)!,
        booklet_id: str(f.bookletId),
        service_category_code: str(f.serviceCategoryCode),
        vouchers,
        amount_cents: amount,
        occurred_on: parisDate(new Date(occurredAt)),
        recorded_at: e.recordedAt,
        leaf_index: leaf,
      });
      return;
    }
    case 'issuance.vouchers_activated':
    case 'settlement.vouchers_expired': {
      const [orderId, vouchers] = [str(f.orderId), int(f.vouchers)];
      if (!orderId || vouchers === null || vouchers === 0) return;
      const step = e.action === 'issuance.vouchers_activated' ? 'active' : 'expired';
      const value = step === 'active' ? int(f.amountCents) : int(f.faceValueCents);
      into.report_funnel_step.push(funnel(leaf, step, orderId, recordedOn, { vouchers, value }));
      return;
    }
    case 'booklet.handed_over':
    case 'booklet.handover_returned': {
      if (!str(f.orderId)) return;
      const handedOver = e.action === 'booklet.handed_over';
      into.report_funnel_step.push(
        funnel(leaf, 'distributed', str(f.orderId)!, handedOver ? (str(f.handedOn) ?? recordedOn) : recordedOn, {
          booklets: handedOver ? 1 : -1,
          distributor: str(f.distributorId),
          booklet: subjectId,
        }),
      );
      return;
    }
    case 'redemption.undone':
      into.report_redemption_undone.push({ redemption_id: subjectId, undone_on: recordedOn, leaf_index: leaf });
      return;
    case 'policy.announcement_added':
      if (!str(f.announcementId)) return;
      into.report_announcement.push({
        announcement_id: str(f.announcementId)!,
        policy_id: subjectId,
        amount_cents: int(f.amountCents),
        min_amount_cents: int(f.minAmountCents),
        max_amount_cents: int(f.maxAmountCents),
        announced_on: str(f.announcedOn) ?? recordedOn,
        leaf_index: leaf,
      });
      return;
    case 'programme.funding_source_added':
      if (!str(f.fundingSourceId) || int(f.amountCents) === null) return;
      into.report_funding_source.push({
        funding_source_id: str(f.fundingSourceId)!,
        programme_id: subjectId,
        amount_cents: int(f.amountCents)!,
        obtained_on: str(f.obtainedOn) ?? recordedOn,
        leaf_index: leaf,
      });
      return;
    case 'grant.created': {
      const amount = int(f.amountCents);
      if (!str(f.programmeId) || !str(f.funderId) || amount === null || int(f.cofinancingRateBp) === null) return;
      const awardedOn = str(f.awardedOn) ?? recordedOn;
      into.report_grant.push({
        grant_id: subjectId,
        programme_id: str(f.programmeId)!,
        funder_id: str(f.funderId)!,
        cofinancing_rate_bp: int(f.cofinancingRateBp)!,
        awarded_on: awardedOn,
        leaf_index: leaf,
      });
      into.report_grant_amount.push({ grant_id: subjectId, leaf_index: leaf, effective_on: awardedOn, amount_cents: amount });
      return;
    }
    case 'grant.amended': {
      const amount = int(f.newAmountCents);
      if (amount === null) return; // an end date change only
      into.report_grant_amount.push({
        grant_id: subjectId,
        leaf_index: leaf,
        effective_on: str(f.amendedOn) ?? recordedOn,
        amount_cents: amount,
      });
      return;
    }
    case 'order.created': {
      const [booklets, perBooklet, face] = [int(f.booklets), int(f.vouchersPerBooklet), int(f.faceValueCents)];
      if (!str(f.funderId) || booklets === null || perBooklet === null || face === null) return;
      into.report_order.push({
        order_id: subjectId,
        funder_id: str(f.funderId)!,
        grant_id: str(f.grantId),
        contract_id: str(f.contractId),
        historical: f.historical === true,
        face_value_cents: booklets * perBooklet * face,
        booklet_count: booklets,
        vouchers_per_booklet: perBooklet,
        unit_face_value_cents: face,
        ordered_on: str(f.orderedOn) ?? recordedOn,
        leaf_index: leaf,
      });
      // A historical order arrives paid (figures only): its payment date is part of its creation.
      if (f.historical === true && str(f.paidOn))
        into.report_order_paid.push({ order_id: subjectId, paid_on: str(f.paidOn)!, leaf_index: leaf });
      return;
    }
    case 'order.paid': {
      const paidOn = str(f.paidOn) ?? recordedOn;
      into.report_order_paid.push({ order_id: subjectId, paid_on: paidOn, leaf_index: leaf });
      const fee = int(f.feeCents);
      if (fee !== null && fee > 0) into.report_money_movement.push(money(leaf, 'fee', fee, paidOn, subjectId, str(f.funderId), null));
      return;
    }
    case 'order.payment_recorded':
      if (int(f.amountCents) === null) return;
      into.report_money_movement.push(
        money(leaf, 'received', int(f.amountCents)!, str(f.paidOn) ?? recordedOn, subjectId, str(f.funderId), null),
      );
      return;
    case 'settlement.payout_paid':
    case 'settlement.payout_returned': {
      // A payout counts when the bank booked it, and comes off again if the bank gives it back.
      const amount = int(f.amountCents);
      if (amount === null) return;
      const signed = e.action === 'settlement.payout_paid' ? amount : -amount;
      into.report_money_movement.push({
        ...money(leaf, 'payout', signed, str(f.bookedOn) ?? recordedOn, null, null, str(f.siteId)),
        payout_id: subjectId,
      });
      return;
    }
    case 'settlement.run_started':
      if (str(f.cutoff)) into.report_settlement_run.push({ run_id: subjectId, cutoff: str(f.cutoff)!, leaf_index: leaf });
      return;
    case 'settlement.statement_issued':
      if (str(f.runId) && str(f.siteId)) {
        into.report_statement.push({
          statement_id: subjectId,
          run_id: str(f.runId)!,
          site_id: str(f.siteId)!,
          issued_on: recordedOn,
          leaf_index: leaf,
        });
      }
      // v2: "orderId:vouchers:faceValueCents" per order, joined by ";".
      for (const part of (str(f.orders) ?? '').split(';').filter(Boolean)) {
        const [orderId, vouchers, face] = part.split(':');
        if (!orderId || !Number.isSafeInteger(Number(vouchers)) || !Number.isSafeInteger(Number(face))) continue;
        into.report_statement_order.push({
          statement_id: subjectId,
          order_id: orderId,
          site_id: str(f.siteId),
          vouchers: Number(vouchers),
          face_value_cents: Number(face),
          issued_on: recordedOn,
          leaf_index: leaf,
        });
      }
      return;
    case 'settlement.payout_created':
      for (const statementId of (str(f.statementIds) ?? '').split(',').filter(Boolean)) {
        into.report_payout_statement.push({ payout_id: subjectId, statement_id: statementId, leaf_index: leaf });
      }
      return;
    case 'settlement.credit_note_issued':
      if (!str(f.orderId) || int(f.amountCents) === null) return;
      into.report_credit_note.push({
        credit_note_id: subjectId,
        order_id: str(f.orderId)!,
        amount_cents: int(f.amountCents)!,
        issued_on: str(f.issuedOn) ?? recordedOn,
        leaf_index: leaf,
      });
      into.report_money_movement.push(
        money(leaf, 'credit_note', int(f.amountCents)!, str(f.issuedOn) ?? recordedOn, str(f.orderId), null, null),
      );
      if (int(f.expiredVouchers)) {
        into.report_funnel_step.push(
          funnel(leaf, 'restituted', str(f.orderId)!, str(f.issuedOn) ?? recordedOn, {
            vouchers: int(f.expiredVouchers),
            value: int(f.amountCents),
          }),
        );
      }
      return;
  }
}

function funnel(
  leaf: number,
  step: FunnelStep,
  orderId: string,
  onDate: string,
  p: { booklets?: number; vouchers?: number | null; value?: number | null; distributor?: string | null; booklet?: string },
): Projection['report_funnel_step'][number] {
  return {
    leaf_index: leaf,
    step,
    order_id: orderId,
    distributor_id: p.distributor ?? null,
    booklet_id: p.booklet ?? null,
    booklets: p.booklets ?? null,
    vouchers: p.vouchers ?? null,
    value_cents: p.value ?? null,
    on_date: onDate,
  };
}

function money(
  leaf: number,
  kind: Projection['report_money_movement'][number]['kind'],
  amount: number,
  onDate: string,
  orderId: string | null,
  funderId: string | null,
  siteId: string | null,
): Projection['report_money_movement'][number] {
  return {
    leaf_index: leaf,
    kind,
    amount_cents: amount,
    on_date: onDate,
    order_id: orderId,
    funder_id: funderId,
    site_id: siteId,
    payout_id: null,
  };
}
