export * from './reporting.module';
export * from './entities';
export { ReportConsumer, ConsumeResult } from './consumer/report-consumer';
export { ReportingLoop } from './consumer/reporting-loop';
export { project, emptyProjection, SealedEvent, Projection } from './consumer/event-projector';
export { orderFiguresFromEvents, OrderFigures } from './orders/order-figures';
export { OrderEvidenceBundle } from './orders/order-figures.service';
export { verifyOrderEvidence } from './orders/evidence-verifier';
