import { Injectable } from '@nestjs/common';
import { communeName, csvEuros, csvField, parisDate, ratio4 } from '@sillage/common';
import type { Tx } from '@sillage/db';
import { Principal } from '@sillage/identity';
import { reportFunder } from '../report-scope';
import { ReportSnapshot } from '../consumer/report-snapshot';
import { CountedValue, percentileDisc } from '../percentile-disc';
import { FUNNEL_STEPS, FunnelReportDto, FunnelRowDto, FunnelStepName } from './dto/funnel.dto';
import { firstUseCountsSql, FunnelGroup, funnelSiteStepsAllSql, funnelStartedSql, funnelStepsSql, SITE_GROUPS } from './funnel-sql';

/** Groups whose key is the id of a row with a name. */
const NAMED_BY: Partial<Record<FunnelGroup, 'organisation' | 'programme' | 'policy'>> = {
  funder: 'organisation',
  site: 'organisation',
  distributor: 'organisation',
  programme: 'programme',
  policy: 'policy',
};

const RATES: [string, FunnelStepName, FunnelStepName][] = [
  ['activeOfIssued', 'active', 'issued'],
  ['allocatedOfActive', 'allocated', 'active'],
  ['distributedOfAllocated', 'distributed', 'allocated'],
  ['redeemedOfDistributed', 'redeemed', 'distributed'],
  ['settledOfRedeemed', 'settled', 'redeemed'],
  ['paidOfSettled', 'paid', 'settled'],
  ['expiredOfActive', 'expired', 'active'],
  ['restitutedOfExpired', 'restituted', 'expired'],
];

/**
 * The voucher funnel as of a date (issue 8): cumulative steps per funder, order or period, from the
 * report aggregates, as of their checkpoint. A funder sees its own orders only; the operator all, or
 * one funder's. Settled and paid steps need the log to link redemptions to statements (not yet).
 */
@Injectable()
export class FunnelService {
  constructor(private readonly reports: ReportSnapshot) {}

  async report(
    principal: Principal,
    q: { asOf?: string; groupBy?: FunnelGroup; funderId?: string; orderId?: string },
  ): Promise<FunnelReportDto> {
    const day = q.asOf ?? parisDate(new Date());
    const groupBy = q.groupBy ?? 'funder';
    const funderId = reportFunder(principal, q.funderId);
    const orderId = q.orderId?.toLowerCase() ?? null;
    const params = [day, funderId, orderId];
    return this.reports.run(async (tx, checkpoint) => {
      // Over every order, the steps at a site come from the monthly roll-ups (same figures, fewer rows).
      const everyOrder = funderId === null && orderId === null && SITE_GROUPS.includes(groupBy);
      const steps = await tx.query<{ key: string; step: FunnelStepName; vouchers: string; value: string }[]>(
        everyOrder ? funnelSiteStepsAllSql(groupBy) : funnelStepsSql(groupBy),
        params,
      );
      const started = SITE_GROUPS.includes(groupBy)
        ? []
        : await tx.query<{ key: string; booklets: number }[]>(funnelStartedSql(groupBy), params);
      const counts = await tx.query<CountedValue[]>(firstUseCountsSql(funderId === null && orderId === null), params);
      const first = {
        booklets: counts.reduce((t, c) => t + c.n, 0),
        medianDays: percentileDisc(counts, 0.5),
        p90Days: percentileDisc(counts, 0.9),
      };
      const rows = new Map<string, FunnelRowDto>();
      const row = (key: string) => rows.get(key) ?? rows.set(key, emptyRow(key)).get(key)!;
      const total = emptyRow('total');
      for (const s of steps) {
        for (const r of [row(s.key), total]) {
          r.steps[s.step].vouchers += Number(s.vouchers);
          r.steps[s.step].valueCents += Number(s.value);
        }
      }
      for (const s of started) {
        row(s.key).startedBooklets += s.booklets;
        total.startedBooklets += s.booklets;
      }
      await this.label(tx, groupBy, rows);
      const groups = [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const r of [...groups, total]) r.rates = rates(r);
      return {
        asOf: day,
        groupBy,
        funderId,
        orderId,
        checkpoint,
        total,
        groups,
        timeToFirstUse: first,
      };
    });
  }

  /** Names for the groups people read: organisations, order references, commune names (the key stays the id or code). */
  private async label(tx: Pick<Tx, 'query'>, groupBy: FunnelGroup, rows: Map<string, FunnelRowDto>): Promise<void> {
    const keys = [...rows.keys()];
    const table = NAMED_BY[groupBy];
    const column = table === 'organisation' ? 'legal_name' : 'name';
    const named = table
      ? await tx.query<{ id: string; name: string }[]>(
          `SELECT id::text, ${column} AS name FROM ${table} WHERE id::text = ANY($1::text[])`,
          [keys],
        )
      : groupBy === 'order'
        ? await tx.query<{ id: string; name: string }[]>(
            `SELECT id::text, reference AS name FROM purchase_order WHERE id::text = ANY($1::text[])`,
            [keys],
          )
        : groupBy === 'commune'
          ? keys.map((id) => ({ id, name: communeName(id) ?? '' }))
          : [];
    for (const n of named) rows.get(n.id)!.label = n.name;
  }
}

function emptyRow(key: string): FunnelRowDto {
  const steps = Object.fromEntries(FUNNEL_STEPS.map((s) => [s, { vouchers: 0, valueCents: 0 }])) as FunnelRowDto['steps'];
  return { key, label: '', steps, startedBooklets: 0, rates: {} };
}

function rates(r: FunnelRowDto): Record<string, number | null> {
  return Object.fromEntries(RATES.map(([name, of, to]) => [name, ratio4(r.steps[of].vouchers, r.steps[to].vouchers)]));
}

/** One row per group then the total: vouchers and euros per step. */
export function funnelCsv(report: FunnelReportDto): string {
  const header = ['group', 'label', ...FUNNEL_STEPS.flatMap((s) => [`${s}_vouchers`, `${s}_eur`]), 'started_booklets', 'tree_size'];
  const line = (r: FunnelRowDto) =>
    [
      csvField(r.key),
      csvField(r.label),
      ...FUNNEL_STEPS.flatMap((s) => [String(r.steps[s].vouchers), csvEuros(r.steps[s].valueCents)]),
      String(r.startedBooklets),
      csvField(report.checkpoint?.treeSize ?? 0),
    ].join(';');
  return `\uFEFF${[header.join(';'), ...report.groups.map(line), line(report.total)].join('\r\n')}\r\n`;
}
