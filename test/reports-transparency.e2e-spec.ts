import { AuditSealer } from '@sillage/audit';
import { addDays, parisDate } from '@sillage/common';
import { REPORT_AGGREGATE_TABLES, ReportConsumer } from '@sillage/reporting';
import { SettlementExpireJob } from '@sillage/settlement';
import { bearer, pdfText, sql } from '@sillage/testing';
import { api, createOrderWorld, draftOrder, OrderWorld, payInFull } from './order-support';

/**
 * Transparency per programme and per policy (issue 8), hand-computed. One policy P with two
 * programmes; G1 has two grants (X to the funder at 80 %, Y to the other funder at 33.33 %), G2
 * none. Dates relative to today (T); the report dates are D1 = T − 10 and T.
 *
 * - Funding sources of G1: 60,000.00 € on T − 90, 15,000.00 € on T − 3 (after D1); G2: 10,000.00 €.
 * - X: 30,000.00 € awarded T − 60, amended to 33,333.33 € on T − 20, to 40,000.00 € on T − 2.
 *   Y: 12,345.67 € awarded T − 50.
 * - Orders of X: O1 historical, 100 × 10 × 10.00 € = 10,000.00 €, paid T − 190; O2, 3 × 4 × 10.00 € =
 *   120.00 €, paid T − 30, expired and credited 120.00 € today. Of Y: O3, 2 × 5 × 15.01 € = 150.10 €,
 *   paid today. O4 of the funder without a grant counts nowhere.
 * - Announcements of P: 100,000.00 € on T − 100; a range 50,000.00–80,000.00 € on T − 5.
 */
