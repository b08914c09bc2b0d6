import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AuditLog } from '@sillage/audit';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { TransactionRunner } from '@sillage/db';
import { actorOf, isOperator, Principal } from '@sillage/identity';
import { Outbox } from '@sillage/queue';
import { IssuanceError } from '../issuance.errors';
import { IssuanceKeys } from '../keys/issuance-keys';
import { renderPrintPdf, writePrintCsv } from '../print';
import { PrintOrderHeader } from '../print/print-types';
import { PrintFormat, PrintFileStatus } from './print-file.entity';
import { printBooklets } from './print-source';

export class RequestPrintFilesDto {
  @ApiProperty({ enum: ['pdf', 'csv'], description: 'pdf: cheques and covers ready to print; csv: data for an external printer' })
  @IsIn(['pdf', 'csv'])
  format: PrintFormat;
}

export class PrintFileDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ enum: ['pdf', 'csv'] }) format: PrintFormat;
  @ApiProperty() part: number;
  @ApiProperty() parts: number;
  @ApiProperty() bookletFrom: number;
  @ApiProperty() bookletTo: number;
  @ApiProperty({ enum: ['pending', 'rendering', 'ready', 'failed'] }) status: PrintFileStatus;
  @ApiProperty() vouchersDone: number;
  @ApiProperty() vouchersTotal: number;
  @ApiProperty({ description: 'vouchersDone / vouchersTotal, 0..1' }) progress: number;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the file, hex' }) sha256: string | null;
  @ApiProperty({ type: String, nullable: true }) downloadUrl: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readyAt: string | null;
}

export class PrintFileListDto {
  @ApiProperty({ type: [PrintFileDto] }) items: PrintFileDto[];
}

interface PrintFileRow {
  id: string;
  orderId: string;
  funderId: string;
  format: PrintFormat;
  part: number;
  parts: number;
  bookletFrom: number;
  bookletTo: number;
  status: PrintFileStatus;
  vouchersDone: number;
  vouchersTotal: number;
  path: string | null;
  sizeBytes: string | null;
  sha256: Buffer | null;
  createdAt: Date;
  readyAt: Date | null;
}

const COLUMNS = `f.id, f.order_id AS "orderId", o.funder_id AS "funderId", f.format, f.part, f.parts, f.booklet_from AS "bookletFrom",
  f.booklet_to AS "bookletTo", f.status, f.vouchers_done AS "vouchersDone", f.vouchers_total AS "vouchersTotal", f.path,
  f.size_bytes AS "sizeBytes", f.sha256, f.created_at AS "createdAt", f.ready_at AS "readyAt"`;

/**
 * Print files of an order: requested by its funder's admins or the operator once issuance is
 * complete, rendered by the worker in parts of PRINT_PART_BOOKLETS booklets (a PDF of 1,000 booklets
 * × 10 vouchers is ~35 MB), downloaded when ready. Requests and downloads are audited.
 */
