import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AuditSealer } from '@sillage/audit';
import { addDays, parisDate } from '@sillage/common';
import { OrderEvidenceBundle, OrderFigures, ReportConsumer, verifyOrderEvidence } from '@sillage/reporting';
import { SettlementExpireJob } from '@sillage/settlement';
import { sql } from '@sillage/testing';
import { api, createOrderWorld, draftOrder, OrderWorld, payInFull } from './order-support';

const run = promisify(execFile);

/**
 * Order-level figures and their evidence (issue 8), hand-computed. The funder's orders (T = today):
 * H historical, 20 × 10 × 10.00 € = 2,000.00 €, paid T − 100; E, 2 × 3 × 12.50 € = 75.00 €, paid
 * T − 20 and expired today (credit note 75.00 €); P, 1 × 4 × 10.00 € = 40.00 €, paid today; the other
 * funder's order O, paid today, is never in the funder's figures.
 */
describe('reports: order figures and evidence bundles a funder verifies offline', () => {
  let w: OrderWorld;
  const T = parisDate(new Date());
  const ids: Record<'H' | 'E' | 'P' | 'O', string> = { H: '', E: '', P: '', O: '' };
  let dir: string;

  beforeAll(async () => {
    w = await createOrderWorld();
    dir = await mkdtemp(join(tmpdir(), 'sillage-evidence-'));
    ids.H = (
      await draftOrder(w, {
        historical: true,
        bookletCount: 20,
        vouchersPerBooklet: 10,
        faceValueCents: 1000,
        orderedOn: addDays(T, -120),
        paidOn: addDays(T, -100),
        validityEndDate: addDays(T, -30),
      })
    ).id;
    ids.E = (await draftOrder(w, { bookletCount: 2, vouchersPerBooklet: 3, faceValueCents: 1250, orderedOn: addDays(T, -25) })).id;
    await payInFull(w, ids.E, addDays(T, -20));
    await sql(w.t, `UPDATE purchase_order SET validity_end_date = $2, tolerance_days = 0 WHERE id = $1`, [ids.E, addDays(T, -9)]);
    await w.t.app.get(SettlementExpireJob).handle({ day: T });
    ids.P = (await draftOrder(w, { bookletCount: 1, vouchersPerBooklet: 4, faceValueCents: 1000 })).id;
    await payInFull(w, ids.P, T);
    ids.O = (await draftOrder(w, { bookletCount: 1, vouchersPerBooklet: 4, faceValueCents: 1000 }, w.tokens.otherFunder)).id;
    await payInFull(w, ids.O, T, w.tokens.otherFunder);
    await w.t.app.get(AuditSealer).sealPending();
    await w.t.app.get(ReportConsumer).consume();
  }, 240_000);
  afterAll(async () => {
    await w?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const figuresOf = (asOf: string, token = w.tokens.funder, extra = '') =>
    api<{ funderId: string; asOf: string; checkpoint: { treeSize: number }; orders: OrderFigures[] }>(
      w.t,
      'GET',
      `/v1/reports/orders?asOf=${asOf}${extra}`,
      token,
    );
  const evidence = async (asOf: string) => {
    const r = await api<OrderEvidenceBundle>(w.t, 'GET', `/v1/reports/orders/evidence?asOf=${asOf}`, w.tokens.funderViewer);
    expect(r.status).toBe(200);
    return r.body;
  };

  it('gives the funder its own orders as of a date: paid, credited and executed, hand-computed', async () => {
    const today = await figuresOf(T);
    expect(today.status).toBe(200);
    const byId = Object.fromEntries(today.body.orders.map((o) => [o.orderId, o]));
    expect(Object.keys(byId).sort()).toEqual([ids.H, ids.E, ids.P].sort());
    expect(byId[ids.H]).toEqual({
      orderId: ids.H,
      grantId: null,
      historical: true,
      faceValueCents: 200_000,
      paidOn: addDays(T, -100),
      creditedCents: 0,
      executedCents: 200_000,
    });
    expect(byId[ids.E]).toMatchObject({ faceValueCents: 7_500, paidOn: addDays(T, -20), creditedCents: 7_500, executedCents: 0 });
    expect(byId[ids.P]).toMatchObject({ faceValueCents: 4_000, paidOn: T, creditedCents: 0, executedCents: 4_000 });
    // Yesterday: P not paid yet, E's credit note not issued yet.
    const yesterday = Object.fromEntries((await figuresOf(addDays(T, -1))).body.orders.map((o) => [o.orderId, o]));
    expect(yesterday[ids.P]).toMatchObject({ paidOn: null, executedCents: 0 });
    expect(yesterday[ids.E]).toMatchObject({ creditedCents: 0, executedCents: 7_500 });

    // The operator names the funder; a funder cannot ask for another's.
    const op = await figuresOf(T, w.tokens.op, `&funderId=${w.otherFunderId}`);
    expect(op.body.orders.map((o) => o.orderId)).toEqual([ids.O]);
    const missing = await figuresOf(T, w.tokens.op);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('funderId');
    expect((await figuresOf(T, w.tokens.funder, `&funderId=${w.otherFunderId}`)).status).toBe(404);
    expect((await figuresOf(T, w.tokens.distributor)).status).toBe(404); // other kinds of organisation: 404
    expect((await figuresOf('2026-13-01')).status).toBe(400);
  });

  it('an honest bundle verifies and recomputes the report exactly, offline and with npm run audit:verify-bundle', async () => {
    const bundle = await evidence(T);
    expect(bundle.figures).toEqual((await figuresOf(T)).body.orders);
    expect(bundle.checkpoint.treeSize).toBe((await figuresOf(T)).body.checkpoint.treeSize);
    const actions = bundle.events.map((e) => JSON.parse(Buffer.from(e.canonical, 'base64').toString()).action as string).sort();
    expect(actions).toEqual([
      'order.created',
      'order.created',
      'order.created',
      'order.paid',
      'order.paid',
      'settlement.credit_note_issued',
    ]);
    expect(verifyOrderEvidence(bundle)).toEqual({ ok: true, problems: [], orders: 3 });

    const file = join(dir, 'honest.json');
    await writeFile(file, JSON.stringify(bundle));
    const { stdout } = await run('node', ['dist/scripts/audit-verify-bundle.js', file]);
    expect(stdout).toMatch(
      /^OK: 6 events included in checkpoint \d+ .*; the figures of 3 orders as of \d{4}-\d{2}-\d{2} recomputed from them/,
    );
  });

  it('a bundle with one event removed or altered, or figures changed, fails verification naming what is wrong', async () => {
    const bundle = await evidence(T);
    const actionOf = (e: OrderEvidenceBundle['events'][number]) =>
      JSON.parse(Buffer.from(e.canonical, 'base64').toString()).action as string;

    const withoutCreditNote = { ...bundle, events: bundle.events.filter((e) => actionOf(e) !== 'settlement.credit_note_issued') };
    const removed = verifyOrderEvidence(withoutCreditNote);
    expect(removed.ok).toBe(false);
    expect(removed.problems).toEqual([
      `order ${ids.E}: creditedCents is 7500 in the report but 0 recomputed from the events`,
      `order ${ids.E}: executedCents is 0 in the report but 7500 recomputed from the events`,
    ]);

    const altered = structuredClone(bundle);
    const paid = altered.events.find((e) => actionOf(e) === 'order.paid')!;
    paid.canonical = Buffer.from(
      Buffer.from(paid.canonical, 'base64')
        .toString()
        .replace(/"paidOn":"(\d{4})/, '"paidOn":"1999'),
    ).toString('base64');
    const alteredResult = verifyOrderEvidence(altered);
    expect(alteredResult.ok).toBe(false);
    expect(alteredResult.problems.join('\n')).toContain(
      `event ${paid.eventId} (leaf ${paid.leafIndex}): inclusion proof does not lead to the checkpoint root`,
    );

    const inflated = structuredClone(bundle);
    inflated.figures.find((f) => f.orderId === ids.P)!.executedCents = 4_001;
    expect(verifyOrderEvidence(inflated).problems).toEqual([
      `order ${ids.P}: executedCents is 4001 in the report but 4000 recomputed from the events`,
    ]);

    const file = join(dir, 'tampered.json');
    await writeFile(file, JSON.stringify(withoutCreditNote));
    const failed = await run('node', ['dist/scripts/audit-verify-bundle.js', file]).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`order ${ids.E}: creditedCents is 7500 in the report but 0 recomputed from the events`);
  });
});
