import { Injectable } from '@nestjs/common';
import { applyBp, csvEuros, csvField, notFound, parisDate, ratio4 } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { ReportSnapshot } from '../consumer/report-snapshot';
import { CountedValue, percentileDisc } from '../percentile-disc';
import {
  AnnouncementFiguresDto,
  FundingTotalsDto,
  GrantFiguresDto,
  LatenciesDto,
  PolicyTransparencyDto,
  ProgrammeTransparencyDto,
  UseOfAmountDto,
} from './dto/transparency.dto';
import {
  ANNOUNCEMENTS_AS_OF_SQL,
  GRANTS_AS_OF_SQL,
  LATENCIES_AS_OF_SQL,
  RECORDED_TO_PAID_COUNTS_SQL,
  OBTAINED_AS_OF_SQL,
  POLICY_PROGRAMMES_SQL,
} from './transparency-sql';

interface GrantRow {
  grantId: string;
  programmeId: string;
  funderId: string;
  cofinancingRateBp: number;
  attributed: string | null;
  executed: string;
}

/**
 * Transparency per programme and per policy "as of D" (issue 8): from the report aggregates, in one
 * REPEATABLE READ transaction with the tree size they cover, so every figure is exactly as of that
 * signed checkpoint. Names and labels come from the base tables (the log holds ids, not names).
 */
