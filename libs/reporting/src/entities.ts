import {
  ReportAnnouncementEntity,
  ReportCreditNoteEntity,
  ReportFundingSourceEntity,
  ReportMoneyMovementEntity,
  ReportGrantAmountEntity,
  ReportGrantEntity,
  ReportOrderEntity,
  ReportOrderPaidEntity,
  ReportProgrammeEntity,
  ReportProgressEntity,
} from './aggregates/report-aggregates.entity';

export const reportingEntities = [
  ReportProgressEntity,
  ReportProgrammeEntity,
  ReportAnnouncementEntity,
  ReportFundingSourceEntity,
  ReportGrantEntity,
  ReportGrantAmountEntity,
  ReportOrderEntity,
  ReportOrderPaidEntity,
  ReportCreditNoteEntity,
  ReportMoneyMovementEntity,
];

/** The derived tables a rebuild empties, in no particular order (no foreign keys between them). */
export const REPORT_AGGREGATE_TABLES = [
  'report_programme',
  'report_announcement',
  'report_funding_source',
  'report_grant',
  'report_grant_amount',
  'report_order',
  'report_order_paid',
  'report_credit_note',
  'report_money_movement',
];
