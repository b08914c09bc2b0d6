import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ReportExportKind = 'funnel' | 'money';
export type ReportExportStatus = 'pending' | 'rendering' | 'ready' | 'failed';

/**
 * A report PDF too large to render in the request (issue 8), rendered by the worker under DATA_DIR.
 * It holds the report exactly as the API computed it (its figures and checkpoint), so the file says
 * what the request saw; it belongs to the organisation whose user asked for it. Not an aggregate:
 * its table name is outside `report_*`, which migrations empty and the consumer rebuilds.
 */
@Entity({ name: 'reporting_export' })
@Index('reporting_export_organisation_idx', ['organisationId', 'createdAt'])
@Check('reporting_export_kind_check', `kind IN ('funnel', 'money')`)
@Check('reporting_export_status_check', `status IN ('pending', 'rendering', 'ready', 'failed')`)
export class ReportExportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: ReportExportKind;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid', nullable: true })
  requestedBy: string | null;

  /** The report as JSON, as the API answered it. */
  @Column({ type: 'jsonb' })
  report: Record<string, unknown>;

  /** The file name offered on download. */
  @Column({ type: 'text' })
  filename: string;

  @Column({ type: 'text', default: 'pending' })
  status: ReportExportStatus;

  @Column({ type: 'integer', default: 0 })
  rowsDone: number;

  @Column({ type: 'integer' })
  rowsTotal: number;

  @Column({ type: 'text', nullable: true })
  path: string | null;

  @Column({ type: 'bigint', nullable: true })
  sizeBytes: string | null;

  @Column({ type: 'bytea', nullable: true })
  sha256: Buffer | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readyAt: Date | null;
}
