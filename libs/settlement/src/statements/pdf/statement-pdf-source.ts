import { communeName } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { currentBankAccount, ibanLast4 } from '@sillage/sites';
import type { StatementDto } from '../dto/statement.dto';
import type { StatementPdfDocument, StatementPdfParty, StatementPdfStatus } from './statement-pdf-types';

interface PartyRow {
  isSite: boolean;
  legalName: string;
  siren: string;
  siret: string | null;
  addressLine: string;
  postcode: string;
  communeCode: string;
}

const toParty = (r: PartyRow): StatementPdfParty => ({
  name: r.legalName,
  siren: r.siren,
  siret: r.siret,
  addressLine: r.addressLine,
  postcode: r.postcode,
  city: communeName(r.communeCode) ?? null,
});

/**
 * Everything the PDF prints beyond the statement itself (already read and scoped to the caller):
 * the site's and the operator's identity, the orders' references, the categories' French labels
 * and the bank account paid (the payout's, else the site's verified one; only the last 4 IBAN characters leave this function).
 */
export async function loadStatementPdfDocument(m: Tx, s: StatementDto): Promise<StatementPdfDocument> {
  const lines = s.lines ?? [];
  const parties = await m.query<PartyRow[]>(
    `SELECT o.id = $1 AS "isSite", o.legal_name AS "legalName", o.siren, o.siret, o.address_line AS "addressLine", o.postcode,
            o.commune_code AS "communeCode"
       FROM organisation o
      WHERE o.id = $1 OR o.id = (SELECT id FROM organisation WHERE 'operator' = ANY(kinds) ORDER BY created_at, id LIMIT 1)`,
    [s.siteId],
  );
  const orderIds = [...new Set(lines.map((l) => l.orderId).filter((id): id is string => id !== null))];
  const orders = await m.query<{ id: string; reference: string }[]>(`SELECT id, reference FROM purchase_order WHERE id = ANY($1::uuid[])`, [
    orderIds,
  ]);
  const codes = [...new Set(lines.map((l) => l.serviceCategoryCode).filter((c): c is string => c !== null))];
  const categories = await m.query<{ code: string; label: string }[]>(
    `SELECT code, label_fr AS label FROM service_category WHERE code = ANY($1::text[])`,
    [codes],
  );
  // Covered by a payout: the account that payout pays (copied when it was made); otherwise the current verified one.
  const [paidTo] = s.payoutId
    ? await m.query<{ holderName: string; iban: string }[]>(
        `SELECT creditor_name AS "holderName", creditor_iban AS iban FROM payout WHERE id = $1`,
        [s.payoutId],
      )
    : [];
  const account = paidTo ?? (await currentBankAccount(m, s.siteId));

  const site = parties.find((p) => p.isSite);
  const issuer = parties.find((p) => !p.isSite);
  const references = new Map(orders.map((o) => [o.id, o.reference]));
  const labels = new Map(categories.map((c) => [c.code, c.label]));
  return {
    number: s.number,
    runId: s.runId,
    cutoff: s.cutoff,
    issuedAt: s.createdAt,
    status: s.status as StatementPdfStatus,
    site: site ? toParty(site) : { name: s.siteName, siren: null, siret: null, addressLine: '', postcode: '', city: null },
    issuer: issuer ? toParty(issuer) : null,
    lines: lines.map((l) => {
      const correction = l.kind === 'correction';
      return {
        kind: correction ? 'correction' : 'service',
        orderReference: l.orderId ? (references.get(l.orderId) ?? l.orderId) : null,
        serviceCategory: l.serviceCategoryCode ? (labels.get(l.serviceCategoryCode) ?? l.serviceCategoryCode) : null,
        pricingRule: l.pricingRule ?? l.label,
        redemptionCount: correction ? null : l.redemptionCount,
        voucherCount: correction ? null : l.voucherCount,
        faceValueCents: l.faceValueCents,
        commissionCents: l.commissionCents,
        amountCents: l.amountCents,
      };
    }),
    totals: {
      voucherCount: s.voucherCount,
      faceValueCents: s.faceValueCents,
      commissionCents: s.commissionCents,
      totalCents: s.totalCents,
    },
    account: account ? { holderName: account.holderName, ibanLength: account.iban.length, ibanLast4: ibanLast4(account.iban) } : null,
  };
}
