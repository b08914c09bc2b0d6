import { Injectable, Logger } from '@nestjs/common';
import { AuditActor, AuditLog } from '@sillage/audit';
import { formatEuros, uuidFromName } from '@sillage/common';
import { Tx } from '@sillage/db';
import { InvoiceDocument, InvoiceIssuer, InvoiceLine } from '@sillage/funding';
import { Ledger } from '@sillage/ledger';
import { Outbox } from '@sillage/queue';

const SYSTEM: AuditActor = { type: 'system' };

/** An order whose vouchers just expired, as the expiry hands it over (in its transaction). */
export interface ExpiredOrder {
  id: string;
  funderId: string;
  faceValueCents: number;
  expiredVouchers: number;
  /** The platform's `restitution_payable` account, which the expiry credited. */
  restitutionAccountId: string;
}

interface CreditedInvoice {
  id: string;
  number: string;
  issuedOn: string;
  document: InvoiceDocument;
}

interface IncidentRow {
  id: string;
  amountCents: string;
  voucherSerials: string[];
  occurredOn: string;
  fits: boolean;
}

/**
 * Accepted incidents charged to an order and not yet deducted or invoiced, oldest decision first,
 * with whether each still fits in `$2` cents. No lock needed: an incident accepted meanwhile is not
 * in this snapshot and is invoiced by a later run; `credit_note_incident`'s key counts each once.
 */
const OPEN_INCIDENTS_SQL = `SELECT i.id, i.amount_cents AS "amountCents", i.voucher_serials AS "voucherSerials",
       to_char(i.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "occurredOn",
       sum(i.amount_cents) OVER (ORDER BY i.resolved_at, i.id) <= $2::bigint AS fits
  FROM redemption_incident i
 WHERE i.order_id = $1 AND i.status = 'accepted'
   AND NOT EXISTS (SELECT 1 FROM credit_note_incident c WHERE c.incident_id = i.id)
 ORDER BY i.resolved_at, i.id`;

/**
 * Credit notes at expiry, and the invoices of accepted incidents the credit note could not absorb.
 * Everything runs in the expiry's per-order transaction: documents, ledger, audit and outbox commit
 * with the vouchers' status change, or none of them does.
 *
 * Amount: the expired vouchers' face value less the accepted incidents charged to the order (each
 * incident counts once: `credit_note_incident`). Incidents are deducted oldest decision first while
 * they fit in the unused value; any that do not fit are invoiced to the funder, like an incident
 * accepted after the note. Ledger: `restitution_payable` → the funder's `funder_available` for the
 * credited amount; the deducted part to the order's `order_receivable`, which the statements paying
 * those incidents to the sites debit (ADR 14).
 */
@Injectable()
export class CreditNoteIssuer {
  private readonly log = new Logger('CreditNotes');

  constructor(
    private readonly invoices: InvoiceIssuer,
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
  ) {}

