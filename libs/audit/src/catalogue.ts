/**
 * The event catalogue: one versioned schema per action. `append` refuses an unknown action, an
 * unknown fact, a missing required fact or a fact of the wrong type, so what reports read from
 * sealed events has a known shape. Checks are plain `typeof` tests (append is on every hot path).
 *
 * Adding an action: one entry here (version 1). Changing a schema: bump its version; old events keep
 * the version they were written with (`actionVersion` in their canonical bytes).
 */
export type FactType = 'string' | 'integer' | 'boolean' | 'string|null';

export interface FactSpec {
  type: FactType;
  /** May be absent (a present value must still have the type). */
  optional?: boolean;
}

export interface ActionSchema {
  version: number;
  facts: Record<string, FactSpec>;
}

const s = (optional = false): FactSpec => ({ type: 'string', optional });
const i = (optional = false): FactSpec => ({ type: 'integer', optional });
const b = (optional = false): FactSpec => ({ type: 'boolean', optional });
const sn = (optional = false): FactSpec => ({ type: 'string|null', optional });

/** Every action may reference a purgeable free-text comment (audit_comment) by id. */
const COMMENT_FACT: FactSpec = { type: 'string', optional: true };

const schema = (facts: Record<string, FactSpec> = {}, version = 1): ActionSchema => ({ version, facts });

