import { spawnSync } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { PDFDocument } from 'pdf-lib';
import { parisDate } from '@sillage/common';
import { auditEventsDuring, seedOrganisation, sql, tableCounts, unknownId, pdfText } from '@sillage/testing';
import { api, createOrderWorld, draftOrder, issued, OrderJson, OrderWorld } from './order-support';

// Issuance runs in the worker and confirmations are awaited until every booklet is written.
jest.setTimeout(60_000);

interface InvoiceSummary {
  id: string;
  kind: 'invoice' | 'credit_note';
  number: string;
  orderId: string;
  funderId: string;
  creditedInvoiceId: string | null;
  issuedOn: string;
  taxExclusiveCents: number;
  vatCents: number;
  payableCents: number;
}

interface InvoiceLine {
  quantity: number;
  unitPriceCents: number;
  netCents: number;
  vatCategory: string;
  vatRateBp: number;
}

interface InvoiceDetail extends InvoiceSummary {
  document: { number: string; orderReference: string; lines: InvoiceLine[]; totals: { lineTotalCents: number } };
}

type Page = { items: InvoiceSummary[]; nextCursor: string | null };

/** Half-up division written independently of the code under test: quotient plus one when the remainder is at least half. */
const halfUp = (numerator: number, denominator: number) =>
  Math.floor(numerator / denominator) + (2 * (numerator % denominator) >= denominator ? 1 : 0);

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // amounts stay strings: no float ever sees them
  parseAttributeValue: false,
  isArray: (name) => ['cac:InvoiceLine', 'cac:CreditNoteLine', 'cac:TaxSubtotal', 'cbc:Note'].includes(name),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML has no static shape
type XmlNode = Record<string, any>;

