import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { formatEuros, formatFrenchDate, MailMessage, MailTransport } from '@sillage/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { JobHandler, JobHandlerRegistry, JobPayloads, PermanentJobError } from '@sillage/queue';

interface NoteFacts {
  funderId: string;
  number: string;
  orderReference: string;
  expiredVoucherCount: number;
  amountCents: string;
  issuedOn: string;
}

/** The email telling a funder a credit note was issued (French, then English); no personal data but the address. */
export function creditNoteEmail(to: string, n: NoteFacts, url: string): MailMessage {
  const amount = formatEuros(Number(n.amountCents));
  return {
    to,
    subject: `[Sillage] Avoir ${n.number} — commande ${n.orderReference} / Credit note ${n.number} — order ${n.orderReference}`,
    text:
      `Les chèques non utilisés de la commande ${n.orderReference} ont expiré (${n.expiredVoucherCount} chèque(s)). ` +
      `L'avoir ${n.number} du ${formatFrenchDate(n.issuedOn)} vous rembourse ${amount}. Avoir (PDF et XML) : ${url}\n\n---\n\n` +
      `The unused vouchers of order ${n.orderReference} expired (${n.expiredVoucherCount} voucher(s)). ` +
      `Credit note ${n.number} of ${n.issuedOn} returns ${amount} to you. Credit note (PDF and XML): ${url}\n`,
    language: 'fr, en',
  };
}

/** Emails an issued credit note's funder: its active admin and finance users. */
@Injectable()
export class CreditNoteIssuedJob implements JobHandler<'settlement.credit-note-issued'>, OnModuleInit {
  readonly name = 'settlement.credit-note-issued' as const;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly tx: TransactionRunner,
    private readonly mail: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ creditNoteId }: JobPayloads['settlement.credit-note-issued']): Promise<void> {
    const rows = await this.tx.manager.query<NoteFacts[]>(
      `SELECT c.funder_id AS "funderId", c.number, o.reference AS "orderReference", c.expired_voucher_count AS "expiredVoucherCount",
              c.amount_cents AS "amountCents", to_char(c.issued_on, 'YYYY-MM-DD') AS "issuedOn"
         FROM credit_note c JOIN purchase_order o ON o.id = c.order_id WHERE c.id = $1`,
      [creditNoteId],
    );
    const note = rows[0];
    if (!note) throw new PermanentJobError(`credit note ${creditNoteId} does not exist`);
    const users = await this.tx.manager.query<{ email: string }[]>(
      `SELECT email FROM app_user WHERE organisation_id = $1 AND role IN ('admin', 'finance') AND status = 'active' ORDER BY email`,
      [note.funderId],
    );
    const url = `${this.config.http.publicBaseUrl.replace(/\/$/, '')}/v1/credit-notes/${creditNoteId}`;
    for (const u of users) await this.mail.send(creditNoteEmail(u.email, note, url));
  }
}