export const AUDIT_CATALOGUE: Readonly<Record<string, ActionSchema>> = {
  'admin.queues_board_opened': schema(),
  'api_key.created': schema({ organisationId: s(), role: s() }),
  'api_key.revoked': schema({ organisationId: s(), role: s() }),
  'auth.login_failed': schema(),
  'auth.login_succeeded': schema({ totp: b(), sessionFamilyId: s() }),
  'auth.logout': schema({ sessionFamilyId: s() }),
  'auth.password_set': schema({ revokedRefreshTokens: i(true) }),
  'auth.refresh_reuse_detected': schema({ sessionFamilyId: s() }),
  'auth.session_revoked': schema({ sessionFamilyId: s() }),
  'auth.set_password_link_issued': schema({ channel: s(), attempt: i() }),
  'auth.totp_enabled': schema({ via: s() }),
  'auth.totp_enrolment_started': schema({ via: s() }),
  'booklet.handed_over': schema({ orderId: s(), funderId: s(), distributorId: s(), handoverId: s(), handedOn: s() }),
  'booklet.handover_returned': schema({ orderId: s(), distributorId: s(), handoverId: s() }),
  'booklets.allocated': schema({ movementId: s(), orderId: s(), funderId: s(), fromDistributorId: sn(), toDistributorId: sn() }),
  'booklets.returned': schema({ movementId: s(), orderId: s(), funderId: s(), fromDistributorId: sn(), toDistributorId: sn() }),
  'booklets.transferred': schema({ movementId: s(), orderId: s(), funderId: s(), fromDistributorId: sn(), toDistributorId: sn() }),
  'privacy.retention_applied': schema({ erased: i(), accessLogPurged: i(), retentionMonths: i() }),
  'privacy_request.opened': schema({ kind: s() }),
  'public_category.created': schema({ funderId: s(), code: s() }),
  'beneficiary.consent_withdrawn': schema({ field: s(), deleted: b() }),
  'beneficiary.erased': schema({ alreadyErased: b() }),
  'beneficiary.exported': schema({ tables: i() }),
  'redemption.incident_accepted': schema({ siteId: s(), orderId: sn(), amountCents: i() }),
  'redemption.incident_recorded': schema({ siteId: s(), reasonCode: s(), orderId: sn(), vouchers: i() }),
  'redemption.incident_rejected': schema({ siteId: s(), orderId: sn(), amountCents: i() }),
  'redemption.recorded': schema({
    siteId: s(),
    orderId: s(),
    bookletId: s(),
    vouchers: i(),
    amountCents: i(),
    serviceCategoryCode: s(),
    occurredAt: s(),
    channel: s(),
  }),
  'redemption.undone': schema({ siteId: s(), orderId: s(), vouchers: i(), amountCents: i() }),
  'site.applied': schema({ charterVersion: s() }),
  'site.bank_account_rejected': schema({ bankAccountId: s() }),
  'site.bank_account_requested': schema({ bankAccountId: s(), ibanLast4: s() }),
  'site.bank_account_verified': schema({ bankAccountId: s(), ibanLast4: s() }),
  'site.profile_updated': schema(),
  'site.qualified': schema({ labelName: s(), validFrom: s(), validUntil: s() }),
  'site.revoked': schema(),
  'site.suspended': schema(),
  'settlement.pricing_rule_created': schema({
    contractId: sn(),
    version: i(),
    rateBp: i(true),
    fixedAmountCents: i(true),
    commissionBp: i(),
    validFrom: s(),
    validUntil: sn(),
  }),
  'settlement.run_started': schema({ cutoff: s() }),
  'settlement.correction_recorded': schema({ siteId: s(), kind: s(), amountCents: i(), reasonCode: s() }),
  // v2: the statements it pays, comma-separated ids (the funnel's paid step, issue 8).
  'settlement.payout_created': schema(
    { batchId: s(), siteId: s(), reference: s(), amountCents: i(), statements: i(), ibanLast4: s(), statementIds: s() },
    2,
  ),
  'settlement.payout_batch_prepared': schema({ number: s(), payments: i(), totalCents: i(), sha256: s() }),
  'settlement.payout_batch_approved': schema({ number: s() }),
  'settlement.payout_batch_released': schema({ number: s(), payments: i(), totalCents: i() }),
  'settlement.payout_batch_downloaded': schema({ number: s(), format: s(), sha256: s() }),
  // v2: the bank's booking date (money reports, issue 8).
  'settlement.payout_paid': schema({ reference: s(), siteId: s(), amountCents: i(), importId: s(), bookedOn: sn() }, 2),
  'settlement.payout_rejected': schema(
    { reference: s(), siteId: s(), amountCents: i(), importId: s(), returnReason: sn(), bookedOn: sn() },
    2,
  ),
  'settlement.payout_returned': schema(
    { reference: s(), siteId: s(), amountCents: i(), importId: s(), returnReason: sn(), bookedOn: sn() },
    2,
  ),
  'settlement.bank_statement_imported': schema({
    format: s(),
    entries: i(),
    transactions: i(),
    paid: i(),
    rejected: i(),
    returned: i(),
    amountMismatch: i(),
    unmatched: i(),
    conflict: i(),
    alreadyApplied: i(),
    notBooked: i(),
  }),
  'settlement.run_completed': schema({ cutoff: s(), statements: i(), amountCents: i() }),
  // v2: `orders`, what it settles per order: "orderId:vouchers:faceValueCents" joined by ";" (the funnel's settled step).
  'settlement.statement_issued': schema(
    {
      runId: s(),
      siteId: s(),
      number: s(),
      redemptions: i(),
      vouchers: i(),
      faceValueCents: i(),
      totalCents: i(),
      orders: s(),
    },
    2,
  ),
  'settlement.vouchers_expired': schema({ orderId: s(), vouchers: i(), faceValueCents: i() }),
  'settlement.credit_note_issued': schema(
    {
      orderId: s(),
      number: s(),
      expiredVouchers: i(),
      unusedFaceValueCents: i(),
      incidentDeductionCents: i(),
      amountCents: i(),
      issuedOn: s(),
    },
    2,
  ),
  'settlement.incidents_invoiced': schema({ orderId: s(), number: s(), incidents: i(), amountCents: i() }),
  'settlement.credit_note_downloaded': schema({ orderId: s(), format: s() }),
  'booklet.blocked': schema({ orderId: s(), vouchers: i() }),
  'booklet.replaced': schema({ orderId: s(), replacementBookletId: s(), replacementSerial: s(), vouchers: i(), valueCents: i() }),
  'booklet.unblocked': schema({ orderId: s(), vouchers: i() }),
  'invoice.issued': schema({ orderId: s(), kind: s(), number: s(), payableCents: i(), creditedInvoiceId: s(true) }),
  'invoice.downloaded': schema({ orderId: s(), format: s() }),
  'issuance.booklets_issued': schema({ orderId: s(), booklets: i(), vouchers: i(), status: s() }),
  'issuance.vouchers_activated': schema({ orderId: s(), vouchers: i(), amountCents: i() }),
  'issuance.vouchers_voided': schema({ orderId: s(), vouchers: i() }),
  'order.cancelled': schema({ funderId: s(), vouchersVoided: i() }),
  'order.confirmed': schema({ funderId: s(), booklets: i(), vouchers: i(), amountDueCents: i(), invoiceNumber: s() }),
  'order.created': schema(
    {
      funderId: s(),
      historical: b(),
      booklets: i(),
      vouchersPerBooklet: i(),
      faceValueCents: i(),
      grantId: sn(),
      contractId: sn(),
      orderedOn: s(),
      paidOn: sn(),
    },
    2,
  ),
  'order.paid': schema({ funderId: s(), amountDueCents: i(), paidOn: s(), feeCents: i() }, 2),
  'order.payment_recorded': schema(
    { funderId: s(), paymentId: s(), amountCents: i(), paidCents: i(), amountDueCents: i(), paidOn: s() },
    2,
  ),
  'order.validity_extended': schema({ funderId: s(), previousEndDate: s(), newEndDate: s() }),
  'print_file.downloaded': schema({ orderId: s(), format: s(), part: i() }),
  'print_file.requested': schema({ orderId: s(), format: s(), parts: i() }),
  'voucher.blocked': schema({ orderId: s(), bookletId: s() }),
  'voucher.unblocked': schema({ orderId: s(), bookletId: s() }),
  'contract.created': schema({ funderId: s(), upstreamFeeRateBp: i(), publishedOn: s(), notifiedOn: s() }, 2),
  'distribution.notices_created': schema({ notices: i() }),
  // v2: the business dates reports read "as of" (issue 8).
  'grant.amended': schema(
    {
      amendmentId: s(),
      programmeId: s(),
      funderId: s(),
      previousAmountCents: i(),
      newAmountCents: i(true),
      endDateChanged: b(),
      amendedOn: s(),
    },
    2,
  ),
  'grant.created': schema({ programmeId: s(), funderId: s(), amountCents: i(), cofinancingRateBp: i(), awardedOn: s() }, 2),
  'organisation.created': schema({ kinds: s(), funderType: sn(true), communeCode: s() }),
  'organisation.updated': schema({ changed: s(), kinds: s(), funderType: sn(), communeCode: s() }),
  'partnership.created': schema({ funderId: s(), distributorId: s() }),
  'partnership.ended': schema({ funderId: s(), distributorId: s() }),
  'policy.announcement_added': schema(
    { announcementId: s(), amountCents: i(true), minAmountCents: i(true), maxAmountCents: i(true), announcedOn: s() },
    2,
  ),
  'policy.created': schema(),
  'policy.published': schema({ slug: s() }),
  'policy.unpublished': schema(),
  'policy.updated': schema({ changed: s() }),
  'programme.created': schema({ policyId: s(), maxCofinancingRateBp: i(), laureatesPublishedOn: sn() }, 2),
  'programme.funding_source_added': schema({ fundingSourceId: s(), policyId: s(), amountCents: i(), obtainedOn: s() }, 2),
  'programme.updated': schema({ policyId: s(), changed: s(), maxCofinancingRateBp: i(), laureatesPublishedOn: sn() }, 2),
  'service_category.created': schema({ active: b() }),
  'service_category.updated': schema({ changed: s(), active: b() }),
  'user.created': schema({ organisationId: s(), role: s(), status: s(true) }),
  'user.set_password_link_issued': schema({ organisationId: s(), channel: s() }),
  'user.updated': schema({
    organisationId: s(),
    changed: s(),
    roleFrom: s(),
    roleTo: s(),
    statusFrom: s(),
    statusTo: s(),
    revokedRefreshTokens: i(),
  }),
};

function hasType(value: unknown, type: FactType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

/** The problem with an event's action and facts, or undefined when they match the catalogue. */
export function catalogueProblem(action: string, facts: Record<string, unknown>): string | undefined {
  const entry = Object.prototype.hasOwnProperty.call(AUDIT_CATALOGUE, action) ? AUDIT_CATALOGUE[action] : undefined;
  if (!entry) return `unknown audit action "${action}" (add it to libs/audit/src/catalogue.ts)`;
  for (const key of Object.keys(facts)) {
    const spec = Object.prototype.hasOwnProperty.call(entry.facts, key) ? entry.facts[key] : key === 'commentId' ? COMMENT_FACT : undefined;
    if (!spec) return `audit action "${action}" has no fact "${key}"`;
    if (facts[key] === undefined && spec.optional) continue;
    if (!hasType(facts[key], spec.type)) return `audit fact "${action}.${key}" must be ${spec.type}`;
  }
  for (const [key, spec] of Object.entries(entry.facts)) {
    if (!spec.optional && facts[key] === undefined) return `audit action "${action}" needs fact "${key}"`;
  }
  return undefined;
}

export function actionVersion(action: string): number {
  return AUDIT_CATALOGUE[action]?.version ?? 0;
}
