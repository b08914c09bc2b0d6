import { parisDate } from '@sillage/common';
import { sql } from '@sillage/testing';
import { api } from './order-support';
import {
  addDays,
  createRedemptionWorld,
  handOver,
  qualifiedSite,
  redeem,
  RedemptionWorld,
  stockedOrder,
  TestSite,
  voucherCodes,
} from './redemption-support';

jest.setTimeout(180_000);

interface Totals {
  count: number;
  vouchers: number;
  amountCents: number;
  byCategory: { serviceCategoryCode: string; count: number; vouchers: number; amountCents: number }[];
  byOrder: { orderId: string; orderReference: string; count: number; vouchers: number; amountCents: number }[];
}

const HEADER = [
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

/** RFC 4180 with `;` as separator, as a spreadsheet reads it: quoted fields may hold `;`, `""` and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The export's rows as objects keyed by header. */
function records(body: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(body.replace(/^\ufeff/, ''));
  expect(header).toEqual(HEADER);
  for (const r of rows) expect(r).toHaveLength(HEADER.length);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('site views: CSV export and totals of redemptions, with the list’s filters and scope', () => {
  let w: RedemptionWorld;
  let other: TestSite;
  let orderA: { id: string; reference: string };
  let orderB: { id: string; reference: string };
  const SITE_NAME = 'Atelier "Le Lien"; Lyon 3e';
  const ids: Record<string, string> = {};
  let serialsA: string[];

  const exportCsv = async (token: string, query = '') => {
    const res = await w.t.inject({
      method: 'GET',
      url: `/v1/redemptions/export.csv${query}`,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.statusCode, body: res.body, res };
  };
  const totals = (token: string, query = '') => api<Totals>(w.t, 'GET', `/v1/redemptions/totals${query}`, token);

  beforeAll(async () => {
    w = await createRedemptionWorld();
    await sql(w.t, `UPDATE organisation SET legal_name = $2 WHERE id = $1`, [w.site.id, SITE_NAME]);
    const a = await stockedOrder(w, { bookletCount: 5, vouchersPerBooklet: 3, faceValueCents: 1000 });
    const b = await stockedOrder(w, { bookletCount: 1, vouchersPerBooklet: 3, faceValueCents: 550 });
    orderA = a.order;
    orderB = b.order;
    serialsA = a.serials;
    for (const s of [...a.serials, ...b.serials]) await handOver(w, s);
    other = await qualifiedSite(w.t);
    const codes = async (serial: string, idx: number[]) =>
      Promise.all(idx.map(async (i) => ({ code: (await voucherCodes(w.t, serial, i)).code })));
    const ok = async (token: string, body: Parameters<typeof redeem>[2]) => {
      const r = await redeem<{ id: string }>(w.t, token, body);
      if (r.status !== 201) throw new Error(`redeem: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id;
    };
    ids.workshop = await ok(w.site.agent, {
      vouchers: await codes(a.serials[0], [1, 2]),
      occurredAt: new Date(Date.now() - 2 * 86400_000).toISOString(),
    });
    ids.support = await ok(w.site.agent, { vouchers: await codes(a.serials[1], [1]), serviceCategoryCode: 'accompagnement-individuel' });
    ids.orderB = await ok(w.site.agent, { vouchers: await codes(b.serials[0], [1]) });
    ids.undone = await ok(w.site.agent, { vouchers: await codes(a.serials[2], [1]) });
    expect((await api(w.t, 'POST', `/v1/redemptions/${ids.undone}/undo`, w.site.agent, { reasonCode: 'scan_error' })).status).toBe(200);
    ids.other = await ok(other.agent, { vouchers: await codes(a.serials[3], [1]) });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('exports a site’s redemptions as a French spreadsheet-ready CSV: BOM, semicolons, decimal commas, an attachment', async () => {
    const r = await exportCsv(w.site.admin);
    expect(r.status).toBe(200);
    expect(r.res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.res.headers['content-disposition']).toBe(`attachment; filename="redemptions-${parisDate(new Date())}.csv"`);
    expect(r.res.headers['cache-control']).toBe('private, no-store');
    expect(r.res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = records(r.body);
    // its own four, undone included by default, in recording order; never the other site's
    expect(rows.map((x) => x['Identifiant de l’encaissement'])).toEqual([ids.workshop, ids.support, ids.orderB, ids.undone]);
    const [workshop, support, fromB, undone] = rows;
    expect(workshop).toMatchObject({
      Site: SITE_NAME,
      'Identifiant du site': w.site.id,
      Commande: orderA.reference,
      Carnet: serialsA[0],
      Chèques: `${serialsA[0]}-01 ${serialsA[0]}-02`,
      'Nombre de chèques': '2',
      'Montant (EUR)': '20,00',
      Catégorie: 'atelier-collectif',
      Canal: 'en ligne',
      'Annulé le': '',
      'Motif d’annulation': '',
    });
    expect(workshop['Date du service']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(workshop['Date du service'].slice(0, 10)).toBe(addDays(parisDate(new Date()), -2));
    expect(support).toMatchObject({ Catégorie: 'accompagnement-individuel', 'Montant (EUR)': '10,00' });
    expect(fromB).toMatchObject({ Commande: orderB.reference, 'Montant (EUR)': '5,50' });
    expect(undone['Annulé le']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(undone['Motif d’annulation']).toBe('scan_error');
    // no voucher code in an export, only printed serials
    const code = (await voucherCodes(w.t, serialsA[0], 1)).code;
    expect(r.body).not.toContain(code);
  });

  it('applies the list’s filters and scope to the export', async () => {
    const idsOf = async (token: string, query = '') =>
      records((await exportCsv(token, query)).body).map((x) => x['Identifiant de l’encaissement']);
    expect(await idsOf(w.site.agent, '?includeUndone=false')).toEqual([ids.workshop, ids.support, ids.orderB]);
    expect(await idsOf(w.site.agent, '?serviceCategoryCode=accompagnement-individuel')).toEqual([ids.support]);
    expect(await idsOf(w.site.agent, `?orderId=${orderB.id}`)).toEqual([ids.orderB]);
    expect(await idsOf(w.site.agent, `?from=${addDays(parisDate(new Date()), 1)}`)).toEqual([]);
    expect(await idsOf(other.agent)).toEqual([ids.other]);
    // a site cannot read another site's by naming it; the funder sees its orders', the operator all
    expect(await idsOf(other.agent, `?siteId=${w.site.id}`)).toEqual([]);
    expect(await idsOf(w.tokens.funder)).toEqual([ids.workshop, ids.support, ids.orderB, ids.undone, ids.other]);
    expect(await idsOf(w.tokens.otherFunder)).toEqual([]);
    expect(await idsOf(w.tokens.op, `?siteId=${other.id}`)).toEqual([ids.other]);
    for (const q of ['?orderId=xyz', '?from=yesterday', '?includeUndone=maybe', '?colour=red']) {
      const r = await exportCsv(w.site.agent, q);
      expect({ q, status: r.status }).toEqual({ q, status: 400 });
      expect(r.res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await exportCsv(w.distributorAgent)).status).toBe(404);
  });

  it('exports more than one page (1,000 rows) whole, each redemption once, in recording order', async () => {
    const bulk = await qualifiedSite(w.t);
    const booklet = await sql<{ id: string }>(w.t, `SELECT id FROM booklet WHERE serial = $1`, [serialsA[4]]);
    // 2,405 recorded redemptions, several per microsecond-identical timestamp so that ties cross page boundaries
    await sql(
      w.t,
      `INSERT INTO redemption (id, site_id, idempotency_key, request_hash, booklet_id, order_id, service_category_code, occurred_at, recorded_at,
                               voucher_count, amount_cents, channel)
       SELECT gen_random_uuid(), $1, 'bulk-' || g, '\\x00', $2, $3, 'atelier-collectif', now() - interval '1 hour',
              date_trunc('second', now()) - (g / 5) * interval '1 second', 1, 1000, 'batch'
       FROM generate_series(1, 2405) g`,
      [bulk.id, booklet[0].id, orderA.id],
    );
    const expected = await sql<{ id: string }>(w.t, `SELECT id::text FROM redemption WHERE site_id = $1 ORDER BY recorded_at, id`, [
      bulk.id,
    ]);
    const rows = records((await exportCsv(bulk.admin)).body);
    expect(rows).toHaveLength(2405);
    expect(rows.map((x) => x['Identifiant de l’encaissement'])).toEqual(expected.map((e) => e.id));
    expect(rows.every((x) => x.Canal === 'hors ligne' && x['Montant (EUR)'] === '10,00')).toBe(true);
    const t = await totals(bulk.admin);
    expect(t.body).toMatchObject({ count: 2405, vouchers: 2405, amountCents: 2_405_000 });
  });

  it('totals count, vouchers and amount overall, per category and per order, without undone redemptions', async () => {
    const mine = await totals(w.site.agent);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      count: 3,
      vouchers: 4,
      amountCents: 3550,
      byCategory: [
        { serviceCategoryCode: 'accompagnement-individuel', count: 1, vouchers: 1, amountCents: 1000 },
        { serviceCategoryCode: 'atelier-collectif', count: 2, vouchers: 3, amountCents: 2550 },
      ],
      byOrder: expect.arrayContaining([
        { orderId: orderA.id, orderReference: orderA.reference, count: 2, vouchers: 3, amountCents: 3000 },
        { orderId: orderB.id, orderReference: orderB.reference, count: 1, vouchers: 1, amountCents: 550 },
      ]),
    });
    expect(mine.body.byOrder).toHaveLength(2);
    // filters
    const workshops = await totals(w.site.agent, '?serviceCategoryCode=atelier-collectif');
    expect(workshops.body).toMatchObject({ count: 2, vouchers: 3, amountCents: 2550 });
    expect((await totals(w.site.agent, `?orderId=${orderB.id}`)).body).toMatchObject({ count: 1, amountCents: 550 });
    const none = await totals(w.site.agent, `?from=${addDays(parisDate(new Date()), 1)}`);
    expect(none.body).toEqual({ count: 0, vouchers: 0, amountCents: 0, byCategory: [], byOrder: [] });
    // scope: the funder its orders' (here one site), the other funder nothing, another site its own
    expect((await totals(w.tokens.funder, `?siteId=${w.site.id}`)).body).toEqual(mine.body);
    expect((await totals(w.tokens.otherFunder)).body).toMatchObject({ count: 0, amountCents: 0 });
    expect((await totals(other.agent)).body).toMatchObject({ count: 1, vouchers: 1, amountCents: 1000 });
    expect((await totals(other.agent, `?siteId=${w.site.id}`)).body).toMatchObject({ count: 0 });
    const bad = await totals(w.site.agent, '?orderId=xyz');
    expect(bad.status).toBe(400);
    expect(bad.res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await totals(w.distributorAgent)).status).toBe(404);
  });

  it('keeps /v1/redemptions/:id for ids: the fixed paths are not read as one', async () => {
    expect((await api(w.t, 'GET', `/v1/redemptions/${ids.support}`, w.site.agent)).status).toBe(200);
    expect((await api(w.t, 'GET', '/v1/redemptions/export.json', w.site.agent)).status).toBe(404);
    expect((await api(w.t, 'GET', '/v1/redemptions/totals', w.site.agent)).status).toBe(200);
  });
});
