import { randomUUID, createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { Principal } from '@sillage/identity';
import { Outbox } from '@sillage/queue';
import { FunnelReportDto } from '../funnel/dto/funnel.dto';
import { funnelPdf, funnelPdfRows } from '../funnel/funnel-pdf';
import { MoneyReportDto } from '../money/dto/money.dto';
import { moneyPdf, moneyPdfRows } from '../money/money-pdf';
import { ReportingError } from '../reporting.errors';
import { ReportExportDto, ReportExportListDto } from './dto/report-export.dto';
import { ReportExportKind, ReportExportStatus } from './report-export.entity';

/** A report that may be rendered as a PDF, in the request or by the worker. */
export type PdfReport = { kind: 'funnel'; report: FunnelReportDto } | { kind: 'money'; report: MoneyReportDto };

interface ExportRow {
  id: string;
  kind: ReportExportKind;
  organisationId: string;
  filename: string;
  status: ReportExportStatus;
  rowsDone: number;
  rowsTotal: number;
  path: string | null;
  sizeBytes: string | null;
  sha256: Buffer | null;
  error: string | null;
  createdAt: Date;
  readyAt: Date | null;
}

const COLUMNS = `id, kind, organisation_id AS "organisationId", filename, status, rows_done AS "rowsDone", rows_total AS "rowsTotal", path,
  size_bytes AS "sizeBytes", sha256, error, created_at AS "createdAt", ready_at AS "readyAt"`;
/** Progress is written at most this often while a PDF is drawn. */
const PROGRESS_EVERY_MS = 500;

/** Rows of the report's tables (what a PDF's size, and its progress, follow). */
export function pdfRows(p: PdfReport): number {
  return p.kind === 'funnel' ? funnelPdfRows(p.report) : moneyPdfRows(p.report);
}

/** Draws the report's PDF, awaiting `progress(rows drawn)` as it goes. */
export function renderReportPdf(p: PdfReport, progress?: (rows: number) => Promise<void>): Promise<Buffer> {
  return p.kind === 'funnel' ? funnelPdf(p.report, progress) : moneyPdf(p.report, progress);
}

/**
 * Report PDFs (issue 8). A report whose tables hold at most REPORT_PDF_INLINE_ROWS rows is drawn in
 * the request; a larger one (the funnel of 3,000 sites runs to some 85 pages) becomes an export the
 * worker renders with progress, which the requesting organisation's users follow and download.
 */
@Injectable()
export class ReportExports {
  private readonly logger = new Logger('ReportExports');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether the report is small enough to draw in the request. */
  inline(p: PdfReport): boolean {
    return pdfRows(p) <= this.config.reporting.pdfInlineRows;
  }

  /** Records the export with the report as computed and queues its rendering. */
  async request(principal: Principal, p: PdfReport, filename: string): Promise<ReportExportDto> {
    const id = randomUUID();
    await this.tx.run(async (tx) => {
      await tx.query(
        `INSERT INTO reporting_export (id, kind, organisation_id, requested_by, report, filename, rows_total) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          id,
          p.kind,
          principal.organisationId,
          principal.type === 'user' ? principal.id : null,
          JSON.stringify(p.report),
          filename,
          pdfRows(p),
        ],
      );
      await this.outbox.enqueue(tx, 'reporting.render-pdf', { exportId: id }, `reporting.render-pdf:${id}`);
    });
    return this.get(principal, id);
  }

  async get(principal: Principal, id: string): Promise<ReportExportDto> {
    return toDto(await this.owned(principal, id));
  }

  /** The organisation's exports, newest first (the last 50). */
  async list(principal: Principal): Promise<ReportExportListDto> {
    const rows = await this.tx.manager.query<ExportRow[]>(
      `SELECT ${COLUMNS} FROM reporting_export WHERE organisation_id = $1 ORDER BY created_at DESC, id LIMIT 50`,
      [principal.organisationId],
    );
    return { items: rows.map(toDto) };
  }

  /** A ready export's file, streamed. */
  async download(principal: Principal, id: string): Promise<{ filename: string; size: number; stream: Readable }> {
    const row = await this.owned(principal, id);
    if (row.status !== 'ready' || !row.path) {
      throw new ReportingError(
        'REPORT_EXPORT_NOT_READY',
        `this report is ${row.status} (${row.rowsDone}/${row.rowsTotal} rows drawn): try again in a moment`,
        { meta: { exportStatus: row.status } },
      );
    }
    const path = join(this.config.reporting.exportDir, row.path);
    if (!existsSync(path)) {
      // A worker on another host without the shared volume, or DATA_DIR cleaned: never a 500.
      throw new ReportingError('REPORT_EXPORT_NOT_READY', 'this report is no longer on the server: ask for it again', {
        meta: { exportStatus: 'missing' },
      });
    }
    return { filename: row.filename, size: Number(row.sizeBytes), stream: createReadStream(path) };
  }

  /**
   * Renders an export (the worker's job), from the report it holds. The file is written under a
   * temporary name and renamed when complete, so a crash never leaves a truncated file marked ready;
   * a retry renders it again from scratch.
   */
  async render(id: string): Promise<void> {
    const [row] = await this.tx.manager.query<(ExportRow & { report: PdfReport['report'] })[]>(
      `SELECT ${COLUMNS}, report FROM reporting_export WHERE id = $1`,
      [id],
    );
    if (!row || row.status === 'ready') return;
    await this.tx.manager.query(`UPDATE reporting_export SET status = 'rendering', rows_done = 0, error = NULL WHERE id = $1`, [id]);
    let last = 0;
    const progress = async (rows: number) => {
      if (Date.now() - last < PROGRESS_EVERY_MS) return;
      last = Date.now();
      await this.tx.manager.query(`UPDATE reporting_export SET rows_done = $2 WHERE id = $1`, [id, rows]);
    };
    try {
      const pdf = await renderReportPdf({ kind: row.kind, report: row.report } as PdfReport, progress);
      mkdirSync(this.config.reporting.exportDir, { recursive: true });
      const relative = `${id}.pdf`;
      const target = join(this.config.reporting.exportDir, relative);
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, pdf);
      renameSync(tmp, target);
      // Expired exports go before this one shows as ready: whoever waits for it sees the purge done.
      await this.purgeExpired();
      await this.tx.manager.query(
        `UPDATE reporting_export SET status = 'ready', rows_done = rows_total, path = $2, size_bytes = $3, sha256 = $4, ready_at = now() WHERE id = $1`,
        [id, relative, pdf.length, createHash('sha256').update(pdf).digest()],
      );
    } catch (e) {
      this.logger.error(`report export ${id} failed: ${(e as Error).message}`);
      await this.tx.manager.query(`UPDATE reporting_export SET status = 'failed', error = $2 WHERE id = $1`, [
        id,
        String((e as Error).message).slice(0, 500),
      ]);
      throw e;
    }
  }

  /** Deletes exports older than REPORT_EXPORT_RETENTION_DAYS, their files first (a missing file is already gone). */
  private async purgeExpired(): Promise<void> {
    const old = await this.tx.manager.query<{ id: string; path: string | null }[]>(
      `SELECT id, path FROM reporting_export WHERE created_at < now() - make_interval(days => $1)`,
      [this.config.reporting.exportRetentionDays],
    );
    for (const e of old) if (e.path) rmSync(join(this.config.reporting.exportDir, e.path), { force: true });
    if (old.length > 0) {
      await this.tx.manager.query(`DELETE FROM reporting_export WHERE id = ANY($1::uuid[])`, [old.map((e) => e.id)]);
      this.logger.log({ msg: 'expired report exports deleted', count: old.length });
    }
  }

  /** An export of the principal's organisation, else not found (nothing leaks about others'). */
  private async owned(principal: Principal, id: string): Promise<ExportRow> {
    const [row] = await this.tx.manager.query<ExportRow[]>(
      `SELECT ${COLUMNS} FROM reporting_export WHERE id = $1 AND organisation_id = $2`,
      [id, principal.organisationId],
    );
    if (!row) throw new ReportingError('NOT_FOUND', 'report export not found');
    return row;
  }
}

function toDto(r: ExportRow): ReportExportDto {
  const ready = r.status === 'ready';
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    rowsDone: r.rowsDone,
    rowsTotal: r.rowsTotal,
    progress: ready || r.rowsTotal === 0 ? (ready ? 1 : 0) : Math.round((r.rowsDone / r.rowsTotal) * 10_000) / 10_000,
    filename: r.filename,
    sizeBytes: r.sizeBytes === null ? null : Number(r.sizeBytes),
    sha256: r.sha256?.toString('hex') ?? null,
    downloadUrl: ready ? `/v1/reports/exports/${r.id}/download` : null,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    readyAt: r.readyAt?.toISOString() ?? null,
  };
}