@Injectable()
export class PrintFilesService {
  private readonly logger = new Logger('PrintFiles');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly keys: IssuanceKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(principal: Principal, orderId: string, format: PrintFormat, requestId?: string): Promise<PrintFileListDto> {
    await this.tx.run(async (tx) => {
      const rows: { funderId: string; status: string; completedAt: Date | null; maxNumber: number | null }[] = await tx.query(
        `SELECT o.funder_id AS "funderId", o.status, i.completed_at AS "completedAt",
                (SELECT max(number) FROM booklet b WHERE b.order_id = o.id) AS "maxNumber"
         FROM purchase_order o LEFT JOIN order_issuance i ON i.order_id = o.id WHERE o.id = $1 FOR UPDATE OF o`,
        [orderId],
      );
      const order = rows[0];
      if (!order || !(isOperator(principal) || order.funderId === principal.organisationId))
        throw new IssuanceError('NOT_FOUND', 'order not found');
      if (order.status === 'cancelled' || order.status === 'draft' || !order.completedAt || !order.maxNumber) {
        throw new IssuanceError(
          'ISSUANCE_IN_PROGRESS',
          order.status === 'cancelled'
            ? 'a cancelled order has nothing to print'
            : 'the order’s vouchers are not issued yet: print files come after issuance',
          { meta: { orderStatus: order.status } },
        );
      }
      const size = this.config.issuance.printPartBooklets;
      const parts = Math.ceil(order.maxNumber / size);
      for (let part = 1; part <= parts; part++) {
        const from = (part - 1) * size + 1;
        const to = Math.min(order.maxNumber, part * size);
        const inserted: { id: string }[] = await tx.query(
          `INSERT INTO print_file (order_id, format, part, parts, booklet_from, booklet_to, vouchers_total, requested_by)
           SELECT $1, $2, $3, $4, $5, $6, count(*), $7
           FROM voucher v JOIN booklet b ON b.id = v.booklet_id
           WHERE b.order_id = $1 AND b.number BETWEEN $5 AND $6 AND v.status IN ('ISSUED', 'ACTIVE')
           RETURNING id`,
          [orderId, format, part, parts, from, to, principal.type === 'user' ? principal.id : null],
        );
        await this.outbox.enqueue(
          tx,
          'issuance.render-print-file',
          { printFileId: inserted[0].id },
          `issuance.render-print-file:${inserted[0].id}`,
        );
      }
      await this.audit.append(tx, {
        action: 'print_file.requested',
        actor: actorOf(principal),
        subject: { type: 'order', id: orderId },
        facts: { orderId, format, parts },
        requestId,
      });
    });
    return this.list(principal, orderId);
  }

  async list(principal: Principal, orderId: string): Promise<PrintFileListDto> {
    const owner: { funderId: string }[] = await this.tx.manager.query(`SELECT funder_id AS "funderId" FROM purchase_order WHERE id = $1`, [
      orderId,
    ]);
    if (!owner[0] || !(isOperator(principal) || owner[0].funderId === principal.organisationId))
      throw new IssuanceError('NOT_FOUND', 'order not found');
    const rows: PrintFileRow[] = await this.tx.manager.query(
      `SELECT ${COLUMNS} FROM print_file f JOIN purchase_order o ON o.id = f.order_id WHERE f.order_id = $1 ORDER BY f.created_at DESC, f.part`,
      [orderId],
    );
    return { items: rows.map(toDto) };
  }

  /** The file of a ready part, streamed; audited. */
  async download(
    principal: Principal,
    id: string,
    requestId?: string,
  ): Promise<{ filename: string; contentType: string; size: number; stream: Readable }> {
    const rows: PrintFileRow[] = await this.tx.manager.query(
      `SELECT ${COLUMNS} FROM print_file f JOIN purchase_order o ON o.id = f.order_id WHERE f.id = $1`,
      [id],
    );
    const f = rows[0];
    if (!f || !(isOperator(principal) || f.funderId === principal.organisationId))
      throw new IssuanceError('NOT_FOUND', 'print file not found');
    if (f.status !== 'ready' || !f.path) {
      throw new IssuanceError(
        'PRINT_FILE_NOT_READY',
        `this print file is ${f.status} (${f.vouchersDone}/${f.vouchersTotal} vouchers): try again later`,
        {
          meta: { printFileStatus: f.status },
        },
      );
    }
    const path = join(this.config.issuance.printDir, f.path);
    if (!existsSync(path)) {
      // e.g. a worker on another host without the shared volume, or DATA_DIR cleaned: never a 500
      throw new IssuanceError('PRINT_FILE_NOT_READY', 'this print file is no longer on the server: request the print files again', {
        meta: { printFileStatus: 'missing' },
      });
    }
    await this.tx.run((tx) =>
      this.audit.append(tx, {
        action: 'print_file.downloaded',
        actor: actorOf(principal),
        subject: { type: 'print_file', id },
        facts: { orderId: f.orderId, format: f.format, part: f.part },
        requestId,
      }),
    );
    const ref = await this.orderReference(f.orderId);
    return {
      filename: `${ref}-${f.format === 'pdf' ? 'impression' : 'imprimeur'}-${f.part}-sur-${f.parts}.${f.format}`,
      contentType: f.format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8',
      size: Number(f.sizeBytes),
      stream: createReadStream(path),
    };
  }

