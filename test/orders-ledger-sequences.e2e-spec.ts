import { parisDate } from '@sillage/common';
import { seededRandom } from '@sillage/testing';
import { api, createOrderWorld, draftOrder, futureDate, issued, OrderJson, OrderWorld } from './order-support';

jest.setTimeout(180_000);

interface CheckJson {
  ok: boolean;
  checks: { name: string; ok: boolean; problems: string[] }[];
}

/**
 * `ledger:check` (per paid order: activated value = outstanding + redeemed + expired + replaced,
 * Σ debits = Σ credits, flags…) passes after any sequence of order operations: random sequences of
 * payments (partial, full, replayed, excessive), cancellations, validity extensions, blocking,
 * unblocking and replacement of booklets and vouchers, each checked after every step.
 */
describe('ledger check after random sequences of order operations', () => {
  let w: OrderWorld;
  beforeAll(async () => {
    w = await createOrderWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  const today = () => parisDate(new Date());

  for (const seed of [7, 1234, 99991]) {
    it(`seed ${seed}`, async () => {
      const rnd = seededRandom(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
      const orders: OrderJson[] = [];
      for (let i = 0; i < 3; i++) {
        const o = await draftOrder(w, { bookletCount: 2 + Math.floor(rnd() * 3), vouchersPerBooklet: 1 + Math.floor(rnd() * 4) });
        await api(w.t, 'POST', `/v1/purchase-orders/${o.id}/confirm`, w.tokens.funder);
        await issued(w, o.id);
        orders.push(o);
      }
      const steps: string[] = [];
      for (let step = 0; step < 30; step++) {
        const order = pick(orders);
        const current = (await api<OrderJson>(w.t, 'GET', `/v1/purchase-orders/${order.id}`, w.tokens.op)).body;
        const booklets = (
          await api<{ items: { id: string; serial: string; voucherCount: number }[] }>(
            w.t,
            'GET',
            `/v1/purchase-orders/${order.id}/booklets`,
            w.tokens.op,
          )
        ).body.items;
        const booklet = pick(booklets);
        const due = (current.amountDueCents ?? 0) - current.paidCents;
        const op = pick([
          'pay-part',
          'pay-rest',
          'pay-too-much',
          'replay',
          'cancel',
          'extend',
          'block',
          'block-voucher',
          'unblock',
          'replace',
        ] as const);
        let status = 0;
        switch (op) {
          case 'pay-part':
          case 'pay-rest':
          case 'pay-too-much': {
            const amount = op === 'pay-rest' ? due : op === 'pay-too-much' ? due + 1 : Math.max(1, Math.floor(due / 3));
            status = (
              await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/payments`, w.tokens.opFinance, {
                reference: `R-${seed}-${step}`,
                paidOn: today(),
                amountCents: Math.max(1, amount),
              })
            ).status;
            break;
          }
          case 'replay':
            status = (
              await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/payments`, w.tokens.opFinance, {
                reference: `R-${seed}-${step - 1}`,
                paidOn: today(),
                amountCents: Math.max(1, Math.floor(due / 3)),
              })
            ).status;
            break;
          case 'cancel':
            status = (await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/cancel`, w.tokens.funder, {})).status;
            break;
          case 'extend':
            status = (
              await api(w.t, 'POST', `/v1/purchase-orders/${order.id}/extend-validity`, w.tokens.op, {
                newEndDate: futureDate(300 + step),
                reason: 'prolongation',
              })
            ).status;
            break;
          case 'block':
            status = (await api(w.t, 'POST', `/v1/booklets/${booklet.id}/block`, w.tokens.funder, { reasonCode: 'lost' })).status;
            break;
          case 'block-voucher':
            status = (await api(w.t, 'POST', `/v1/vouchers/${booklet.serial}-01/block`, w.tokens.funder, { reasonCode: 'stolen' })).status;
            break;
          case 'unblock':
            status = (await api(w.t, 'POST', `/v1/booklets/${booklet.id}/unblock`, w.tokens.op)).status;
            break;
          case 'replace':
            status = (await api(w.t, 'POST', `/v1/booklets/${booklet.id}/replace`, w.tokens.op)).status;
            break;
        }
        steps.push(`${op}:${status}`);
        // every operation either succeeds or is refused cleanly, never a server error
        expect([200, 201, 400, 404, 409]).toContain(status);
        const check = await api<CheckJson>(w.t, 'GET', '/v1/ledger/check', w.tokens.op);
        if (!check.body.ok)
          throw new Error(`ledger check failed after ${steps.join(' ')}: ${JSON.stringify(check.body.checks.filter((c) => !c.ok))}`);
      }
      // the sequences exercised both successes and refusals
      expect(steps.some((s) => s.endsWith(':200'))).toBe(true);
      expect(steps.some((s) => s.endsWith(':409') || s.endsWith(':400'))).toBe(true);
    });
  }
});
