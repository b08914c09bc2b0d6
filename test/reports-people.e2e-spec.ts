import { api } from './order-support';
import { createRedemptionWorld, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

interface People {
  rows: string[];
  cols: string[] | null;
  cells: (number | null)[][];
  rowTotals: (number | null)[] | null;
  colTotals: (number | null)[] | null;
  total: number | null;
  suppressed: number;
  threshold: number;
}

/** Every line of the table (rows, columns, margins) with its total, to check that no suppressed number stands alone. */
function lines(t: People): (number | null)[][] {
  if (!t.cols) return [[...t.cells.map((r) => r[0]), t.total]];
  const byRow = t.cells.map((r, i) => [...r, t.rowTotals![i]]);
  const byCol = t.cols.map((_, j) => [...t.cells.map((r) => r[j]), t.colTotals![j]]);
  return [...byRow, ...byCol, [...t.rowTotals!, t.total], [...t.colTotals!, t.total]];
}

/** What the issue asks of people counts: no published number of 1 to 10 people, none recoverable from the others. */
function expectSafe(t: People): void {
  const published = [...t.cells.flat(), ...(t.rowTotals ?? []), ...(t.colTotals ?? []), t.total].filter((n): n is number => n !== null);
  expect(published.filter((n) => n > 0 && n < 11)).toEqual([]);
  for (const line of lines(t)) expect(line.filter((n) => n === null).length).not.toBe(1);
}

/**
 * People counts (issue 8), from the beneficiary profiles recorded at hand-over: 12 people aged 26–44
 * and 3 aged 18–25 in Lyon (69123), 1 aged 75+ in Rennes (35238); 11 of the first group used their
 * booklet. Small cells are suppressed (k = 11) with secondary suppression.
 */
describe('reports: people counts with small-cell suppression', () => {
  let w: RedemptionWorld;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    const { serials } = await stockedOrder(w, { bookletCount: 16, vouchersPerBooklet: 1, faceValueCents: 1000 });
    const people: [string, string][] = [
      ...Array.from({ length: 12 }, (): [string, string] => ['26_44', '69123']),
      ...Array.from({ length: 3 }, (): [string, string] => ['18_25', '69123']),
      ['75_plus', '35238'],
    ];
    for (const [i, [ageBand, communeCode]] of people.entries()) {
      const r = await api(w.t, 'POST', '/v1/handovers', w.distributorAgent, {
        bookletSerial: serials[i],
        profile: { ageBand, communeCode },
      });
      expect(r.status).toBe(201);
    }
    for (const serial of serials.slice(0, 11)) {
      const { code } = await voucherCodes(w.t, serial, 1);
      expect((await redeem(w.t, w.site.agent, { vouchers: [{ code }] })).status).toBe(201);
    }
  }, 240_000);
  afterAll(() => w?.close());

  const people = (query: string, token = w.tokens.funder) => api<People>(w.t, 'GET', `/v1/reports/people?${query}`, token);

  it('by age band: the 12 are published, the 3 and the 1 are not, and cannot be worked out from the total', async () => {
    const r = await people('rows=ageBand');
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual(['under_18', '18_25', '26_44', '45_59', '60_74', '75_plus']);
    expect(r.body.cells).toEqual([[0], [null], [12], [0], [0], [null]]);
    expect(r.body.threshold).toBe(11);
    expectSafe(r.body);
  });

  it('by age band and commune: every line keeps its suppressed numbers in pairs', async () => {
    const r = await people('rows=ageBand&cols=commune');
    expect(r.body.cols).toEqual(['35238', '69123']);
    expect(r.body.cells[2]).toEqual([0, 12]);
    expect(r.body.cells[1][1]).toBeNull();
    expect(r.body.cells[5][0]).toBeNull();
    expect(r.body.suppressed).toBeGreaterThanOrEqual(4);
    expectSafe(r.body);
  });

  it('started: people whose booklet was used; a funder sees only its own people, whatever the filters', async () => {
    const started = await people('step=started&rows=ageBand');
    expect(started.body.cells).toEqual([[0], [0], [11], [0], [0], [0]]);
    expect(started.body.total).toBe(11);
    expectSafe(started.body);
    const other = await people('rows=ageBand', w.tokens.otherFunder);
    expect(other.body.total).toBe(0);
    expect((await people(`funderId=${w.otherFunderId}`)).status).toBe(404);
    expect((await people(`funderId=${w.funderId}`, w.tokens.otherFunder)).status).toBe(404);
    const op = await people(`rows=publicCategory&funderId=${w.funderId}`, w.tokens.op);
    expect(op.body).toMatchObject({ rows: ['none'], cells: [[16]], total: 16 });
    expect((await people('rows=commune&cols=commune')).status).toBe(400);
    expect((await people('rows=name')).status).toBe(400);
    expect((await people('rows=ageBand', w.tokens.distributor)).status).toBe(404);
  });
});
