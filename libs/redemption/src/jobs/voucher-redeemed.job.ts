import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { formatFrenchDate, MailMessage, MailTransport } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { PersonalDataAccessLog, VaultService } from '@sillage/privacy';
import { JobHandler, JobHandlerRegistry, JobPayloads, PermanentJobError } from '@sillage/queue';

/** The consent purpose (hand-over `consent.purpose`) that allows this email. */
export const SURVEY_CONSENT_PURPOSE = 'satisfaction_survey';

export interface SurveyFacts {
  siteName: string;
  /** Paris date of the service, YYYY-MM-DD. */
  serviceDay: string;
  categoryLabelFr: string | null;
  categoryLabelEn: string | null;
}

/** The satisfaction-survey email, French then English: the site and the day, never a voucher code or serial. */
export function surveyEmail(to: string, f: SurveyFacts): MailMessage {
  const site = f.siteName.replace(/[\r\n]+/g, ' ').trim();
  const whatFr = f.categoryLabelFr ? ` (${f.categoryLabelFr})` : '';
  const whatEn = f.categoryLabelEn ? ` (${f.categoryLabelEn})` : '';
  return {
    to,
    subject: `[Sillage] Votre avis sur votre venue chez ${site} / Your feedback on your visit to ${site}`,
    text:
      `Bonjour,\n\n` +
      `Vous avez utilisé un chèque Sillage le ${formatFrenchDate(f.serviceDay)} chez ${site}${whatFr}. ` +
      `Comment cela s’est-il passé ? Votre avis aide à améliorer les services proposés : répondez à ce message en quelques mots.\n\n` +
      `Vous recevez ce message parce que vous avez accepté d’être contacté(e) pour des enquêtes de satisfaction. ` +
      `Pour retirer votre accord, adressez-vous à la structure qui vous a remis votre carnet ou utilisez la page de votre carnet.\n\n` +
      `---\n\n` +
      `Hello,\n\n` +
      `You used a Sillage voucher on ${f.serviceDay} at ${site}${whatEn}. ` +
      `How did it go? Your feedback helps improve the services on offer: reply to this message in a few words.\n\n` +
      `You receive this message because you agreed to be contacted for satisfaction surveys. ` +
      `To withdraw your consent, ask the organisation that gave you your booklet, or use your booklet's page.\n`,
    language: 'fr, en',
  };
}

/**
 * After a redemption (outbox row written by the redemption statement itself): if the beneficiary of
 * the booklet's live hand-over consented to be contacted for a satisfaction survey and gave an email,
 * one short survey email. Otherwise (bearer booklet, no consent, another purpose, no email, person
 * erased or unlinked, redemption undone before the job ran) nothing. The job id is derived from the
 * redemption, so it is queued once.
 *
 * Opening the contact record is a read of personal data: it is recorded in the access log as a system
 * read (purpose 'satisfaction_survey') in the transaction that opens it, before the email is sent.
 */
@Injectable()
export class VoucherRedeemedJob implements JobHandler<'redemption.voucher-redeemed'>, OnModuleInit {
  readonly name = 'redemption.voucher-redeemed' as const;
  private readonly log = new Logger('VoucherRedeemed');

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly tx: TransactionRunner,
    private readonly vault: VaultService,
    private readonly accessLog: PersonalDataAccessLog,
    private readonly mail: MailTransport,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ redemptionId }: JobPayloads['redemption.voucher-redeemed']): Promise<void> {
    const [failure] = await this.handleBatch([{ redemptionId }]);
    if (failure instanceof Error) throw failure;
    if (failure !== undefined) throw new Error('voucher-redeemed job failed');
  }

  /**
   * The relay's batch (an inline job, INLINE_JOBS): one query finds, among these redemptions, those
   * whose beneficiary consented to a survey with contact details still in the vault; only those are
   * opened and emailed. Each job's failure is its own (an unknown redemption fails for good, a mail
   * error is retried): the emails already sent are never sent again.
   */
  async handleBatch(payloads: JobPayloads['redemption.voucher-redeemed'][]): Promise<unknown[]> {
    const ids = payloads.map((p) => p.redemptionId);
    const rows: (SurveyFacts & { id: string; pseudonym: string | null })[] = await this.tx.manager.query(
      `SELECT r.id, survey.*
       FROM redemption r
       LEFT JOIN LATERAL (
         SELECT to_char(r.occurred_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "serviceDay", s.legal_name AS "siteName",
                c.label_fr AS "categoryLabelFr", c.label_en AS "categoryLabelEn", bp.person_pseudonym AS pseudonym
         FROM organisation s
         JOIN handover h ON h.booklet_id = r.booklet_id AND h.returned_at IS NULL
         JOIN beneficiary_profile bp ON bp.id = h.profile_id AND bp.unlinked_at IS NULL
         JOIN vault_person vp ON vp.pseudonym = bp.person_pseudonym
         JOIN vault_record vr ON vr.vault_id = vp.vault_id AND vr.field = 'contact' AND vr.consent_purpose = $2
         LEFT JOIN service_category c ON c.code = r.service_category_code
         WHERE s.id = r.site_id AND r.undone_at IS NULL) survey ON true
       WHERE r.id = ANY($1::uuid[])`,
      [ids, SURVEY_CONSENT_PURPOSE],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const failures: unknown[] = [];
    for (const id of ids) {
      const r = byId.get(id);
      if (!r) {
        failures.push(new PermanentJobError(`redemption ${id} does not exist`));
        continue;
      }
      failures.push(
        r.pseudonym
          ? await this.send(r.id, r.pseudonym, r).then(
              () => undefined,
              (e: unknown) => e,
            )
          : undefined,
      );
    }
    return failures;
  }

  private async send(redemptionId: string, pseudonym: string, facts: SurveyFacts): Promise<void> {
    const email = await this.tx.run(async (tx) => {
      const person = await this.vault.records(tx, pseudonym);
      const contact = person.erased ? undefined : person.records.contact;
      if (!contact?.record) return undefined;
      await this.accessLog.recordSystem(tx, pseudonym, 'contact', SURVEY_CONSENT_PURPOSE);
      const address = contact.record.email;
      return contact.consent.purpose === SURVEY_CONSENT_PURPOSE && typeof address === 'string' && address !== '' ? address : undefined;
    });
    if (!email) return;
    await this.mail.send(surveyEmail(email, facts));
    this.log.log({ msg: 'satisfaction survey sent', redemptionId });
  }
}
