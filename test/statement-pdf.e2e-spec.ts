import { randomUUID } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { formatEuros } from '@sillage/common';
import { sql, pdfText } from '@sillage/testing';
import { api } from './order-support';
import { createRedemptionWorld, handOver, qualifiedSite, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';

interface Statement {
  id: string;
  number: string;
  runId: string;
  siteName: string;
  voucherCount: number;
  faceValueCents: number;
  commissionCents: number;
  totalCents: number;
  status: string;
}

/** The amount printed at the end of the totals line that starts with `label`. */
function printedTotal(layoutText: string, label: string): string | undefined {
  const line = layoutText.split('\n').find((l) => l.trim().startsWith(label));
  return line?.trim().slice(label.length).trim();
}

const STATUS_LABELS: Record<string, string> = {
  unpaid: 'À payer / Unpaid',
  in_payout: 'Virement en cours / Payment in progress',
  paid: 'Payé / Paid',
};

const euros = (cents: number) => formatEuros(cents).replace(/\u00a0/g, ' ');

describe('statement PDF (GET /v1/statements/{id}/pdf)', () => {
  let w: RedemptionWorld;
  let other: { id: string; admin: string; agent: string };
  let statement: Statement;
  let orderReference: string;
  const IBAN = 'FR7630006000011234567890189';

  /** Redeems vouchers of a booklet and moves them past their 24 h undo window. */
  async function redeemed(serial: string, idxs: number[], category: string) {
    const codes = await Promise.all(idxs.map((i) => voucherCodes(w.t, serial, i)));
    const r = await redeem<{ id: string }>(w.t, w.site.agent, {
      vouchers: codes.map((c) => ({ qrToken: c.qrToken })),
      serviceCategoryCode: category,
    });
    expect(r.status).toBe(201);
    await sql(
      w.t,
      `UPDATE redemption SET recorded_at = now() - interval '30 hours', occurred_at = now() - interval '30 hours' WHERE id = $1`,
      [r.body.id],
    );
  }

  beforeAll(async () => {
    w = await createRedemptionWorld();
    other = await qualifiedSite(w.t);
    const stocked = await stockedOrder(w, { bookletCount: 2 });
    orderReference = stocked.order.reference;
    await handOver(w, stocked.serials[0]);
    await redeemed(stocked.serials[0], [1, 2], 'atelier-collectif');
    await redeemed(stocked.serials[0], [3], 'accompagnement-individuel');
    // The site's SIRET, and a verified bank account (four eyes: requested and decided by two people).
    await sql(w.t, `UPDATE organisation SET siret = siren || '00021' WHERE id = $1`, [w.site.id]);
    await sql(
      w.t,
      `INSERT INTO site_bank_account (site_id, iban, bic, holder_name, status, requested_by, decided_by, decided_at, valid_from)
       VALUES ($1, $2, 'BNPAFRPPXXX', 'Association du site', 'verified', $3, $4, now(), now())`,
      [w.site.id, IBAN, randomUUID(), randomUUID()],
    );

    const started = await api<{ id: string }>(w.t, 'POST', '/v1/settlement-runs', w.tokens.opFinance, { cutoff: new Date().toISOString() });
    expect(started.status).toBe(201);
    for (let i = 0; i < 200; i++) {
      const r = await api<{ status: string }>(w.t, 'GET', `/v1/settlement-runs/${started.body.id}`, w.tokens.opFinance);
      if (r.body.status === 'completed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const mine = await api<{ items: Statement[] }>(w.t, 'GET', `/v1/statements?runId=${started.body.id}`, w.site.admin);
    expect(mine.body.items).toHaveLength(1);
    statement = mine.body.items[0];
  }, 120_000);
  afterAll(() => w.close());

  const download = (id: string, token: string) =>
    w.t.inject({ method: 'GET', url: `/v1/statements/${id}/pdf`, headers: { authorization: `Bearer ${token}` } });

  it('downloads the site’s statement as a PDF named after its number, whose totals are the statement’s', async () => {
    const r = await download(statement.id, w.site.admin);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${statement.number}.pdf"`);
    const pdf = r.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);

    const text = pdfText(pdf).replace(/\s+/g, ' ');
    const now = await api<Statement>(w.t, 'GET', `/v1/statements/${statement.id}`, w.site.admin);
    const [site] = await sql<{ legal_name: string; siret: string }>(w.t, `SELECT legal_name, siret FROM organisation WHERE id = $1`, [
      w.site.id,
    ]);
    for (const expected of [
      'RELEVÉ DE REMBOURSEMENT',
      `N° ${statement.number}`,
      site.legal_name,
      `SIRET : ${site.siret}`,
      '1 place de la Comédie',
      '69001 Lyon',
      `Campagne / Run : ${statement.runId}`,
      `Statut / Status : ${STATUS_LABELS[now.body.status]}`,
      orderReference,
      'Atelier collectif',
      `valeur faciale des bons ${euros(statement.faceValueCents)}`,
      `commission de la plateforme ${euros(statement.commissionCents)}`,
      `montant dû ${euros(statement.totalCents)}`,
      'titulaire Association du site, IBAN ***********************0189',
    ]) {
      expect(text).toContain(expected);
    }
    // The totals block prints the statement's totals, to the cent.
    const layout = pdfText(pdf, { layout: true });
    expect(statement.totalCents).toBeGreaterThan(0);
    expect(printedTotal(layout, 'Bons / Vouchers')).toBe(String(statement.voucherCount));
    expect(printedTotal(layout, 'Valeur faciale / Face value')).toBe(euros(statement.faceValueCents));
    expect(printedTotal(layout, 'Commission')).toBe(euros(statement.commissionCents));
    expect(printedTotal(layout, 'Total à payer / Total to be paid')).toBe(euros(statement.totalCents));
    expect(text).not.toContain(IBAN.slice(0, 8)); // only the last 4 characters are printed

    // The same statement downloaded again (by the operator) gives the same bytes.
    const again = await download(statement.id, w.tokens.opFinance);
    expect(again.statusCode).toBe(200);
    expect(again.rawPayload.equals(pdf)).toBe(true);
  });

  // A malformed id is a statement that does not exist (404), as on every route with an id (ParseIdPipe); a funder has no such route.
  it('answers 404 to another site, a funder, an unknown or malformed id, and 403 to a site agent — as problem+json', async () => {
    const cases: [string, string, number][] = [
      [statement.id, other.admin, 404],
      [randomUUID(), w.tokens.op, 404],
      ['not-a-uuid', w.site.admin, 404],
      ["'; DROP TABLE settlement_statement; --", w.tokens.opFinance, 404],
      [statement.id, w.site.agent, 403],
      [statement.id, w.tokens.funder, 404],
    ];
    for (const [id, token, status] of cases) {
      const r = await download(id, token);
      expect({ id, status: r.statusCode }).toEqual({ id, status });
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.headers['content-disposition']).toBeUndefined();
    }
  });
});