describe('reports: transparency per programme and policy, as of a date', () => {
  let w: OrderWorld;
  const T = parisDate(new Date());
  const D1 = addDays(T, -10);
  let policyId: string;
  let g1: string;
  let g2: string;
  let grantX: string;
  let grantY: string;

  const post = async <R = { id: string }>(url: string, body: object, token = w.tokens.op) => {
    const r = await api<R>(w.t, 'POST', url, token, body);
    if (r.status !== 201 && r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const sealAndConsume = async () => {
    await w.t.app.get(AuditSealer).sealPending();
    return w.t.app.get(ReportConsumer).consume();
  };

  beforeAll(async () => {
    w = await createOrderWorld();
    policyId = (await post('/v1/policies', { name: 'Pass numérique' })).id;
    await post(`/v1/policies/${policyId}/announcements`, {
      label: 'Annonce initiale',
      amountCents: 10_000_000,
      announcedOn: addDays(T, -100),
      sourceReference: 'CP-1',
    });
    await post(`/v1/policies/${policyId}/announcements`, {
      label: 'Fourchette révisée',
      minAmountCents: 5_000_000,
      maxAmountCents: 8_000_000,
      announcedOn: addDays(T, -5),
      sourceReference: 'CP-2',
    });
    g1 = (await post('/v1/programmes', { policyId, name: 'AAP 2026', maxCofinancingRateBp: 8000 })).id;
    g2 = (await post('/v1/programmes', { policyId, name: 'AAP 2027', maxCofinancingRateBp: 8000 })).id;
    const source = (programme: string, amountCents: number, obtainedOn: string, reference: string) =>
      post(`/v1/programmes/${programme}/funding-sources`, { label: 'Crédits', amountCents, obtainedOn, reference });
    await source(g1, 6_000_000, addDays(T, -90), 'FS-1');
    await source(g1, 1_500_000, addDays(T, -3), 'FS-2');
    await source(g2, 1_000_000, addDays(T, -80), 'FS-3');
    const grant = (funderId: string, amountCents: number, cofinancingRateBp: number, awardedOn: string) =>
      post(`/v1/programmes/${g1}/grants`, { funderId, amountCents, cofinancingRateBp, awardedOn, endDate: addDays(T, 400) });
    grantX = (await grant(w.funderId, 3_000_000, 8000, addDays(T, -60))).id;
    grantY = (await grant(w.otherFunderId, 1_234_567, 3333, addDays(T, -50))).id;
    const amend = (amendedOn: string, newAmountCents: number) =>
      post(`/v1/grants/${grantX}/amendments`, { amendedOn, reasonCode: 'BUDGET_INCREASE', newAmountCents });
    await amend(addDays(T, -20), 3_333_333);
    await amend(addDays(T, -2), 4_000_000);

    // O1: historical, paid long ago (figures only).
    await draftOrder(w, {
      historical: true,
      grantId: grantX,
      bookletCount: 100,
      vouchersPerBooklet: 10,
      faceValueCents: 1000,
      orderedOn: addDays(T, -200),
      paidOn: addDays(T, -190),
      validityEndDate: addDays(T, -100),
    });
    // O2: ordered T − 40, paid T − 30, then expired: its credit note is issued today.
    const o2 = await draftOrder(w, {
      grantId: grantX,
      bookletCount: 3,
      vouchersPerBooklet: 4,
      faceValueCents: 1000,
      orderedOn: addDays(T, -40),
    });
    await payInFull(w, o2.id, addDays(T, -30));
    await sql(w.t, `UPDATE purchase_order SET validity_end_date = $2, tolerance_days = 0 WHERE id = $1`, [o2.id, addDays(T, -9)]);
    await w.t.app.get(SettlementExpireJob).handle({ day: T });
    const notes = await api<{ items: { amountCents: number }[] }>(w.t, 'GET', `/v1/credit-notes?orderId=${o2.id}`, w.tokens.funder);
    expect(notes.body.items.map((n) => n.amountCents)).toEqual([12_000]);
    // O3: the other funder's, paid today, face value with cents.
    const o3 = await draftOrder(w, { grantId: grantY, bookletCount: 2, vouchersPerBooklet: 5, faceValueCents: 1501 }, w.tokens.otherFunder);
    await payInFull(w, o3.id, T, w.tokens.otherFunder);
    // O4: no grant.
    const o4 = await draftOrder(w, { bookletCount: 1, vouchersPerBooklet: 4, faceValueCents: 1000 });
    await payInFull(w, o4.id, T);
    await sealAndConsume();
  }, 240_000);
  afterAll(() => w?.close());

  const programmeReport = (id: string, asOf: string, token = w.tokens.op) =>
    api<Record<string, unknown>>(w.t, 'GET', `/v1/reports/programmes/${id}/transparency?asOf=${asOf}`, token);
  const policyReport = (asOf: string, token = w.tokens.op) =>
    api<Record<string, unknown>>(w.t, 'GET', `/v1/reports/policies/${policyId}/transparency?asOf=${asOf}`, token);

  it('as of D1: the amendment and the funding after D1, the order paid after D1 and the credit note issued after D1 are excluded', async () => {
    const r = await programmeReport(g1, D1);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      programmeId: g1,
      name: 'AAP 2026',
      asOf: D1,
      obtainedCents: 6_000_000,
      attributedCents: 3_333_333 + 1_234_567,
      executedCents: 1_000_000 + 12_000,
      cofinancedCents: 809_600, // 1,012,000 × 80 %
      retentionRate: 0.2387, // 1 − 4,567,900 ÷ 6,000,000 = 0.238683…
    });
    expect(r.body.grants).toEqual([
      expect.objectContaining({
        grantId: grantX,
        funderId: w.funderId,
        cofinancingRateBp: 8000,
        attributedCents: 3_333_333,
        executedCents: 1_012_000,
        cofinancedCents: 809_600,
      }),
      expect.objectContaining({
        grantId: grantY,
        funderId: w.otherFunderId,
        cofinancingRateBp: 3333,
        attributedCents: 1_234_567,
        executedCents: 0,
        cofinancedCents: 0,
      }),
    ]);
  });

  it('as of today: the latest amendment, the credit note deducted, the other funder’s order rounded half-up per grant', async () => {
    const r = await programmeReport(g1, T);
    expect(r.body).toMatchObject({
      obtainedCents: 7_500_000,
      attributedCents: 4_000_000 + 1_234_567,
      executedCents: 1_000_000 + 15_010, // O2's 12,000 credited back
      cofinancedCents: 800_000 + 5_003, // 15,010 × 33.33 % = 5,002.833 → 5,003
      retentionRate: 0.3021, // 2,265,433 ÷ 7,500,000 = 0.302057…
    });
    const grants = r.body.grants as { grantId: string; executedCents: number; cofinancedCents: number }[];
    expect(grants.find((g) => g.grantId === grantY)).toMatchObject({ executedCents: 15_010, cofinancedCents: 5_003 });
    // A programme without grants: nothing attributed, everything retained.
    const empty = await programmeReport(g2, T);
    expect(empty.body).toMatchObject({
      obtainedCents: 1_000_000,
      attributedCents: 0,
      executedCents: 0,
      cofinancedCents: 0,
      retentionRate: 1,
      grants: [],
    });
  });

  it('per policy: announcements made by the date against the co-financed share, and the same against obtained', async () => {
    const d1 = await policyReport(D1);
    expect(d1.body).toMatchObject({
      obtainedCents: 7_000_000,
      attributedCents: 4_567_900,
      executedCents: 1_012_000,
      cofinancedCents: 809_600,
      retentionRate: 0.3474, // 2,432,100 ÷ 7,000,000 = 0.347442…
      announcements: [
        { label: 'Annonce initiale', amount: { amountCents: 10_000_000, useRate: 0.081, gapCents: 9_190_400, gapShare: 0.919 } },
      ],
      againstObtained: { amountCents: 7_000_000, useRate: 0.1157, gapCents: 6_190_400, gapShare: 0.8843 },
    });
    const today = await policyReport(T);
    expect(today.body).toMatchObject({
      obtainedCents: 8_500_000,
      cofinancedCents: 805_003,
      retentionRate: 0.3842, // 3,265,433 ÷ 8,500,000 = 0.384168…
      announcements: [
        { amount: { amountCents: 10_000_000, useRate: 0.0805, gapCents: 9_194_997, gapShare: 0.9195 } },
        {
          label: 'Fourchette révisée',
          min: { amountCents: 5_000_000, useRate: 0.161, gapCents: 4_194_997, gapShare: 0.839 },
          max: { amountCents: 8_000_000, useRate: 0.1006, gapCents: 7_194_997, gapShare: 0.8994 },
        },
      ],
      againstObtained: { amountCents: 8_500_000, useRate: 0.0947, gapCents: 7_694_997, gapShare: 0.9053 },
    });
    expect((today.body.programmes as { programmeId: string }[]).map((p) => p.programmeId)).toEqual([g1, g2]);
  });

  it('names the signed checkpoint the figures are exactly as of, and moves only when a later checkpoint is consumed', async () => {
    const r = await programmeReport(g1, T);
    const checkpoint = r.body.checkpoint as { treeSize: number; root: string; signature: string };
    const [latest] = await sql<{ size: number }>(w.t, `SELECT max(tree_size)::int AS size FROM audit_checkpoint`);
    expect(checkpoint.treeSize).toBe(latest.size);
    const proof = await api<{ treeSize: number; root: string; signature: string }>(
      w.t,
      'GET',
      `/v1/audit/checkpoints/${checkpoint.treeSize}`,
      w.tokens.op,
    );
    expect(proof.body).toMatchObject({ treeSize: checkpoint.treeSize, root: checkpoint.root, signature: checkpoint.signature });

    // A new funding source: not in the report until it is sealed and consumed.
    await post(`/v1/programmes/${g2}/funding-sources`, { label: 'Rallonge', amountCents: 250_000, obtainedOn: T, reference: 'FS-4' });
    expect((await programmeReport(g2, T)).body).toMatchObject({ obtainedCents: 1_000_000, checkpoint: { treeSize: latest.size } });
    const consumed = await sealAndConsume();
    expect(consumed.treeSize).toBeGreaterThan(latest.size);
    expect((await programmeReport(g2, T)).body).toMatchObject({ obtainedCents: 1_250_000, checkpoint: { treeSize: consumed.treeSize } });
  });

  it('npm run reports:rebuild gives exactly the aggregates built incrementally', async () => {
    const dump = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of REPORT_AGGREGATE_TABLES) out[table] = await sql(w.t, `SELECT * FROM ${table} t ORDER BY t::text`);
      return out;
    };
    const incremental = await dump();
    expect(incremental.report_order).toHaveLength(4);
    const before = (await programmeReport(g1, T)).body;
    const rebuilt = await w.t.app.get(ReportConsumer).rebuild();
    expect(rebuilt.consumed).toBe(rebuilt.treeSize);
    expect(await dump()).toEqual(incremental);
    expect((await programmeReport(g1, T)).body).toEqual(before);
  });

  it('renders the report as a PDF with a plain-language summary, a chart and the checkpoint it is as of', async () => {
    const pdf = await w.t.inject({
      method: 'GET',
      url: `/v1/reports/programmes/${g1}/transparency?asOf=${T}&format=pdf`,
      headers: bearer(w.tokens.op),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="transparence-programme-${T}.pdf"`);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, ' ');
    const [y, m, d] = T.split('-');
    expect(text).toContain('Rapport de transparence — AAP 2026');
    expect(text).toContain(`situation au ${d}/${m}/${y}`);
    // The summary and the chart say the same figures as the JSON.
    expect(text).toContain(
      '75 000,00 € ont été obtenus pour ce programme, dont 52 345,67 € attribués à 2 financeurs (30,2 % non attribués)',
    );
    expect(text).toContain('Les commandes payées représentent 10 150,10 € de chèques');
    expect(text).toContain('dont 8 050,03 € cofinancés');
    const { checkpoint } = (await programmeReport(g1, T)).body as { checkpoint: { treeSize: number } };
    expect(text).toContain(`point de contrôle n° ${checkpoint.treeSize}`);

    const policyPdf = await w.t.inject({
      method: 'GET',
      url: `/v1/reports/policies/${policyId}/transparency?asOf=${T}`,
      headers: { ...bearer(w.tokens.op), accept: 'application/pdf' },
    });
    expect(policyPdf.headers['content-type']).toBe('application/pdf');
    const policyText = pdfText(policyPdf.rawPayload).replace(/\s+/g, ' ');
    expect(policyText).toContain('Fourchette révisée');
    expect(policyText).toContain('Par programme');
    // An unknown format is refused with the field named.
    const odt = await api<{ errors: { field: string }[] }>(w.t, 'GET', `/v1/reports/programmes/${g1}/transparency?format=odt`, w.tokens.op);
    expect(odt.status).toBe(400);
    expect(odt.body.errors.map((e) => e.field)).toEqual(['format']);
  });

  it('publishing a policy makes its report public at its slug; unpublishing withdraws it', async () => {
    const anonymous = (slug: string, query = `asOf=${T}`) =>
      w.t.inject({ method: 'GET', url: `/v1/public/policies/${slug}/transparency?${query}` });
    expect((await anonymous('pass-numerique')).statusCode).toBe(404);
    // Only the operator's admins publish; a slug is validated and belongs to one policy.
    expect((await api(w.t, 'POST', `/v1/policies/${policyId}/publish`, w.tokens.funder, { slug: 'pass-numerique' })).status).toBe(404); // operator-only routes: 404 to others
    const badSlug = await api<{ code: string; field?: string }>(w.t, 'POST', `/v1/policies/${policyId}/publish`, w.tokens.op, {
      slug: 'Pass Numérique',
    });
    expect(badSlug.status).toBe(400);
    expect(JSON.stringify(badSlug.body)).toContain('slug');
    const published = await api<{ slug: string; publishedAt: string }>(w.t, 'POST', `/v1/policies/${policyId}/publish`, w.tokens.op, {
      slug: 'pass-numerique',
    });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ slug: 'pass-numerique', publishedAt: expect.any(String) });
    const other = (await post('/v1/policies', { name: 'Autre politique' })).id;
    const taken = await api<{ code: string }>(w.t, 'POST', `/v1/policies/${other}/publish`, w.tokens.op, { slug: 'pass-numerique' });
    expect({ status: taken.status, code: taken.body.code }).toEqual({ status: 409, code: 'SLUG_TAKEN' });

    const pub = await anonymous('pass-numerique');
    expect(pub.statusCode).toBe(200);
    const operatorView = (await policyReport(T)).body;
    expect(pub.json()).toEqual(operatorView);
    expect(pub.json()).toMatchObject({ policyId, cofinancedCents: 805_003, checkpoint: { treeSize: expect.any(Number) } });
    const csv = await anonymous('pass-numerique', `asOf=${D1}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="transparence-pass-numerique-${D1}.csv"`);
    expect((await anonymous('pass-numerique', 'asOf=tomorrow')).statusCode).toBe(400);

    expect((await api(w.t, 'POST', `/v1/policies/${policyId}/unpublish`, w.tokens.op)).status).toBe(200);
    expect((await anonymous('pass-numerique')).statusCode).toBe(404);
    const events = await sql<{ action: string }>(
      w.t,
      `SELECT action FROM audit_event WHERE subject_id = $1 AND action LIKE 'policy.%publish%' ORDER BY recorded_at`,
      [policyId],
    );
    expect(events.map((e) => e.action)).toEqual(['policy.published', 'policy.unpublished']);
  });

  it('downloads CSV (format=csv or Accept), refuses funders, bad dates and unknown ids with problem+json', async () => {
    const csv = await api<string>(w.t, 'GET', `/v1/reports/programmes/${g1}/transparency?asOf=${T}&format=csv`, w.tokens.op);
    expect(csv.status).toBe(200);
    expect(csv.res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('scope;id;name;as_of;obtained_eur;attributed_eur;executed_eur;cofinanced_eur;retention_rate;tree_size');
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^programme;${g1};AAP 2026;${T};75000,00;52345,67;10150,10;8050,03;0,3021;\\d+$`));
    const byAccept = await w.t.inject({
      method: 'GET',
      url: `/v1/reports/policies/${policyId}/transparency?asOf=${T}`,
      headers: { authorization: `Bearer ${w.tokens.op}`, accept: 'text/csv' },
    });
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
    expect(byAccept.body).toContain(`policy;${policyId};Pass numérique;${T};87500,00;`); // with FS-4, added above

    // Programme and policy totals mix funders: the operator's only.
    expect((await programmeReport(g1, T, w.tokens.funder)).status).toBe(404);
    expect((await policyReport(T, w.tokens.funder)).status).toBe(404);
    const bad = await programmeReport(g1, '2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(bad.body)).toContain('asOf');
    const format = await api(w.t, 'GET', `/v1/reports/programmes/${g1}/transparency?format=xls`, w.tokens.op);
    expect(format.status).toBe(400);
    expect((await programmeReport('7d0f1b0a-0000-4000-8000-000000000000', T)).status).toBe(404);
    expect((await programmeReport('not-a-uuid', T)).status).toBe(404);
  });
});
