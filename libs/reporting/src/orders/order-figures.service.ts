import { Injectable } from '@nestjs/common';
import { AuditBundle, AuditProofsService } from '@sillage/audit';
import { CommonError, parisDate } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { Principal } from '@sillage/identity';
import { reportFunder } from '../report-scope';
import { ReportSnapshot } from '../consumer/report-snapshot';
import { OrderFiguresDto, OrderFiguresReportDto } from './dto/order-figures.dto';
import { ORDER_EVIDENCE_ACTIONS, ORDERS_AS_OF_SQL } from './order-figures';

/** An evidence file: the report's figures, and the sealed events they are computed from, with proofs. */
export interface OrderEvidenceBundle extends Omit<AuditBundle, 'format'> {
  format: 'sillage.report.evidence.v1';
  report: 'orders';
  funderId: string;
  asOf: string;
  figures: OrderFiguresDto[];
}

/**
 * Order-level figures (what each order executed by a date) for one funder, and their evidence: the
 * funder can verify the events' proofs and recompute every figure offline (`npm run
 * audit:verify-bundle`), without trusting the operator (issue 8).
 */
@Injectable()
export class OrderFiguresService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reports: ReportSnapshot,
    private readonly proofs: AuditProofsService,
  ) {}

  async report(principal: Principal, asOf?: string, funderId?: string): Promise<OrderFiguresReportDto> {
    const funder = reportFunder(principal, funderId);
    // Order figures are one funder's: the operator names it.
    if (funder === null) throw new CommonError('VALIDATION_FAILED', 'funderId is required for the operator', { field: 'funderId' });
    const day = asOf ?? parisDate(new Date());
    return this.reports.run(async (tx, checkpoint) => {
      const rows = await tx.query<
        { orderId: string; grantId: string | null; historical: boolean; face: string; paidOn: string | null; credited: string }[]
      >(ORDERS_AS_OF_SQL, [day, funder]);
      const orders = rows
        .map((r) => ({
          orderId: r.orderId,
          grantId: r.grantId,
          historical: r.historical,
          faceValueCents: Number(r.face),
          paidOn: r.paidOn,
          creditedCents: Number(r.credited),
          executedCents: r.paidOn === null ? 0 : Number(r.face) - Number(r.credited),
        }))
        .sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
      return { funderId: funder, asOf: day, checkpoint, orders };
    });
  }

  /** The report with every event it was computed from and their inclusion proofs against its checkpoint. */
  async evidence(principal: Principal, asOf?: string, funderId?: string): Promise<OrderEvidenceBundle> {
    const report = await this.report(principal, asOf, funderId);
    if (!report.checkpoint) throw new CommonError('NOT_FOUND', 'nothing has been sealed and consumed yet: no evidence to give');
    const size = report.checkpoint.treeSize;
    const events = await this.tx.manager.query<{ id: string; canonical: Buffer; leafIndex: string }[]>(
      `SELECT e.id, e.canonical, l.leaf_index::text AS "leafIndex"
         FROM audit_event e JOIN audit_leaf l ON l.event_id = e.id
        WHERE l.leaf_index < $1 AND e.action = ANY($2::text[])
          AND ((e.subject_type = 'order' AND e.subject_id = ANY($3::text[]))
            OR (e.subject_type = 'credit_note' AND e.subject_id IN (SELECT credit_note_id::text FROM report_credit_note WHERE order_id = ANY($3::uuid[]))))
        ORDER BY l.leaf_index`,
      [size, ORDER_EVIDENCE_ACTIONS, report.orders.map((o) => o.orderId)],
    );
    const bundle = await this.proofs.bundleAt(
      size,
      events.map((e) => ({ id: e.id, canonical: e.canonical, leafIndex: Number(e.leafIndex) })),
    );
    return {
      ...bundle,
      format: 'sillage.report.evidence.v1',
      report: 'orders',
      funderId: report.funderId,
      asOf: report.asOf,
      figures: report.orders,
    };
  }
}
