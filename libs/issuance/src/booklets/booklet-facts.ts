import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sillage/db';

/** What never changes about a booklet once issued. */
export interface BookletFacts {
  id: string;
  orderId: string;
  funderId: string;
  faceValueCents: number;
}

const CACHE_MAX = 200_000;
/** Booklets loaded per miss: an agent hands out, and a site scans, booklets of one order in sequence. */
const FILL = 500;

/**
 * A booklet's id, order, funder and face value by serial, cached in the process: the hot paths
 * (hand-over, redemption by QR token) then need no read before their one write. Only immutable facts
 * are cached; every condition that can change is checked by the write itself.
 */
@Injectable()
export class BookletFactsCache {
  private readonly facts = new Map<string, BookletFacts>();

  constructor(private readonly tx: TransactionRunner) {}

  async get(serial: string): Promise<BookletFacts | undefined> {
    const cached = this.facts.get(serial);
    if (cached) return cached;
    const rows = await this.tx.pool.query<{ serial: string; id: string; orderId: string; funderId: string; face: string }>({
      name: 'booklet-facts-v1',
      text: `SELECT b.serial, b.id, b.order_id AS "orderId", o.funder_id AS "funderId", o.face_value_cents AS face
             FROM booklet s JOIN booklet b ON b.order_id = s.order_id AND b.number >= s.number AND b.number < s.number + ${FILL}
             JOIN purchase_order o ON o.id = b.order_id WHERE s.serial = $1`,
      values: [serial],
    });
    if (this.facts.size + rows.rows.length > CACHE_MAX) this.facts.clear();
    for (const r of rows.rows)
      this.facts.set(r.serial, { id: r.id, orderId: r.orderId, funderId: r.funderId, faceValueCents: Number(r.face) });
    return this.facts.get(serial);
  }
}
