import { newestFirstPage } from '../newest-first-page';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { CommonError, Page } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { actorOf, isOperator, isUniqueViolation, Principal } from '@sillage/identity';
import { SettlementError } from '../settlement.errors';
import { ruleInForceSql } from '../statements/statement-sql';
import { CORRECTION_REASONS, CorrectionDto, CreateCorrectionDto, ListCorrectionsQueryDto } from './dto/correction.dto';

interface CorrectionRow {
  id: string;
  siteId: string;
  kind: string;
  amountCents: string;
  orderId: string | null;
  redemptionId: string | null;
  reasonCode: string;
  note: string | null;
  sourceStatementId: string | null;
  statementId: string | null;
  createdAt: Date;
}

const COLUMNS = `id, site_id AS "siteId", kind, amount_cents::text AS "amountCents", order_id AS "orderId", redemption_id AS "redemptionId",
  reason_code AS "reasonCode", note, source_statement_id AS "sourceStatementId", statement_id AS "statementId", created_at AS "createdAt"`;

/**
 * A site's redemption, its statement, and what the site was paid for it: its share of the statement
 * line that priced it (same order, category and rule in force on its service day), half-up to the cent.
 */
const REDEMPTION_PAID_SQL = `SELECT r.order_id AS "orderId", r.amount_cents::text AS amount, r.statement_id AS "statementId",
       (SELECT ((l.amount_cents * r.amount_cents * 2 + l.face_value_cents) / (2 * l.face_value_cents))::text
          FROM settlement_statement_line l JOIN purchase_order o ON o.id = r.order_id
         CROSS JOIN LATERAL (${ruleInForceSql('o', "(r.occurred_at AT TIME ZONE 'Europe/Paris')::date")}) rule
         WHERE l.statement_id = r.statement_id AND l.kind = 'service' AND l.order_id = r.order_id
           AND l.service_category_code = r.service_category_code AND l.pricing_rule_id = rule.id AND l.face_value_cents > 0) AS paid
  FROM redemption r WHERE r.id = $1 AND r.site_id = $2`;

const toDto = (r: CorrectionRow): CorrectionDto => ({ ...r, amountCents: Number(r.amountCents), createdAt: r.createdAt.toISOString() });

/**
 * Corrections a site owes back — an overpayment, or a service found fraudulent after it was settled —
 * recorded by operator finance and deducted from the site's next statements; a statement already issued
 * is never edited. Sites read their own.
 */
@Injectable()
export class CorrectionsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, input: CreateCorrectionDto, requestId?: string): Promise<CorrectionDto> {
    const reasons: readonly string[] = CORRECTION_REASONS[input.kind];
    if (!reasons.includes(input.reasonCode)) {
      throw new CommonError(
        'VALIDATION_FAILED',
        `reasonCode ${input.reasonCode} does not fit kind ${input.kind}: use one of ${reasons.join(', ')}`,
        {
          field: 'reasonCode',
        },
      );
    }
    return this.tx.run(async (tx) => {
      const [site] = await tx.query<{ id: string }[]>(`SELECT organisation_id AS id FROM site_profile WHERE organisation_id = $1`, [
        input.siteId,
      ]);
      if (!site) throw new SettlementError('NOT_FOUND', 'site not found', { field: 'siteId' });
      let orderId: string | null = null;
      if (input.redemptionId !== undefined) {
        const [r] = await tx.query<{ orderId: string; amount: string; paid: string | null; statementId: string | null }[]>(
          REDEMPTION_PAID_SQL,
          [input.redemptionId, input.siteId],
        );
        if (!r) throw new SettlementError('NOT_FOUND', 'redemption not found at this site', { field: 'redemptionId' });
        if (!r.statementId) {
          throw new SettlementError(
            'NOT_SETTLED',
            'this redemption is in no statement yet: undo it (within 24 h) or resolve it before settlement instead of recording a correction',
            { field: 'redemptionId' },
          );
        }
        // What the site was paid for it: never more can be taken back (a rate below 100 %, a commission).
        const paid = r.paid ?? r.amount;
        if (input.amountCents > Number(paid)) {
          throw new CommonError(
            'VALIDATION_FAILED',
            `amountCents ${input.amountCents} exceeds the ${paid} cents the site was paid for this redemption (face value ${r.amount})`,
            { field: 'amountCents' },
          );
        }
        const [dup] = await tx.query<{ id: string }[]>(`SELECT id FROM settlement_correction WHERE redemption_id = $1 AND kind = 'fraud'`, [
          input.redemptionId,
        ]);
        if (dup && input.kind === 'fraud') {
          throw new SettlementError('CORRECTION_EXISTS', 'this redemption was already recorded as fraudulent', { field: 'redemptionId' });
        }
        orderId = r.orderId;
      }
      const [row] = await tx
        .query<CorrectionRow[]>(
          `INSERT INTO settlement_correction (site_id, kind, amount_cents, order_id, redemption_id, reason_code, note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
          [
            input.siteId,
            input.kind,
            -input.amountCents,
            orderId,
            input.redemptionId ?? null,
            input.reasonCode,
            input.note ?? null,
            principal.id,
          ],
        )
        .catch((e: unknown) => {
          // Two fraud records for one redemption at the same time: the unique index decides, the loser gets 409.
          if (isUniqueViolation(e, 'settlement_correction_fraud_key')) {
            throw new SettlementError('CORRECTION_EXISTS', 'this redemption was already recorded as fraudulent', { field: 'redemptionId' });
          }
          throw e;
        });
      await this.audit.append(tx, {
        action: 'settlement.correction_recorded',
        actor: actorOf(principal),
        subject: { type: 'settlement_correction', id: row.id },
        facts: { siteId: input.siteId, kind: input.kind, amountCents: -input.amountCents, reasonCode: input.reasonCode },
        requestId,
      });
      return toDto(row);
    });
  }

  async list(principal: Principal, q: ListCorrectionsQueryDto): Promise<Page<CorrectionDto>> {
    const siteId = isOperator(principal) ? (q.siteId ?? null) : principal.organisationId;
    const page = await newestFirstPage<CorrectionRow>(this.tx.manager, q, {
      select: COLUMNS,
      from: 'settlement_correction',
      where: `($1::uuid IS NULL OR site_id = $1) AND ($2::text IS NULL OR (statement_id IS NULL) = ($2 = 'open'))`,
      params: [siteId, q.state ?? null],
      key: 'created_at',
      id: 'id',
    });
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }
}