@Injectable()
export class TransparencyService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reports: ReportSnapshot,
  ) {}

  async programme(programmeId: string, asOf?: string): Promise<ProgrammeTransparencyDto> {
    const day = asOf ?? parisDate(new Date());
    return this.reports.run(async (tx, checkpoint) => {
      const [programme] = await tx.query<{ name: string; policyId: string }[]>(
        `SELECT name, policy_id AS "policyId" FROM programme WHERE id = $1`,
        [programmeId],
      );
      if (!programme) throw notFound('programme');
      const { totals, grants } = await this.figures(tx, day, [programmeId]);
      const latencies = await this.latencies(tx, day, programmeId);
      return {
        programmeId,
        name: programme.name,
        policyId: programme.policyId,
        asOf: day,
        checkpoint,
        ...totals.get(programmeId)!,
        grants,
        latencies,
      };
    });
  }

  async policy(policyId: string, asOf?: string): Promise<PolicyTransparencyDto> {
    const day = asOf ?? parisDate(new Date());
    return this.reports.run(async (tx, checkpoint) => {
      const [policy] = await tx.query<{ name: string }[]>(`SELECT name FROM policy WHERE id = $1`, [policyId]);
      if (!policy) throw notFound('policy');
      const ids = (await tx.query<{ id: string }[]>(POLICY_PROGRAMMES_SQL, [policyId])).map((p) => p.id);
      const { totals } = await this.figures(tx, day, ids);
      const names = new Map(
        (await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM programme WHERE id = ANY($1::uuid[])`, [ids])).map((p) => [
          p.id,
          p.name,
        ]),
      );
      const programmes = ids.map((id) => ({ programmeId: id, name: names.get(id) ?? '', ...totals.get(id)! }));
      const sum = (k: 'obtainedCents' | 'attributedCents' | 'executedCents' | 'cofinancedCents') =>
        programmes.reduce((n, p) => n + p[k], 0);
      const total = fundingTotals(sum('obtainedCents'), sum('attributedCents'), sum('executedCents'), sum('cofinancedCents'));
      const rows = await tx.query<{ id: string; amount: string | null; min: string | null; max: string | null; announcedOn: string }[]>(
        ANNOUNCEMENTS_AS_OF_SQL,
        [day, policyId],
      );
      const labels = new Map(
        (
          await tx.query<{ id: string; label: string }[]>(`SELECT id, label FROM policy_announcement WHERE id = ANY($1::uuid[])`, [
            rows.map((r) => r.id),
          ])
        ).map((a) => [a.id, a.label]),
      );
      const announcements: AnnouncementFiguresDto[] = rows.map((r) => ({
        announcementId: r.id,
        label: labels.get(r.id) ?? '',
        announcedOn: r.announcedOn,
        ...(r.amount !== null ? { amount: useOf(Number(r.amount), total.cofinancedCents) } : {}),
        ...(r.min !== null ? { min: useOf(Number(r.min), total.cofinancedCents) } : {}),
        ...(r.max !== null ? { max: useOf(Number(r.max), total.cofinancedCents) } : {}),
      }));
      return {
        policyId,
        name: policy.name,
        asOf: day,
        checkpoint,
        ...total,
        announcements,
        againstObtained: useOf(total.obtainedCents, total.cofinancedCents),
        programmes,
      };
    });
  }

  /** A published policy's report, for anyone: 404 unless the operator published it under `slug`. */
  async publishedPolicy(slug: string, asOf?: string): Promise<PolicyTransparencyDto> {
    const [policy] = await this.tx.manager.query<{ id: string }[]>(`SELECT id FROM policy WHERE slug = $1 AND published_at IS NOT NULL`, [
      slug,
    ]);
    if (!policy) throw notFound('published policy');
    return this.policy(policy.id, asOf);
  }

  private async latencies(tx: Tx, day: string, programmeId: string): Promise<LatenciesDto> {
    const [l] = await tx.query<
      (Omit<LatenciesDto, 'meanFunderContractToOrderDays' | 'paidToFirstRedemption' | 'recordedToPayoutPaid'> & {
        meanFunderContractToOrderDays: string | null;
        ordersUsed: number;
        paidToFirstUseMedianDays: number | null;
        paidToFirstUseP90Days: number | null;
        paidToFirstUseMedianMonths: number | null;
        paidToFirstUseP90Months: number | null;
      })[]
    >(LATENCIES_AS_OF_SQL, [day, programmeId]);
    const mean = l.meanFunderContractToOrderDays;
    const counts = await tx.query<(CountedValue & { kind: 'days' | 'months' })[]>(RECORDED_TO_PAID_COUNTS_SQL, [day, programmeId]);
    const [days, months] = [counts.filter((c) => c.kind === 'days'), counts.filter((c) => c.kind === 'months')];
    return {
      laureatesToFirstContract: l.laureatesToFirstContract,
      laureatesToLastContract: l.laureatesToLastContract,
      firstContractToFirstOrder: l.firstContractToFirstOrder,
      // avg() is an exact numeric: rounded half-up to 4 decimals like every ratio.
      meanFunderContractToOrderDays: mean === null ? null : roundHalfUp4(mean),
      firstToLastOrder: l.firstToLastOrder,
      paidToFirstRedemption: {
        orders: l.ordersUsed,
        medianDays: l.paidToFirstUseMedianDays,
        p90Days: l.paidToFirstUseP90Days,
        medianMonths: l.paidToFirstUseMedianMonths,
        p90Months: l.paidToFirstUseP90Months,
      },
      recordedToPayoutPaid: {
        redemptions: days.reduce((t, c) => t + c.n, 0),
        medianDays: percentileDisc(days, 0.5),
        p90Days: percentileDisc(days, 0.9),
        medianMonths: percentileDisc(months, 0.5),
        p90Months: percentileDisc(months, 0.9),
      },
    };
  }

  /** Per programme totals and per grant figures as of `day`. */
  private async figures(
    tx: Tx,
    day: string,
    programmeIds: string[],
  ): Promise<{ totals: Map<string, FundingTotalsDto>; grants: GrantFiguresDto[] }> {
    const rows = await tx.query<GrantRow[]>(GRANTS_AS_OF_SQL, [day, programmeIds]);
    const funders = new Map(
      (
        await tx.query<{ id: string; name: string }[]>(`SELECT id, legal_name AS name FROM organisation WHERE id = ANY($1::uuid[])`, [
          [...new Set(rows.map((r) => r.funderId))],
        ])
      ).map((o) => [o.id, o.name]),
    );
    const grants = rows.map((r) => {
      const executed = Number(r.executed);
      return {
        programmeId: r.programmeId,
        grantId: r.grantId,
        funderId: r.funderId,
        funderName: funders.get(r.funderId) ?? '',
        cofinancingRateBp: r.cofinancingRateBp,
        attributedCents: Number(r.attributed ?? 0),
        executedCents: executed,
        cofinancedCents: applyBp(executed, r.cofinancingRateBp),
      };
    });
    const obtained = new Map(
      (await tx.query<{ programmeId: string; obtained: string }[]>(OBTAINED_AS_OF_SQL, [day, programmeIds])).map((o) => [
        o.programmeId,
        Number(o.obtained),
      ]),
    );
    const totals = new Map<string, FundingTotalsDto>();
    for (const id of programmeIds) {
      const mine = grants.filter((g) => g.programmeId === id);
      const sum = (k: 'attributedCents' | 'executedCents' | 'cofinancedCents') => mine.reduce((n, g) => n + g[k], 0);
      totals.set(id, fundingTotals(obtained.get(id) ?? 0, sum('attributedCents'), sum('executedCents'), sum('cofinancedCents')));
    }
    return { totals, grants: grants.map(({ programmeId: _, ...g }) => g) };
  }
}

function fundingTotals(obtained: number, attributed: number, executed: number, cofinanced: number): FundingTotalsDto {
  return {
    obtainedCents: obtained,
    attributedCents: attributed,
    executedCents: executed,
    cofinancedCents: cofinanced,
    retentionRate: ratio4(obtained - attributed, obtained),
  };
}

/** How much of `amount` the co-financed share uses, and what is left. */
function useOf(amount: number, cofinanced: number): UseOfAmountDto {
  return {
    amountCents: amount,
    useRate: ratio4(cofinanced, amount),
    gapCents: amount - cofinanced,
    gapShare: ratio4(amount - cofinanced, amount),
  };
}

/** Semicolon CSV of a programme's or a policy's figures: one row per grant or programme, then the total. */
export function transparencyCsv(report: ProgrammeTransparencyDto | PolicyTransparencyDto): string {
  const header = [
    'scope',
    'id',
    'name',
    'as_of',
    'obtained_eur',
    'attributed_eur',
    'executed_eur',
    'cofinanced_eur',
    'retention_rate',
    'tree_size',
  ];
  const line = (scope: string, id: string, name: string, t: Partial<FundingTotalsDto>) =>
    [
      csvField(scope),
      csvField(id),
      csvField(name),
      csvField(report.asOf),
      t.obtainedCents === undefined ? '' : csvEuros(t.obtainedCents),
      t.attributedCents === undefined ? '' : csvEuros(t.attributedCents),
      t.executedCents === undefined ? '' : csvEuros(t.executedCents),
      t.cofinancedCents === undefined ? '' : csvEuros(t.cofinancedCents),
      t.retentionRate === undefined || t.retentionRate === null ? '' : String(t.retentionRate).replace('.', ','),
      csvField(report.checkpoint?.treeSize ?? 0),
    ].join(';');
  const rows =
    'grants' in report
      ? [...report.grants.map((g) => line('grant', g.grantId, g.funderName, g)), line('programme', report.programmeId, report.name, report)]
      : [
          ...report.programmes.map((p) => line('programme', p.programmeId, p.name, p)),
          line('policy', report.policyId, report.name, report),
        ];
  return `\uFEFF${[header.join(';'), ...rows].join('\r\n')}\r\n`;
}

/** A decimal string (PostgreSQL numeric) rounded half-up to 4 decimals. */
function roundHalfUp4(decimal: string): number {
  const [whole, fraction = ''] = decimal.split('.');
  const negative = whole.startsWith('-');
  const digits = BigInt(`${whole.replace('-', '')}${fraction.padEnd(5, '0').slice(0, 5)}`); // × 100,000
  const scaled = negative ? -digits : digits;
  return ratio4(Number(scaled), 100_000)!;
}