/** A UBL amount element (`1234.56`, currency EUR) as integer cents. */
function xmlCents(node: XmlNode): number {
  expect(node['@_currencyID']).toBe('EUR');
  const m = /^(\d+)\.(\d{2})$/.exec(String(node['#text']));
  if (!m) throw new Error(`not a 2-decimal amount: ${JSON.stringify(node)}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

/** French money as the PDF prints it: 81474 → "814,74 €" (thousands grouped by a space). */
const euros = (cents: number) =>
  `${String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${String(cents % 100).padStart(2, '0')} €`;

describe('invoices: numbering, totals, documents, access', () => {
  let w: OrderWorld;
  let contractId: string;
  let year: number;

  beforeAll(async () => {
    w = await createOrderWorld({ LOG_LEVEL: 'warn' });
    year = Number(parisDate(new Date()).slice(0, 4));
    const contract = await api<{ id: string }>(w.t, 'POST', '/v1/contracts', w.tokens.op, {
      funderId: w.funderId,
      reference: 'MP-2026-017',
      publishedOn: '2026-01-05',
      notifiedOn: '2026-02-01',
      endDate: '2029-12-31',
      upstreamFeeRateBp: 400,
    });
    if (contract.status !== 201) throw new Error(`contract not created: ${contract.status} ${JSON.stringify(contract.body)}`);
    contractId = contract.body.id;
  });
  afterAll(async () => {
    await w.close();
  });

  const get = <T = Record<string, unknown>>(url: string, token = w.tokens.op) => api<T>(w.t, 'GET', url, token);
  const confirm = (orderId: string, token = w.tokens.funder) =>
    api<OrderJson>(w.t, 'POST', `/v1/purchase-orders/${orderId}/confirm`, token);
  const invoicesOf = async (orderId: string, token = w.tokens.op) =>
    (await get<Page>(`/v1/invoices?orderId=${orderId}&limit=100`, token)).body.items;

  /** A draft confirmed, its booklets all written (so no worker writes linger into the next test). */
  async function confirmedOrder(over: object = {}): Promise<OrderJson> {
    const order = await draftOrder(w, over);
    const r = await confirm(order.id);
    if (r.status !== 200) throw new Error(`confirm failed: ${r.status} ${JSON.stringify(r.body)}`);
    await issued(w, order.id);
    return r.body;
  }

  /** Every invoice (not credit note) number of the year, by sequence. */
  async function invoiceSequence(): Promise<{ seq: number; number: string }[]> {
    return sql<{ seq: number; number: string }>(w.t, `SELECT seq, number FROM invoice WHERE kind = 'invoice' AND year = $1 ORDER BY seq`, [
      year,
    ]);
  }

  /** The sequence is 1..n with numbers FA-<year>-NNNNNN: no gap, no duplicate. */
  function expectGapFree(rows: { seq: number; number: string }[], prefix = 'FA'): void {
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.map((r) => r.number)).toEqual(rows.map((_, i) => `${prefix}-${year}-${String(i + 1).padStart(6, '0')}`));
  }

  const seqOf = (number: string) => Number(number.slice(-6));

  it('numbers FA-<year>-NNNNNN without gaps or duplicates under 16 concurrent confirmations', async () => {
    // Half the orders carry a fee, so they take two numbers each (ADR 9) inside the same transaction.
    const drafts = await Promise.all(
      Array.from({ length: 16 }, (_, i) => draftOrder(w, { bookletCount: 1, vouchersPerBooklet: 1, ...(i % 2 ? { contractId } : {}) })),
    );
    const confirmations = await Promise.all(drafts.map((d) => confirm(d.id)));
    expect(confirmations.map((c) => [c.status, c.body.status])).toEqual(Array(16).fill([200, 'confirmed']));

    const rows = await invoiceSequence();
    expect(rows).toHaveLength(8 + 8 * 2);
    expectGapFree(rows);
    for (const [i, d] of drafts.entries()) {
      const docs = await invoicesOf(d.id);
      expect(docs.map((doc) => doc.kind)).toEqual(Array(i % 2 ? 2 : 1).fill('invoice'));
      expect(docs.every((doc) => doc.number.startsWith(`FA-${year}-`) && doc.issuedOn.startsWith(String(year)))).toBe(true);
      expect(docs.reduce((sum, doc) => sum + doc.payableCents, 0)).toBe(confirmations[i].body.amountDueCents);
    }
    // The counter agrees with the documents: the next number continues the series.
    expect(await sql(w.t, `SELECT last_seq FROM invoice_counter WHERE kind = 'invoice' AND year = $1`, [year])).toEqual([
      { last_seq: rows.length },
    ]);
    await Promise.all(drafts.map((d) => issued(w, d.id)));
  });

  it.each([
    // [booklets, vouchers per booklet, face value]: the fee rounds up, rounds down, rounds to nothing.
    [7, 9, 1234],
    [1, 1, 1234],
    [3, 7, 1001],
    [1, 1, 12],
  ])(
    '%i booklets × %i vouchers × %i cents with a 4 %% fee: invoices agree with the order to the cent',
    async (booklets, perBooklet, faceValueCents) => {
      const order = await confirmedOrder({ bookletCount: booklets, vouchersPerBooklet: perBooklet, faceValueCents, contractId });
      const face = booklets * perBooklet * faceValueCents;
      const fee = halfUp(face * 400, 10_000);
      const vat = halfUp(fee * 2000, 10_000);
      expect(order).toMatchObject({ feeRateBp: 400, vatRateBp: 2000, totalFaceValueCents: face, amountDueCents: face + fee + vat });

      const docs = await invoicesOf(order.id, w.tokens.funder);
      const vouchers = docs.find((d) => d.vatCents === 0 && d.taxExclusiveCents === face);
      expect(vouchers).toMatchObject({ kind: 'invoice', taxExclusiveCents: face, vatCents: 0, payableCents: face });
      const detail = (await get<InvoiceDetail>(`/v1/invoices/${vouchers!.id}`, w.tokens.funder)).body;
      expect(detail.document.lines).toEqual([
        expect.objectContaining({ quantity: booklets * perBooklet, unitPriceCents: faceValueCents, netCents: face, vatCategory: 'O' }),
      ]);
      if (fee === 0) {
        expect(docs).toHaveLength(1);
      } else {
        expect(docs).toHaveLength(2);
        const feeInvoice = docs.find((d) => d !== vouchers)!;
        expect(feeInvoice).toMatchObject({ kind: 'invoice', taxExclusiveCents: fee, vatCents: vat, payableCents: fee + vat });
        const feeDetail = (await get<InvoiceDetail>(`/v1/invoices/${feeInvoice.id}`, w.tokens.funder)).body;
        expect(feeDetail.document.lines).toEqual([
          expect.objectContaining({ quantity: 1, unitPriceCents: fee, netCents: fee, vatCategory: 'S', vatRateBp: 2000 }),
        ]);
        expect(seqOf(feeInvoice.number)).toBe(seqOf(vouchers!.number) + 1);
      }
      expect(docs.reduce((sum, d) => sum + d.payableCents, 0)).toBe(order.amountDueCents);
    },
  );

  it('the UBL e-invoice carries the stored totals, to the cent', async () => {
    const order = await confirmedOrder({ bookletCount: 7, vouchersPerBooklet: 9, faceValueCents: 1234, contractId });
    const docs = await invoicesOf(order.id, w.tokens.funder);
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      const r = await get<string>(`/v1/invoices/${doc.id}/ubl`, w.tokens.funder);
      expect(r.status).toBe(200);
      expect(r.res.headers['content-type']).toMatch(/^application\/xml/);
      expect(r.res.headers['content-disposition']).toBe(`attachment; filename="${doc.number}.xml"`);
      expect(spawnSync('xmllint', ['--noout', '-'], { input: r.res.body }).status).toBe(0);

      const ubl = (xml.parse(r.res.body) as XmlNode).Invoice as XmlNode;
      expect(ubl['cbc:ID']).toBe(doc.number);
      expect(ubl['cac:OrderReference']['cbc:ID']).toBe(order.reference);
      expect(ubl['cac:ContractDocumentReference']['cbc:ID']).toBe('MP-2026-017');
      const totals = ubl['cac:LegalMonetaryTotal'] as XmlNode;
      expect({
        payable: xmlCents(totals['cbc:PayableAmount']),
        taxExclusive: xmlCents(totals['cbc:TaxExclusiveAmount']),
        taxInclusive: xmlCents(totals['cbc:TaxInclusiveAmount']),
        lineExtension: xmlCents(totals['cbc:LineExtensionAmount']),
        tax: xmlCents(ubl['cac:TaxTotal']['cbc:TaxAmount']),
        lines: (ubl['cac:InvoiceLine'] as XmlNode[]).reduce((sum, l) => sum + xmlCents(l['cbc:LineExtensionAmount']), 0),
      }).toEqual({
        payable: doc.payableCents,
        taxExclusive: doc.taxExclusiveCents,
        taxInclusive: doc.payableCents,
        lineExtension: doc.taxExclusiveCents,
        tax: doc.vatCents,
        lines: doc.taxExclusiveCents,
      });
    }
    const [payable, vat] = [docs.reduce((s, d) => s + d.payableCents, 0), docs.reduce((s, d) => s + d.vatCents, 0)];
    expect({ payable, vat }).toEqual({ payable: 81_474, vat: 622 });
  });

  it('the PDF is a real PDF naming the invoice and its amount due', async () => {
    const order = await confirmedOrder({ bookletCount: 7, vouchersPerBooklet: 9, faceValueCents: 1234, contractId });
    for (const doc of await invoicesOf(order.id, w.tokens.funder)) {
      const r = await w.t.inject({
        method: 'GET',
        url: `/v1/invoices/${doc.id}/pdf`,
        headers: { authorization: `Bearer ${w.tokens.funder}` },
      });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.headers['content-disposition']).toBe(`attachment; filename="${doc.number}.pdf"`);
      const pdf = r.rawPayload;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const parsed = await PDFDocument.load(pdf);
      expect(parsed.getPageCount()).toBeGreaterThanOrEqual(1);
      const text = pdfText(pdf);
      expect(text).toContain(doc.number);
      expect(text).toContain(order.reference);
      expect(text).toContain(euros(doc.payableCents));
    }
  });

  it('every download is audited (invoice.downloaded, with its format), a refused one is not', async () => {
    const order = await confirmedOrder();
    const [doc] = await invoicesOf(order.id);
    const { events } = await auditEventsDuring(w.t, async () => {
      expect((await get(`/v1/invoices/${doc.id}/pdf`, w.tokens.funder)).status).toBe(200);
      expect((await get(`/v1/invoices/${doc.id}/ubl`, w.tokens.op)).status).toBe(200);
    });
    expect(events.map((e) => [e.action, e.subject, e.facts, e.actor.organisationId])).toEqual([
      ['invoice.downloaded', { type: 'invoice', id: doc.id }, { orderId: order.id, format: 'pdf' }, w.funderId],
      ['invoice.downloaded', { type: 'invoice', id: doc.id }, { orderId: order.id, format: 'ubl' }, w.operatorId],
    ]);
    // Reading the invoice's JSON is not a download.
    const reads = await auditEventsDuring(w.t, () => get(`/v1/invoices/${doc.id}`, w.tokens.funder));
    expect(reads.result.status).toBe(200);
    expect(reads.events).toEqual([]);
  });

  it('another funder gets 404 on the invoice and its files and sees none of it in the list; a distributor gets 404', async () => {
    const order = await confirmedOrder({ contractId });
    const docs = await invoicesOf(order.id);
    expect(docs).toHaveLength(2);
    const before = await tableCounts(w.t, ['audit_event']);
    for (const doc of docs) {
      for (const suffix of ['', '/pdf', '/ubl']) {
        const r = await get(`/v1/invoices/${doc.id}${suffix}`, w.tokens.otherFunder);
        expect([r.status, r.res.headers['content-type'], r.body.code]).toEqual([
          404,
          expect.stringMatching(/^application\/problem\+json/),
          'NOT_FOUND',
        ]);
        expect((await get(`/v1/invoices/${doc.id}${suffix}`, w.tokens.distributor)).status).toBe(404);
      }
      // The funder's viewer reads its own invoices.
      expect((await get(`/v1/invoices/${doc.id}`, w.tokens.funderViewer)).status).toBe(200);
    }
    expect(await tableCounts(w.t, ['audit_event'])).toEqual(before);
    expect((await get<Page>('/v1/invoices?limit=100', w.tokens.otherFunder)).body.items).toEqual([]);
    expect((await get<Page>(`/v1/invoices?funderId=${w.funderId}`, w.tokens.otherFunder)).body.items).toEqual([]);
    expect((await get<Page>(`/v1/invoices?orderId=${order.id}`, w.tokens.otherFunder)).body.items).toEqual([]);
    expect((await get('/v1/invoices', w.tokens.distributor)).status).toBe(404);
    expect((await get(`/v1/invoices/${unknownId()}`)).status).toBe(404);
    expect((await get('/v1/invoices/not-an-id/pdf')).status).toBe(404);
  });

  it('filters by kind, order, year and (operator) funder', async () => {
    // A funder with documents of its own, so that the expected lists are exact.
    const second = await seedOrganisation(w.t, { kinds: ['funder'] });
    const forSecond = async () => {
      const o = await draftOrder(w, { funderId: second.id, bookletCount: 1, vouchersPerBooklet: 2 }, w.tokens.op);
      expect((await confirm(o.id, w.tokens.op)).status).toBe(200);
      await issued(w, o.id);
      return o.id;
    };
    const kept = await forSecond();
    const cancelled = await forSecond();
    expect((await api(w.t, 'POST', `/v1/purchase-orders/${cancelled}/cancel`, w.tokens.op, { reason: 'ORDERED_TWICE' })).status).toBe(200);

    const list = async (query: string, token = w.tokens.op) => {
      const r = await get<Page>(`/v1/invoices?${query}`, token);
      expect(r.status).toBe(200);
      return r.body.items;
    };
    const mine = await list(`funderId=${second.id}`);
    expect(mine.map((d) => [d.orderId, d.kind]).sort()).toEqual(
      [
        [kept, 'invoice'],
        [cancelled, 'invoice'],
        [cancelled, 'credit_note'],
      ].sort(),
    );
    const [credit] = await list(`funderId=${second.id}&kind=credit_note`);
    const [cancelledInvoice] = await list(`funderId=${second.id}&kind=invoice&orderId=${cancelled}`);
    expect(credit).toMatchObject({
      orderId: cancelled,
      creditedInvoiceId: cancelledInvoice.id,
      number: expect.stringMatching(new RegExp(`^AV-${year}-\\d{6}$`)),
      payableCents: cancelledInvoice.payableCents,
    });
    expect((await list(`orderId=${cancelled}`)).map((d) => d.kind).sort()).toEqual(['credit_note', 'invoice']);
    expect((await list(`orderId=${kept}&kind=credit_note`)).length).toBe(0);
    expect((await list(`funderId=${second.id}&year=${year}`)).length).toBe(3);
    expect(await list(`funderId=${second.id}&year=2001`)).toEqual([]);

    const credits = await list('kind=credit_note&limit=100');
    expect(credits.length).toBeGreaterThan(0);
    expect(credits.every((d) => d.kind === 'credit_note' && d.creditedInvoiceId !== null)).toBe(true);
    const invoices = await list('kind=invoice&limit=100', w.tokens.funder);
    expect(invoices.length).toBeGreaterThan(0);
    expect(invoices.every((d) => d.kind === 'invoice' && d.creditedInvoiceId === null && d.funderId === w.funderId)).toBe(true);

    for (const [query, field] of [
      ['kind=receipt', 'kind'],
      ['year=abc', 'year'],
      ['year=1999', 'year'],
      ['orderId=42', 'orderId'],
    ]) {
      const r = await get(`/v1/invoices?${query}`);
      expect([r.status, r.body.code, r.body.field]).toEqual([400, 'VALIDATION_FAILED', field]);
    }
  });

  it('pages with limit and cursor: every document once, as in the unpaged list', async () => {
    const all = (await get<Page>('/v1/invoices?limit=100')).body.items.map((d) => d.id);
    expect(all.length).toBeGreaterThan(6);
    const paged: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const query: string = `limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: Page = (await get<Page>(`/v1/invoices?${query}`)).body;
      expect(page.items.length).toBeLessThanOrEqual(4);
      paged.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(all);
  });

  it('a confirmation refused because the validity ended consumes no invoice number', async () => {
    const lastBefore = (await invoiceSequence()).at(-1)!.seq;
    const stale = await draftOrder(w);
    await sql(w.t, `UPDATE purchase_order SET validity_end_date = current_date - 3 WHERE id = $1`, [stale.id]);
    const refused = await confirm(stale.id);
    expect([refused.status, refused.body.code]).toEqual([400, 'VALIDITY_IN_PAST']);
    expect(await invoicesOf(stale.id)).toEqual([]);
    expect((await get<OrderJson>(`/v1/purchase-orders/${stale.id}`)).body.status).toBe('draft');

    const next = await confirmedOrder();
    const [doc] = await invoicesOf(next.id);
    expect(seqOf(doc.number)).toBe(lastBefore + 1);
    expectGapFree(await invoiceSequence());
  });

  it('a confirmation that fails after taking its numbers rolls them back: the next confirmation continues the series', async () => {
    const lastBefore = (await invoiceSequence()).at(-1)!.seq;
    const order = await draftOrder(w, { contractId });
    // Make the second invoice of this order (the fee, with VAT) fail to insert: the vouchers invoice has taken a number by then.
    await sql(
      w.t,
      `CREATE FUNCTION test_refuse_fee_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.order_id = '${order.id}' AND NEW.vat_cents > 0 THEN RAISE EXCEPTION 'test: fee invoice refused'; END IF;
         RETURN NEW;
       END $$`,
    );
    await sql(
      w.t,
      `CREATE TRIGGER test_refuse_fee_invoice BEFORE INSERT ON invoice FOR EACH ROW EXECUTE FUNCTION test_refuse_fee_invoice()`,
    );
    try {
      const before = await tableCounts(w.t, ['invoice', 'order_issuance', 'audit_event', 'booklet']);
      const failed = await confirm(order.id);
      expect([failed.status, failed.body.code]).toEqual([500, 'INTERNAL']);
      expect(await tableCounts(w.t, ['invoice', 'order_issuance', 'audit_event', 'booklet'])).toEqual(before);
      expect(await sql(w.t, `SELECT last_seq FROM invoice_counter WHERE kind = 'invoice' AND year = $1`, [year])).toEqual([
        { last_seq: lastBefore },
      ]);
      expect((await get<OrderJson>(`/v1/purchase-orders/${order.id}`)).body).toMatchObject({ status: 'draft', issuance: null });
    } finally {
      await sql(w.t, `DROP TRIGGER test_refuse_fee_invoice ON invoice`);
      await sql(w.t, `DROP FUNCTION test_refuse_fee_invoice()`);
    }

    const retried = await confirm(order.id);
    expect(retried.status).toBe(200);
    await issued(w, order.id);
    const numbers = (await invoicesOf(order.id)).map((d) => seqOf(d.number)).sort((a, b) => a - b);
    expect(numbers).toEqual([lastBefore + 1, lastBefore + 2]);
    expectGapFree(await invoiceSequence());
  });
});
