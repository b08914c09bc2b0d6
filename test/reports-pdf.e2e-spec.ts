import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { AuditSealer } from '@sillage/audit';
import { formatEuros, parisDate } from '@sillage/common';
import { ReportConsumer } from '@sillage/reporting';
import { bearer, pdfText, sql } from '@sillage/testing';
import { api, paidOrder } from './order-support';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, voucherCodes } from './redemption-support';

interface ReportExport {
  id: string;
  kind: string;
  status: string;
  rowsDone: number;
  rowsTotal: number;
  progress: number;
  filename: string;
  sizeBytes: number | null;
  sha256: string | null;
  downloadUrl: string | null;
}
type Funnel = {
  checkpoint: { treeSize: number };
  total: { steps: Record<string, { vouchers: number; valueCents: number }>; startedBooklets: number };
  groups: { key: string; label: string }[];
};

const text = (pdf: Buffer) => pdfText(pdf).replace(/\s+/g, ' ');

/**
 * Funnel and money reports as PDF (issue 8): charts, a plain-language summary in French, the
 * checkpoint. Small ones are drawn in the request; above REPORT_PDF_INLINE_ROWS table rows (1 here)
 * the worker renders them with progress, for the organisation that asked.
 */
describe('reports: funnel and money PDFs, drawn in the request or by the worker', () => {
  let w: RedemptionWorld;
  const T = parisDate(new Date());
  const orderRefs: string[] = [];

  const get = (url: string, token: string, headers: Record<string, string> = {}) =>
    w.t.inject({ method: 'GET', url, headers: { ...bearer(token), ...headers } });

  /** Polls an export until the worker has rendered it. */
  async function ready(id: string, token = w.tokens.op): Promise<ReportExport> {
    for (let i = 0; i < 400; i++) {
      const r = await api<ReportExport>(w.t, 'GET', `/v1/reports/exports/${id}`, token);
      expect(r.status).toBe(200);
      if (r.body.status === 'ready') return r.body;
      if (r.body.status === 'failed') throw new Error(`export failed: ${JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('the export was not rendered');
  }

  beforeAll(async () => {
    w = await createRedemptionWorld({ REPORT_PDF_INLINE_ROWS: '1' });
    for (let i = 0; i < 2; i++) {
      const order = await paidOrder(w, { bookletCount: 1, vouchersPerBooklet: 4 });
      orderRefs.push(order.reference);
      expect(
        (await api(w.t, 'POST', '/v1/allocations', w.tokens.funder, { toDistributorId: w.distributorId, orderId: order.id, count: 1 }))
          .status,
      ).toBe(201);
      const [{ serial }] = await sql<{ serial: string }>(w.t, `SELECT serial FROM booklet WHERE order_id = $1`, [order.id]);
      await handOver(w, serial);
      const codes = await Promise.all([1, 2].map((idx) => voucherCodes(w.t, serial, idx)));
      expect((await redeem(w.t, w.site.agent, { vouchers: codes.map((c) => ({ code: c.code })) })).status).toBe(201);
    }
    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
  }, 240_000);
  afterAll(() => w?.close());

  it('a small funnel comes back as a PDF at once, its summary and chart saying the JSON’s figures', async () => {
    const json = await api<Funnel>(w.t, 'GET', `/v1/reports/funnel?asOf=${T}&groupBy=funder`, w.tokens.funder);
    expect(json.body.groups).toHaveLength(1); // one row: drawn in the request
    const pdf = await get(`/v1/reports/funnel?asOf=${T}&groupBy=funder`, w.tokens.funder, { accept: 'application/pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="entonnoir-funder-${T}.pdf"`);
    const t = text(pdf.rawPayload);
    const steps = json.body.total.steps;
    expect(steps.issued.vouchers).toBe(8);
    expect(t).toContain('Entonnoir des chèques');
    expect(t).toContain('8 chèques ont été émis, dont 8 actifs (commande payée).');
    expect(t).toContain(`et 4 utilisés dans des lieux labellisés, pour ${formatEuros(steps.redeemed.valueCents).replace(/\s/g, ' ')}`);
    expect(t).toContain('2 carnets ont été entamés.');
    expect(t).toContain(json.body.groups[0].label); // the funder's name in the table
    expect(t).toContain(`point de contrôle n° ${json.body.checkpoint.treeSize}`);
  });

  it('a larger funnel is rendered by the worker with progress; the organisation that asked downloads it', async () => {
    const asked = await get(`/v1/reports/funnel?asOf=${T}&groupBy=order&format=pdf`, w.tokens.funder);
    expect(asked.statusCode).toBe(202);
    const queued = asked.json<ReportExport>();
    expect(asked.headers.location).toBe(`/v1/reports/exports/${queued.id}`);
    expect(queued).toMatchObject({ kind: 'funnel', rowsTotal: 2, filename: `entonnoir-order-${T}.pdf`, downloadUrl: null });
    expect(['pending', 'rendering', 'ready']).toContain(queued.status);

    const done = await ready(queued.id, w.tokens.funder);
    expect(done).toMatchObject({ rowsDone: 2, rowsTotal: 2, progress: 1, downloadUrl: `/v1/reports/exports/${queued.id}/download` });
    const file = await get(done.downloadUrl!, w.tokens.funder);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="entonnoir-order-${T}.pdf"`);
    expect(file.rawPayload.length).toBe(done.sizeBytes);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(done.sha256);
    const t = text(file.rawPayload);
    for (const ref of orderRefs) expect(t).toContain(ref); // each order by its reference
    expect(t).toContain('Par commande');

    // Listed for the funder's users; another organisation sees nothing of it.
    const list = await api<{ items: ReportExport[] }>(w.t, 'GET', '/v1/reports/exports', w.tokens.funder);
    expect(list.body.items.map((i) => i.id)).toContain(queued.id);
    for (const url of [`/v1/reports/exports/${queued.id}`, `/v1/reports/exports/${queued.id}/download`]) {
      const other = await get(url, w.tokens.otherFunder);
      expect(other.statusCode).toBe(404);
      expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await api<{ items: ReportExport[] }>(w.t, 'GET', '/v1/reports/exports', w.tokens.otherFunder)).body.items).toEqual([]);
  });

  it('the money report as a PDF: received, paid to the field and fees in plain French, rendered by the worker when long', async () => {
    const json = await api<{ receivedCents: number; feesCents: number; periods: unknown[]; sites: unknown[] }>(
      w.t,
      'GET',
      `/v1/reports/money?asOf=${T}`,
      w.tokens.opFinance,
    );
    expect(json.body.receivedCents).toBeGreaterThan(0);
    const asked = await get(`/v1/reports/money?asOf=${T}`, w.tokens.opFinance, { accept: 'application/pdf' });
    const rows = json.body.periods.length + json.body.sites.length;
    let pdf: Buffer;
    if (rows <= 1) {
      expect(asked.statusCode).toBe(200);
      pdf = asked.rawPayload;
    } else {
      expect(asked.statusCode).toBe(202);
      const done = await ready(asked.json<ReportExport>().id, w.tokens.opFinance);
      expect(done.rowsDone).toBe(rows);
      pdf = (await get(done.downloadUrl!, w.tokens.opFinance)).rawPayload;
    }
    const t = text(pdf);
    expect(t).toContain('Où est allé l’argent');
    expect(t).toContain(`Les financeurs ont versé ${formatEuros(json.body.receivedCents).replace(/\s/g, ' ')}.`);
    expect(t).toContain(`Les frais s’élèvent à ${formatEuros(json.body.feesCents).replace(/\s/g, ' ')}`);
  });

  it('exports older than REPORT_EXPORT_RETENTION_DAYS (7) are deleted, file and row, when the worker renders another', async () => {
    const first = (await api<{ items: ReportExport[] }>(w.t, 'GET', '/v1/reports/exports', w.tokens.funder)).body.items.find(
      (i) => i.status === 'ready',
    )!;
    const [{ path }] = await sql<{ path: string }>(w.t, `SELECT path FROM reporting_export WHERE id = $1`, [first.id]);
    const file = join(w.t.app.get<AppConfig>(APP_CONFIG).reporting.exportDir, path);
    expect(existsSync(file)).toBe(true);
    await sql(w.t, `UPDATE reporting_export SET created_at = now() - interval '8 days' WHERE id = $1`, [first.id]);
    const asked = await get(`/v1/reports/funnel?asOf=${T}&groupBy=order&format=pdf`, w.tokens.op);
    expect(asked.statusCode).toBe(202);
    await ready(asked.json<ReportExport>().id);
    expect(existsSync(file)).toBe(false);
    expect((await get(`/v1/reports/exports/${first.id}`, w.tokens.funder)).statusCode).toBe(404);
  });

  it('bad input gets a precise problem, and a PDF still being rendered is not served', async () => {
    const bad = await get(`/v1/reports/funnel?asOf=${T}&format=docx`, w.tokens.funder);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toContain('format');
    const badId = await get('/v1/reports/exports/not-an-id', w.tokens.funder);
    expect(badId.statusCode).toBe(404); // as every id route: a malformed id names nothing
    expect(badId.json<{ detail: string }>().detail).toBe('report export not found');
    expect((await get(`/v1/reports/exports/${randomUUID()}`, w.tokens.funder)).statusCode).toBe(404);

    // An export still pending (as the worker finds it before its turn): its status, never a half file.
    const id = randomUUID();
    await sql(
      w.t,
      `INSERT INTO reporting_export (id, kind, organisation_id, report, filename, rows_total) VALUES ($1, 'funnel', $2, '{}', 'x.pdf', 10)`,
      [id, w.funderId],
    );
    const early = await get(`/v1/reports/exports/${id}/download`, w.tokens.funder);
    expect(early.statusCode).toBe(409);
    expect(early.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'REPORT_EXPORT_NOT_READY',
      detail: 'this report is pending (0/10 rows drawn): try again in a moment',
    });
  });
});