  /** Issues the order's credit note for its just-expired vouchers; undefined when the order has no invoice to credit. */
  async issue(tx: Tx, order: ExpiredOrder): Promise<{ id: string; number: string; amountCents: number } | undefined> {
    const invoice = await this.faceValueInvoice(tx, order.id);
    if (!invoice) {
      // Every paid order has one (issued at confirmation); without it the value waits in restitution.
      this.log.warn({ msg: 'expired order has no face-value invoice: no credit note', orderId: order.id });
      return undefined;
    }
    const unused = order.expiredVouchers * order.faceValueCents;
    const incidents = await tx.query<IncidentRow[]>(OPEN_INCIDENTS_SQL, [order.id, unused]);
    const deducted = incidents.filter((i) => i.fits);
    const deduction = deducted.reduce((sum, i) => sum + Number(i.amountCents), 0);
    const amount = unused - deduction;

    const issued = await this.invoices.issue(
      tx,
      'credit_note',
      this.orderOf(invoice, order),
      [creditNoteLine(order, deduction, deducted.length)],
      { id: invoice.id, number: invoice.number, issuedOn: invoice.issuedOn },
      SYSTEM,
    );
    await tx.query(
      `INSERT INTO credit_note (id, number, order_id, funder_id, credited_invoice_id, expired_voucher_count, face_value_cents,
                                unused_face_value_cents, incident_deduction_cents, amount_cents, issued_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        issued.id,
        issued.number,
        order.id,
        order.funderId,
        invoice.id,
        order.expiredVouchers,
        order.faceValueCents,
        unused,
        deduction,
        amount,
        issued.document.issuedOn,
      ],
    );
    if (deducted.length > 0) {
      await tx.query(
        `INSERT INTO credit_note_incident (incident_id, order_id, kind, amount_cents, credit_note_id)
         SELECT id, $2, 'deducted', amount, $3 FROM unnest($1::uuid[], $4::bigint[]) AS d(id, amount)`,
        [deducted.map((i) => i.id), order.id, issued.id, deducted.map((i) => i.amountCents)],
      );
      // The deduction pays the order's receivable: the statements that pay these incidents to the sites
      // debit it (before or after this note: the account is unconstrained, ADR 14).
      const receivable = await this.ledger.openAccount(tx, {
        kind: 'order_receivable',
        ownerOrganisationId: order.funderId,
        orderId: order.id,
      });
      await this.ledger.transfer(tx, {
        id: uuidFromName(`credit-note-deduction:${issued.id}`),
        debitAccountId: order.restitutionAccountId,
        creditAccountId: receivable.id,
        amount: deduction,
        reference: { type: 'credit_note', id: issued.id },
        userData: { step: 'credit_note_deduction', orderId: order.id },
      });
    }
    if (amount > 0) {
      const available = await this.ledger.openAccount(tx, { kind: 'funder_available', ownerOrganisationId: order.funderId });
      await this.ledger.transfer(tx, {
        id: uuidFromName(`credit-note:${issued.id}`),
        debitAccountId: order.restitutionAccountId,
        creditAccountId: available.id,
        amount,
        reference: { type: 'credit_note', id: issued.id },
        userData: { step: 'credit_note', orderId: order.id },
      });
    }
    await this.audit.append(tx, {
      action: 'settlement.credit_note_issued',
      actor: SYSTEM,
      subject: { type: 'credit_note', id: issued.id },
      facts: {
        orderId: order.id,
        number: issued.number,
        expiredVouchers: order.expiredVouchers,
        unusedFaceValueCents: unused,
        incidentDeductionCents: deduction,
        amountCents: amount,
        issuedOn: issued.document.issuedOn,
      },
    });
    await this.outbox.enqueue(tx, 'settlement.credit-note-issued', { creditNoteId: issued.id }, `credit-note-issued:${issued.id}`);
    const beyond = incidents.filter((i) => !i.fits);
    if (beyond.length > 0) await this.invoiceIncidents(tx, order.id, beyond, invoice);
    return { id: issued.id, number: issued.number, amountCents: amount };
  }

  /**
   * Accepted incidents of an expired order that no credit note deducted (accepted after the note, or
   * beyond its unused value): one invoice to the funder, outside the scope of VAT like the vouchers'
   * face value, one line per incident. Returns the number of incidents invoiced.
   */
  async invoiceLateIncidents(tx: Tx, orderId: string): Promise<number> {
    // Two workers sweeping at once queue here; the second then finds nothing left to invoice.
    await tx.query(`SELECT 1 FROM purchase_order WHERE id = $1 FOR UPDATE`, [orderId]);
    const invoice = await this.faceValueInvoice(tx, orderId);
    if (!invoice) return 0;
    const incidents = await tx.query<IncidentRow[]>(OPEN_INCIDENTS_SQL, [orderId, 0]);
    if (incidents.length === 0) return 0;
    await this.invoiceIncidents(tx, orderId, incidents, invoice);
    return incidents.length;
  }

  private async invoiceIncidents(tx: Tx, orderId: string, incidents: IncidentRow[], invoice: CreditedInvoice): Promise<void> {
    const lines: InvoiceLine[] = incidents.map((i, n) => ({
      id: String(n + 1),
      description: `Incident accepté imputé à la commande, non déduit de l'avoir d'expiration : bons ${i.voucherSerials.join(', ')}, service du ${i.occurredOn}`,
      quantity: 1,
      unitPriceCents: Number(i.amountCents),
      netCents: Number(i.amountCents),
      vatCategory: 'O',
      vatRateBp: 0,
    }));
    const funderId = await this.funderOf(tx, orderId);
    const issued = await this.invoices.issue(tx, 'invoice', this.orderOf(invoice, { id: orderId, funderId }), lines, null, SYSTEM);
    await tx.query(
      `INSERT INTO credit_note_incident (incident_id, order_id, kind, amount_cents, invoice_id)
       SELECT id, $2, 'invoiced', amount, $3 FROM unnest($1::uuid[], $4::bigint[]) AS d(id, amount)`,
      [incidents.map((i) => i.id), orderId, issued.id, incidents.map((i) => i.amountCents)],
    );
    await this.audit.append(tx, {
      action: 'settlement.incidents_invoiced',
      actor: SYSTEM,
      subject: { type: 'invoice', id: issued.id },
      facts: { orderId, number: issued.number, incidents: incidents.length, amountCents: issued.document.totals.payableCents },
    });
  }

  private orderOf(invoice: CreditedInvoice, order: { id: string; funderId: string }) {
    return {
      id: order.id,
      reference: invoice.document.orderReference,
      funderId: order.funderId,
      contractReference: invoice.document.contractReference,
    };
  }

  private async funderOf(tx: Tx, orderId: string): Promise<string> {
    const rows = await tx.query<{ funderId: string }[]>(`SELECT funder_id AS "funderId" FROM purchase_order WHERE id = $1`, [orderId]);
    return rows[0].funderId;
  }

  /** The order's invoice for the vouchers' face value (its lines are outside the scope of VAT; the fee has its own). */
  private async faceValueInvoice(tx: Tx, orderId: string): Promise<CreditedInvoice | undefined> {
    const rows = await tx.query<CreditedInvoice[]>(
      `SELECT id, number, to_char(issued_on, 'YYYY-MM-DD') AS "issuedOn", document FROM invoice
        WHERE order_id = $1 AND kind = 'invoice' AND document->'lines'->0->>'vatCategory' = 'O'
          AND NOT EXISTS (SELECT 1 FROM credit_note_incident c WHERE c.invoice_id = invoice.id)
        ORDER BY created_at, id LIMIT 1`,
      [orderId],
    );
    return rows[0];
  }
}

/**
 * The credit note's one line, outside the scope of VAT like the invoice it credits. Without a
 * deduction: the expired vouchers at face value. With one, a line must still be quantity × price
 * (EN 16931 has no negative line here), so it is one line of the net amount that says how it is made.
 */
function creditNoteLine(order: ExpiredOrder, deduction: number, incidents: number): InvoiceLine {
  const unused = order.expiredVouchers * order.faceValueCents;
  const vouchers = `${order.expiredVouchers} bon(s) à usages multiples expiré(s) non utilisé(s), valeur faciale unitaire ${formatEuros(order.faceValueCents)}`;
  if (deduction === 0) {
    return {
      id: '1',
      description: vouchers,
      quantity: order.expiredVouchers,
      unitPriceCents: order.faceValueCents,
      netCents: unused,
      vatCategory: 'O',
      vatRateBp: 0,
    };
  }
  return {
    id: '1',
    description: `${vouchers} (${formatEuros(unused)}), moins ${incidents} incident(s) accepté(s) imputé(s) à la commande (${formatEuros(deduction)})`,
    quantity: 1,
    unitPriceCents: unused - deduction,
    netCents: unused - deduction,
    vatCategory: 'O',
    vatRateBp: 0,
  };
}
