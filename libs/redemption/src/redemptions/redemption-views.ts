import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { csvEuros, csvField } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { cursorKeySql, Principal } from '@sillage/identity';
import { RedemptionReader } from './redemption-reader';
import { ListRedemptionsQueryDto } from './dto/redemption.dto';
import { RedemptionTotalsDto } from './dto/redemption-views.dto';

/** Rows per query of an export: memory stays flat whatever the period. */
export const EXPORT_PAGE_SIZE = 1000;

/** The export's columns (French, for the spreadsheet a site or funder opens); docs/redemption.md gives the English meaning. */
export const EXPORT_HEADER = [
  'Date d’enregistrement',
  'Date du service',
  'Site',
  'Identifiant du site',
  'Commande',
  'Carnet',
  'Chèques',
  'Nombre de chèques',
  'Montant (EUR)',
  'Catégorie',
  'Libellé de la catégorie',
  'Canal',
  'Annulé le',
  'Motif d’annulation',
  'Identifiant de l’encaissement',
];

interface ExportRow {
  id: string;
  recordedAt: string;
  occurredAt: string;
  siteName: string;
  siteId: string;
  orderReference: string;
  bookletSerial: string;
  vouchers: string | null;
  voucherCount: number;
  amountCents: string;
  serviceCategoryCode: string;
  categoryLabel: string | null;
  channel: string;
  undoneAt: string | null;
  undoReason: string | null;
  cursorKey: string;
}

const PARIS_TIME = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI:SS')`;

const EXPORT_SELECT = `SELECT r.id, ${PARIS_TIME('r.recorded_at')} AS "recordedAt", ${PARIS_TIME('r.occurred_at')} AS "occurredAt",
    s.legal_name AS "siteName", r.site_id AS "siteId", o.reference AS "orderReference", b.serial AS "bookletSerial",
    (SELECT string_agg(l.voucher_serial, ' ' ORDER BY l.voucher_serial) FROM redemption_line l WHERE l.redemption_id = r.id) AS vouchers,
    r.voucher_count AS "voucherCount", r.amount_cents AS "amountCents", r.service_category_code AS "serviceCategoryCode",
    c.label_fr AS "categoryLabel", r.channel, ${PARIS_TIME('r.undone_at')} AS "undoneAt", r.undo_reason AS "undoReason",
    ${cursorKeySql('r.recorded_at')} AS "cursorKey"
  FROM redemption r JOIN booklet b ON b.id = r.booklet_id JOIN purchase_order o ON o.id = r.order_id
  JOIN organisation s ON s.id = r.site_id LEFT JOIN service_category c ON c.code = r.service_category_code`;

function csvLine(r: ExportRow): string {
  return `${[
    r.recordedAt,
    r.occurredAt,
    r.siteName,
    r.siteId,
    r.orderReference,
    r.bookletSerial,
    r.vouchers ?? '',
    r.voucherCount,
    csvEuros(Number(r.amountCents)),
    r.serviceCategoryCode,
    r.categoryLabel,
    r.channel === 'batch' ? 'hors ligne' : 'en ligne',
    r.undoneAt,
    r.undoReason,
    r.id,
  ]
    .map(csvField)
    .join(';')}\r\n`;
}

/**
 * A site's (a funder's, the operator's) views of redemptions beyond the list: the CSV export and the
 * totals, with exactly the list's filters and scope (`RedemptionReader.filters`).
 */
@Injectable()
export class RedemptionViews {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reader: RedemptionReader,
  ) {}

  /**
   * The export as a stream: UTF-8 BOM and header, then one line per redemption in recording order,
   * read in pages of 1,000 by keyset. The first page is read before answering, so a failing query is
   * still a problem response; `cursor` and `limit` of the query are ignored (an export is whole).
   */
  async exportCsv(principal: Principal, q: ListRedemptionsQueryDto): Promise<Readable> {
    const query = { ...q, cursor: undefined, limit: undefined };
    const first = await this.page(principal, query);
    const pages = async function* (this: RedemptionViews): AsyncGenerator<string> {
      yield `\ufeff${EXPORT_HEADER.map(csvField).join(';')}\r\n`;
      let rows = first;
      for (;;) {
        if (rows.length > 0) yield rows.map(csvLine).join('');
        if (rows.length < EXPORT_PAGE_SIZE) return;
        const last = rows[rows.length - 1];
        rows = await this.page(principal, query, { k: last.cursorKey, id: last.id });
      }
    }.call(this);
    return Readable.from(pages, { objectMode: false });
  }

  private async page(principal: Principal, q: ListRedemptionsQueryDto, after?: { k: string; id: string }): Promise<ExportRow[]> {
    const { where, params, p } = this.reader.filters(principal, q);
    if (after) where.push(`(r.recorded_at, r.id) > (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    return this.tx.manager.query(
      `${EXPORT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.recorded_at, r.id LIMIT ${p(EXPORT_PAGE_SIZE)}`,
      params,
    );
  }

  /** Count, vouchers and amount, overall, per service category and per order; undone redemptions never count. */
  async totals(principal: Principal, q: ListRedemptionsQueryDto): Promise<RedemptionTotalsDto> {
    const { where, params } = this.reader.filters(principal, { ...q, cursor: undefined, limit: undefined });
    where.push('r.undone_at IS NULL');
    const rows: {
      byCategory: number;
      byOrder: number;
      category: string | null;
      orderId: string | null;
      orderReference: string | null;
      count: number;
      vouchers: number;
      amountCents: string;
    }[] = await this.tx.manager.query(
      `SELECT GROUPING(r.service_category_code) = 0 AS "byCategory", GROUPING(r.order_id) = 0 AS "byOrder",
              r.service_category_code AS category, r.order_id AS "orderId", o.reference AS "orderReference",
              count(*)::int AS count, coalesce(sum(r.voucher_count), 0)::int AS vouchers, coalesce(sum(r.amount_cents), 0)::bigint AS "amountCents"
       FROM redemption r JOIN purchase_order o ON o.id = r.order_id
       WHERE ${where.join(' AND ')}
       GROUP BY GROUPING SETS ((), (r.service_category_code), (r.order_id, o.reference))
       ORDER BY 1, 2, 3, 5`,
      params,
    );
    const all = rows.find((r) => !r.byCategory && !r.byOrder);
    const sum = (r: { count: number; vouchers: number; amountCents: string }) => ({
      count: r.count,
      vouchers: r.vouchers,
      amountCents: Number(r.amountCents),
    });
    return {
      ...(all ? sum(all) : { count: 0, vouchers: 0, amountCents: 0 }),
      byCategory: rows.filter((r) => r.byCategory).map((r) => ({ serviceCategoryCode: r.category!, ...sum(r) })),
      byOrder: rows.filter((r) => r.byOrder).map((r) => ({ orderId: r.orderId!, orderReference: r.orderReference!, ...sum(r) })),
    };
  }
}
