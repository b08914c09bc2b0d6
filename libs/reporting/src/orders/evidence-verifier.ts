import { verifyAuditBundle } from '@sillage/audit';
import { SealedEvent } from '../consumer/event-projector';
import { OrderFigures, orderFiguresFromEvents } from './order-figures';
import type { OrderEvidenceBundle } from './order-figures.service';

/**
 * Verifies an order evidence bundle with no database: the checkpoint's signature and every event's
 * inclusion proof (as `verifyAuditBundle`), that every event is about the bundle's funder, then
 * recomputes each order's figures from the events and compares them with the report's. An event left
 * out, added or altered makes it fail.
 */
export function verifyOrderEvidence(
  bundle: OrderEvidenceBundle,
  trustedKeyPem?: string,
): { ok: boolean; problems: string[]; orders: number } {
  if (bundle?.format !== 'sillage.report.evidence.v1' || bundle.report !== 'orders') {
    return { ok: false, problems: ['not a sillage.report.evidence.v1 orders file'], orders: 0 };
  }
  const problems = [...verifyAuditBundle({ ...bundle, format: 'sillage.audit.bundle.v1' }, trustedKeyPem).problems];
  const events: SealedEvent[] = [];
  for (const e of bundle.events) {
    try {
      const doc = JSON.parse(Buffer.from(e.canonical, 'base64').toString('utf8')) as Omit<SealedEvent, 'leafIndex'>;
      events.push({ ...doc, facts: doc.facts ?? {}, leafIndex: e.leafIndex });
    } catch {
      problems.push(`event ${e.eventId}: its bytes are not JSON`);
    }
  }
  for (const e of events) {
    if (e.action === 'order.created' && e.facts.funderId !== bundle.funderId) {
      problems.push(`event ${e.id}: order ${e.subject.id} belongs to another funder`);
    }
  }
  const recomputed = new Map(orderFiguresFromEvents(events, bundle.asOf).map((o) => [o.orderId, o]));
  const reported = new Map((bundle.figures ?? []).map((o) => [o.orderId, o]));
  for (const [id, figures] of reported) {
    const mine = recomputed.get(id);
    if (!mine) problems.push(`order ${id}: the report gives figures, but no event in the bundle creates it`);
    else for (const difference of differences(figures, mine)) problems.push(`order ${id}: ${difference}`);
  }
  for (const id of recomputed.keys())
    if (!reported.has(id)) problems.push(`order ${id}: its events are in the bundle, but the report leaves it out`);
  return { ok: problems.length === 0, problems, orders: reported.size };
}

function differences(reported: OrderFigures, recomputed: OrderFigures): string[] {
  const keys: (keyof OrderFigures)[] = ['grantId', 'historical', 'faceValueCents', 'paidOn', 'creditedCents', 'executedCents'];
  return keys
    .filter((k) => reported[k] !== recomputed[k])
    .map((k) => `${k} is ${JSON.stringify(reported[k])} in the report but ${JSON.stringify(recomputed[k])} recomputed from the events`);
}
