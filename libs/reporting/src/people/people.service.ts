import { Injectable } from '@nestjs/common';
import { CommonError, parisDate } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { AGE_BANDS } from '@sillage/distribution';
import { Principal } from '@sillage/identity';
import { reportFunder } from '../report-scope';
import { DEFAULT_THRESHOLD, suppressSmallCells } from '@sillage/privacy';
import { PeopleDimension, PeopleReportDto } from './dto/people.dto';

const COLUMN: Record<PeopleDimension, string> = {
  ageBand: 'p.age_band',
  publicCategory: `coalesce(p.public_category_code, 'none')`,
  commune: 'p.commune_code',
};

/**
 * Counts of people (issue 8): beneficiaries handed a booklet by D (`distributed`), or whose booklet
 * has a live redemption by D (`started`), over the fixed dimensions age band, public category and
 * commune only, with small-cell suppression (k = 11 and secondary suppression, libs/privacy). They
 * come from the beneficiary profiles, never from the audit log (which holds no personal data), so
 * they carry no checkpoint. Each profile is one person (one per hand-over); a hand-over taken back
 * does not count.
 */
@Injectable()
export class PeopleService {
  constructor(private readonly tx: TransactionRunner) {}

  async report(
    principal: Principal,
    q: { asOf?: string; step?: 'distributed' | 'started'; rows?: PeopleDimension; cols?: PeopleDimension; funderId?: string },
  ): Promise<PeopleReportDto> {
    const day = q.asOf ?? parisDate(new Date());
    const step = q.step ?? 'distributed';
    const rowDim = q.rows ?? 'ageBand';
    const colDim = q.cols ?? null;
    if (colDim === rowDim) throw new CommonError('VALIDATION_FAILED', 'cols must be another dimension than rows', { field: 'cols' });
    const funderId = reportFunder(principal, q.funderId);
    const started = `AND EXISTS (SELECT 1 FROM redemption r
                                  WHERE r.booklet_id = h.booklet_id AND r.undone_at IS NULL AND (r.occurred_at AT TIME ZONE 'Europe/Paris')::date <= $1::date)`;
    const counts = await this.tx.manager.query<{ r: string; c: string | null; n: number }[]>(
      `SELECT ${COLUMN[rowDim]} AS r, ${colDim ? COLUMN[colDim] : 'NULL'} AS c, count(DISTINCT p.id)::int AS n
         FROM handover h JOIN beneficiary_profile p ON p.id = h.profile_id
        WHERE h.handed_on <= $1::date AND h.returned_at IS NULL AND ($2::uuid IS NULL OR p.funder_id = $2::uuid)
          ${step === 'started' ? started : ''}
        GROUP BY 1, 2`,
      [day, funderId],
    );
    // Every category of a dimension, empty ones included, so the same dimension gives the same rows.
    const rows = await this.categories(rowDim, funderId);
    const cols = colDim ? await this.categories(colDim, funderId) : null;
    const cells = rows.map((r) => (cols ?? [null]).map((c) => counts.find((x) => x.r === r && x.c === c)?.n ?? 0));
    const table = suppressSmallCells({ rows, ...(cols ? { cols } : {}), cells }, { threshold: DEFAULT_THRESHOLD });
    return {
      asOf: day,
      step,
      funderId,
      threshold: table.threshold,
      rowDimension: rowDim,
      colDimension: colDim,
      rows: table.rows,
      cols: table.cols ?? null,
      cells: table.cells,
      rowTotals: table.rowTotals ?? null,
      colTotals: table.colTotals ?? null,
      total: table.total,
      suppressed: table.suppressed.length,
    };
  }

  private async categories(d: PeopleDimension, funderId: string | null): Promise<string[]> {
    if (d === 'ageBand') return [...AGE_BANDS];
    if (d === 'publicCategory') {
      const rows = await this.tx.manager.query<{ code: string }[]>(
        `SELECT DISTINCT code FROM public_category WHERE ($1::uuid IS NULL OR funder_id = $1::uuid) ORDER BY code`,
        [funderId],
      );
      return [...rows.map((r) => r.code), 'none'];
    }
    const rows = await this.tx.manager.query<{ code: string }[]>(
      `SELECT DISTINCT commune_code AS code FROM beneficiary_profile WHERE ($1::uuid IS NULL OR funder_id = $1::uuid) ORDER BY 1`,
      [funderId],
    );
    return rows.map((r) => r.code);
  }
}
