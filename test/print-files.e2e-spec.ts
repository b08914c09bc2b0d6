import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { codeLookupHash, parseHumanCode, signVoucherToken, verifyVoucherToken, VoucherJwk } from '@sillage/issuance';
import { sql } from '@sillage/testing';
import { chequeQrBox, CHEQUES_PER_PAGE, COVER_QR_BOX, expectedPageCount } from '../libs/issuance/src/print';
import { rasterise, scan } from '../libs/issuance/src/print/print-test-fixtures';
import { eventually } from './queue-support';
import { api, createOrderWorld, draftOrder, futureDate, OrderWorld, paidOrder } from './order-support';

jest.setTimeout(90_000);

interface PrintFileJson {
  id: string;
  format: string;
  part: number;
  parts: number;
  status: string;
  vouchersDone: number;
  vouchersTotal: number;
  progress: number;
  sha256: string | null;
  downloadUrl: string | null;
}

/** Print files rendered by the worker: PDF pages whose QR codes scan back to valid tokens, and a CSV. */
describe('print files', () => {
  let w: OrderWorld;
  beforeAll(async () => {
    w = await createOrderWorld({ PRINT_PART_BOOKLETS: '2', PUBLIC_BASE_URL: 'https://sillage.example' });
  });
  afterAll(async () => {
    await w.close();
  });

  const ready = (orderId: string, format: string) =>
    eventually(
      async () => {
        const r = await api<{ items: PrintFileJson[] }>(w.t, 'GET', `/v1/purchase-orders/${orderId}/print-files`, w.tokens.funder);
        const files = r.body.items.filter((f) => f.format === format);
        return files.length > 0 && files.every((f) => f.status === 'ready') ? files.sort((a, b) => a.part - b.part) : undefined;
      },
      `${format} print files of ${orderId}`,
      60_000,
    );

  const download = async (file: PrintFileJson, token = w.tokens.funder) => {
    const res = await w.t.inject({ method: 'GET', url: file.downloadUrl!, headers: { authorization: `Bearer ${token}` } });
    return res;
  };

  it('renders the PDF in parts; pages parse, QR codes decode to tokens that verify with the published keys', async () => {
    const order = await paidOrder(w, { bookletCount: 3, vouchersPerBooklet: 4, faceValueCents: 1250 });
    const requested = await api<{ items: PrintFileJson[] }>(w.t, 'POST', `/v1/purchase-orders/${order.id}/print-files`, w.tokens.funder, {
      format: 'pdf',
    });
    expect(requested.status).toBe(201);
    expect(requested.body.items.map((f) => [f.part, f.parts, f.vouchersTotal])).toEqual([
      [1, 2, 8],
      [2, 2, 4],
    ]);
    const files = await ready(order.id, 'pdf');
    expect(files.map((f) => f.progress)).toEqual([1, 1]);

    const jwks = await api<{ keys: VoucherJwk[] }>(w.t, 'GET', '/v1/issuance/keys', w.tokens.funder);
    const keys = Object.fromEntries(jwks.body.keys.map((k) => [k.kid, createPublicKey({ key: k, format: 'jwk' })]));
    const tokens: string[] = [];
    for (const [i, file] of files.entries()) {
      const res = await download(file);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const pdf = res.rawPayload;
      const bookletsInPart = i === 0 ? [4, 4] : [4];
      expect((await PDFDocument.load(pdf)).getPageCount()).toBe(expectedPageCount(bookletsInPart));
      const pages = rasterise(pdf);
      let page = 0;
      for (const count of bookletsInPart) {
        expect(scan(pages[page], COVER_QR_BOX)).toMatch(/^https:\/\/sillage\.example\/p#[A-Za-z0-9_-]{43}$/);
        for (let v = 0; v < count; v++) {
          const token = scan(pages[page + 1 + Math.floor(v / CHEQUES_PER_PAGE)], chequeQrBox(v % CHEQUES_PER_PAGE));
          expect(token).toBeDefined();
          tokens.push(token!);
        }
        page += 1 + Math.ceil(count / CHEQUES_PER_PAGE);
      }
    }
    expect(tokens).toHaveLength(12);
    const serials = tokens.map((t) => {
      const result = verifyVoucherToken(t, keys);
      expect(result.ok).toBe(true);
      return result.ok ? result.claims : undefined;
    });
    expect(new Set(serials.map((c) => c!.s)).size).toBe(12);
    expect(serials.every((c) => c!.v === 1250)).toBe(true);

    // an altered byte, or another key, is refused
    const altered = tokens[0].slice(0, -5) + (tokens[0].at(-5) === 'A' ? 'B' : 'A') + tokens[0].slice(-4);
    expect(verifyVoucherToken(altered, keys).ok).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = signVoucherToken({ kid: jwks.body.keys[0].kid, privateKey: other.privateKey }, serials[0]!);
    expect(verifyVoucherToken(forged, keys)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });

    // extending the validity changes nothing for printed tokens: no expiry claim, still accepted
    const ext = await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/extend-validity`, w.tokens.funder, {
      newEndDate: futureDate(400),
      reason: 'prolongation du dispositif',
    });
    expect(ext.status).toBe(200);
    expect(verifyVoucherToken(tokens[0], keys, new Date(Date.now() + 5 * 365 * 86_400_000)).ok).toBe(true);

    const downloads = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM audit_event WHERE action = 'print_file.downloaded'`);
    expect(downloads[0].n).toBe(2);
  });

  it('writes the CSV for external printers: one row per voucher whose code matches its stored lookup hash', async () => {
    const order = await paidOrder(w, { bookletCount: 2, vouchersPerBooklet: 3 });
    await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/print-files`, w.tokens.op, { format: 'csv' });
    const [file] = await ready(order.id, 'csv');
    const res = await download(file, w.tokens.op);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('booklet_serial,voucher_serial,human_code,qr_payload,pass_page_link');
    expect(lines).toHaveLength(7);
    const lookupKey = Buffer.from(w.t.config.issuance.lookupKey!);
    for (const line of lines.slice(1)) {
      const [bookletSerial, voucherSerial, code, , link] = line.split(',');
      expect(voucherSerial.startsWith(`${bookletSerial}-`)).toBe(true);
      expect(parseHumanCode(code)).toBe(code);
      expect(link).toMatch(/#[A-Za-z0-9_-]{43}$/);
      const stored = await sql<{ n: number }>(
        w.t,
        `SELECT count(*)::int AS n FROM voucher v JOIN booklet b ON b.id = v.booklet_id WHERE b.serial = $1 AND v.code_hash = $2`,
        [bookletSerial, codeLookupHash(lookupKey, code)],
      );
      expect(stored[0].n).toBe(1);
    }
    // the tables alone hold no code in clear
    const dump = await sql<{ t: string }>(
      w.t,
      `SELECT string_agg(encode(code_hash, 'escape') || encode(code_encrypted, 'escape'), '') AS t FROM voucher`,
    );
    for (const line of lines.slice(1)) expect(dump[0].t).not.toContain(line.split(',')[2]);
  });

  it('refuses before issuance, hides other funders’ files, and answers 409 for a part not ready', async () => {
    const draft = await draftOrder(w);
    const early = await api<{ code: string }>(w.t, 'POST', `/v1/purchase-orders/${draft.id}/print-files`, w.tokens.funder, {
      format: 'pdf',
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('ISSUANCE_IN_PROGRESS');
    const bad = await api(w.t, 'POST', `/v1/purchase-orders/${draft.id}/print-files`, w.tokens.funder, { format: 'docx' });
    expect(bad.status).toBe(400);
    const order = await paidOrder(w, { bookletCount: 1, vouchersPerBooklet: 2 });
    expect((await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/print-files`, w.tokens.otherFunder, { format: 'pdf' })).status).toBe(
      404,
    );
    expect((await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/print-files`, w.tokens.funderViewer, { format: 'pdf' })).status).toBe(
      403,
    );
    // a part still rendering (written directly, so no race with the worker) answers 409 with its progress
    const [{ id }] = await sql<{ id: string }>(
      w.t,
      `INSERT INTO print_file (order_id, format, part, parts, booklet_from, booklet_to, status, vouchers_done, vouchers_total)
       VALUES ($1, 'pdf', 1, 1, 1, 1, 'rendering', 1, 2) RETURNING id`,
      [order.id],
    );
    const notReady = await w.t.inject({
      method: 'GET',
      url: `/v1/print-files/${id}/download`,
      headers: { authorization: `Bearer ${w.tokens.funder}` },
    });
    expect(notReady.statusCode).toBe(409);
    expect(notReady.json()).toMatchObject({ code: 'PRINT_FILE_NOT_READY', printFileStatus: 'rendering', status: 409 });
    // a ready part whose file is gone from disk is a 409 too, never a 500
    await sql(w.t, `UPDATE print_file SET status = 'ready', path = 'gone/nowhere.pdf', size_bytes = 1 WHERE id = $1`, [id]);
    const gone = await w.t.inject({
      method: 'GET',
      url: `/v1/print-files/${id}/download`,
      headers: { authorization: `Bearer ${w.tokens.funder}` },
    });
    expect(gone.statusCode).toBe(409);
    expect(gone.json()).toMatchObject({ code: 'PRINT_FILE_NOT_READY', printFileStatus: 'missing' });
    expect(
      (
        await w.t.inject({
          method: 'GET',
          url: `/v1/print-files/${id}/download`,
          headers: { authorization: `Bearer ${w.tokens.otherFunder}` },
        })
      ).statusCode,
    ).toBe(404);
  });
});
