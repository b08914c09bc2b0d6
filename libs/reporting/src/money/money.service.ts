import { Injectable } from '@nestjs/common';
import { csvEuros, csvField, parisDate, ratio4 } from '@sillage/common';
import { ReportSnapshot } from '../consumer/report-snapshot';
import { MoneyFiguresDto, MoneyPeriod, MoneyReportDto } from './dto/money.dto';

const PERIOD_SQL: Record<MoneyPeriod, string> = {
  year: `to_char(on_date, 'YYYY')`,
  quarter: `to_char(on_date, 'YYYY') || '-Q' || extract(quarter FROM on_date)::int`,
  month: `to_char(on_date, 'YYYY-MM')`,
};

const FIGURE_OF: Record<string, keyof MoneyFiguresDto> = {
  received: 'receivedCents',
  fee: 'feesCents',
  credit_note: 'creditNotesCents',
  payout: 'paidToFieldActorsCents',
};

/**
 * Money (issue 8): received from funders, fees, credit notes and what field actors were paid, as of
 * a date and per period, with the revenue of each site per year — from the report aggregates, as of
 * the checkpoint they cover. Operator only (it spans every funder and site).
 */
@Injectable()
export class MoneyService {
  constructor(private readonly reports: ReportSnapshot) {}

  async report(asOf?: string, groupBy: MoneyPeriod = 'year'): Promise<MoneyReportDto> {
    const day = asOf ?? parisDate(new Date());
    return this.reports.run(async (tx, checkpoint) => {
      const rows = await tx.query<{ period: string; kind: string; amount: string }[]>(
        `SELECT ${PERIOD_SQL[groupBy]} AS period, kind, sum(amount_cents)::text AS amount
           FROM report_money_movement WHERE on_date <= $1::date GROUP BY 1, 2 ORDER BY 1`,
        [day],
      );
      const periods = new Map<string, MoneyFiguresDto & { period: string }>();
      const totals = emptyFigures();
      for (const r of rows) {
        const figure = FIGURE_OF[r.kind];
        if (!figure) continue;
        const p = periods.get(r.period) ?? { period: r.period, ...emptyFigures() };
        p[figure] += Number(r.amount);
        totals[figure] += Number(r.amount);
        periods.set(r.period, p);
      }
      const sites = await tx.query<{ siteId: string; siteName: string | null; year: number; paid: string }[]>(
        `SELECT m.site_id AS "siteId", o.legal_name AS "siteName", extract(year FROM m.on_date)::int AS year, sum(m.amount_cents)::text AS paid
           FROM report_money_movement m LEFT JOIN organisation o ON o.id = m.site_id
          WHERE m.kind = 'payout' AND m.on_date <= $1::date AND m.site_id IS NOT NULL
          GROUP BY 1, 2, 3 ORDER BY 3, 2, 1`,
        [day],
      );
      return {
        asOf: day,
        checkpoint,
        ...totals,
        fieldShare: ratio4(totals.paidToFieldActorsCents, totals.receivedCents),
        groupBy,
        periods: [...periods.values()],
        sites: sites.map((s) => ({ siteId: s.siteId, siteName: s.siteName ?? '', year: s.year, paidCents: Number(s.paid) })),
      };
    });
  }
}

function emptyFigures(): MoneyFiguresDto {
  return { receivedCents: 0, feesCents: 0, creditNotesCents: 0, paidToFieldActorsCents: 0 };
}

/** One row per period, then the total; euros with a decimal comma. */
export function moneyCsv(report: MoneyReportDto): string {
  const header = ['period', 'received_eur', 'fees_eur', 'credit_notes_eur', 'paid_to_field_actors_eur', 'tree_size'];
  const line = (period: string, f: MoneyFiguresDto) =>
    [
      csvField(period),
      csvEuros(f.receivedCents),
      csvEuros(f.feesCents),
      csvEuros(f.creditNotesCents),
      csvEuros(f.paidToFieldActorsCents),
      csvField(report.checkpoint?.treeSize ?? 0),
    ].join(';');
  return `\uFEFF${[header.join(';'), ...report.periods.map((p) => line(p.period, p)), line(`total ${report.asOf}`, report)].join('\r\n')}\r\n`;
}