  /**
   * Renders one part (the worker's job). Writes to a temporary file, renamed when complete, so a
   * crash never leaves a truncated file marked ready; a retry renders the part again from scratch.
   */
  async render(printFileId: string): Promise<void> {
    const rows: (PrintFileRow & { faceValueCents: string; validityEndDate: string; reference: string; funderName: string })[] =
      await this.tx.manager.query(
        `SELECT ${COLUMNS}, o.face_value_cents AS "faceValueCents", to_char(o.validity_end_date, 'YYYY-MM-DD') AS "validityEndDate",
                o.reference, org.legal_name AS "funderName"
         FROM print_file f JOIN purchase_order o ON o.id = f.order_id JOIN organisation org ON org.id = o.funder_id WHERE f.id = $1`,
        [printFileId],
      );
    const f = rows[0];
    if (!f || f.status === 'ready') return;
    await this.tx.manager.query(`UPDATE print_file SET status = 'rendering', vouchers_done = 0, error = NULL WHERE id = $1`, [printFileId]);
    const header: PrintOrderHeader = {
      orderReference: f.reference,
      funderName: f.funderName,
      faceValueCents: Number(f.faceValueCents),
      validUntil: f.validityEndDate,
      passBaseUrl: `${this.config.http.publicBaseUrl.replace(/\/$/, '')}/p`,
    };
    const relative = join(f.orderId, `${f.id}.${f.format}`);
    const target = join(this.config.issuance.printDir, relative);
    mkdirSync(join(this.config.issuance.printDir, f.orderId), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const out = createWriteStream(tmp);
    const written = pipeline(hashing, out);
    let lastReport = 0;
    const onProgress = (p: { vouchers: number }) => {
      if (p.vouchers - lastReport < 1000) return;
      lastReport = p.vouchers;
      void this.tx.manager
        .query(`UPDATE print_file SET vouchers_done = $2 WHERE id = $1`, [printFileId, p.vouchers])
        .catch(() => undefined);
    };
    try {
      const booklets = printBooklets(this.tx.manager, this.keys, f.orderId, Number(f.faceValueCents), f.bookletFrom, f.bookletTo);
      const result =
        f.format === 'pdf' ? await renderPrintPdf(header, booklets, hashing, onProgress) : await writePrintCsv(header, booklets, hashing);
      await written;
      renameSync(tmp, target);
      const vouchers = 'vouchers' in result ? result.vouchers : result.rows;
      await this.tx.manager.query(
        `UPDATE print_file SET status = 'ready', vouchers_done = $2, path = $3, size_bytes = $4, sha256 = $5, ready_at = now() WHERE id = $1`,
        [printFileId, vouchers, relative, statSync(target).size, hash.digest()],
      );
    } catch (e) {
      hashing.destroy();
      try {
        unlinkSync(tmp);
      } catch {
        // nothing to remove
      }
      this.logger.error(`print file ${printFileId} failed: ${(e as Error).message}`);
      await this.tx.manager.query(`UPDATE print_file SET status = 'failed', error = $2 WHERE id = $1`, [
        printFileId,
        String((e as Error).message).slice(0, 500),
      ]);
      throw e;
    }
  }

  private async orderReference(orderId: string): Promise<string> {
    const rows: { reference: string }[] = await this.tx.manager.query(`SELECT reference FROM purchase_order WHERE id = $1`, [orderId]);
    return rows[0]?.reference ?? orderId;
  }
}

function toDto(f: PrintFileRow): PrintFileDto {
  return {
    id: f.id,
    orderId: f.orderId,
    format: f.format,
    part: f.part,
    parts: f.parts,
    bookletFrom: f.bookletFrom,
    bookletTo: f.bookletTo,
    status: f.status,
    vouchersDone: f.vouchersDone,
    vouchersTotal: f.vouchersTotal,
    progress: f.vouchersTotal === 0 ? 1 : Math.round((f.vouchersDone / f.vouchersTotal) * 10_000) / 10_000,
    sizeBytes: f.sizeBytes === null ? null : Number(f.sizeBytes),
    sha256: f.sha256?.toString('hex') ?? null,
    downloadUrl: f.status === 'ready' ? `/v1/print-files/${f.id}/download` : null,
    createdAt: f.createdAt.toISOString(),
    readyAt: f.readyAt?.toISOString() ?? null,
  };
}
