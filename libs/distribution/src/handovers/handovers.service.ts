import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sillage/audit';
import { DEFAULT_PAGE_SIZE, Page, parisDate, toPage } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, cursorKeySql, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { VaultService } from '@sillage/privacy';
import { DistributionError } from '../distribution.errors';
import { CreateHandoverDto, HandoverDto, ListHandoversQueryDto, ReturnHandoverDto } from './dto/handover.dto';

interface BookletForHandover {
  id: string;
  serial: string;
  orderId: string;
  funderId: string;
  state: string;
  holderDistributorId: string | null;
  blockedAt: Date | null;
  allocatedOn: string;
  distributionEndsOn: string;
}

interface HandoverRow {
  id: string;
  bookletId: string;
  bookletSerial: string;
  orderId: string;
  funderId: string;
  distributorId: string;
  handedOn: string;
  profileId: string;
  withContact: boolean;
  returnedAt: Date | null;
  returnReason: string | null;
  createdAt: Date;
  cursorKey: string;
}

/**
 * Hand-over of a booklet to a beneficiary by a distributor's agent: a booklet state (one UPDATE of
 * the booklet row, no per-voucher write), a reporting profile without identity, and contact details
 * only with recorded consent, sealed in the vault. The audit event names the booklet, never the person.
 */
@Injectable()
export class HandoversService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly vault: VaultService,
  ) {}

  async create(principal: Principal, input: CreateHandoverDto, requestId?: string): Promise<HandoverDto> {
    const hasContact = input.contact !== undefined && Object.values(input.contact).some((v) => v !== undefined && v !== '');
    if (hasContact && !input.consent) {
      throw new DistributionError(
        'CONSENT_REQUIRED',
        'contact details are recorded only with the person’s consent: give consent (purpose, date, text version)',
        {
          field: 'consent',
        },
      );
    }
    const today = parisDate(new Date());
    const handedOn = input.handedOn ?? today;
    if (handedOn > today) throw new DistributionError('HANDOVER_DATE_INVALID', 'handedOn must not be in the future', { field: 'handedOn' });
    const category = input.profile.publicCategoryCode ?? null;
    return this.tx.run(async (tx) => {
      // Happy path in one statement: the booklet moves only if every condition holds; otherwise the
      // refusal is diagnosed (and nothing was written).
      const moved: { id: string; serial: string; orderId: string; funderId: string }[] = await tx.query(
        // (a CTE: TypeORM returns [rows, count] for a bare UPDATE)
        `WITH moved AS (UPDATE booklet b SET state = 'DISTRIBUTED', distributed_at = now()
         FROM purchase_order o
         WHERE b.serial = $1 AND o.id = b.order_id AND b.state = 'ALLOCATED' AND b.holder_distributor_id = $2 AND b.blocked_at IS NULL
           AND o.validity_end_date - o.stop_distribution_days >= $3::date
           AND (b.allocated_at AT TIME ZONE 'Europe/Paris')::date <= $3::date
           AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM public_category c WHERE c.funder_id = o.funder_id AND c.code = $4 AND c.active))
         RETURNING b.id, b.serial, b.order_id AS "orderId", o.funder_id AS "funderId")
         SELECT * FROM moved`,
        [input.bookletSerial, principal.organisationId, handedOn, category],
      );
      const b = moved[0];
      if (!b) throw await this.refusal(tx, principal, input.bookletSerial, handedOn, category);
      const c = input.contact;
      const pseudonym = await this.vault.newPersonWith(
        tx,
        hasContact
          ? {
              field: 'contact',
              record: { name: c!.name ?? null, email: c!.email ?? null, phone: c!.phone ?? null },
              consent: input.consent!,
            }
          : undefined,
      );
      const inserted: { id: string; profileId: string; createdAt: Date }[] = await tx.query(
        `WITH profile AS (
           INSERT INTO beneficiary_profile (funder_id, distributor_id, age_band, commune_code, public_category_code, person_pseudonym)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
         INSERT INTO handover (booklet_id, order_id, distributor_id, agent_id, handed_on, profile_id)
         SELECT $7, $8, $2, $9, $10, profile.id FROM profile
         RETURNING id, profile_id AS "profileId", created_at AS "createdAt"`,
        [
          b.funderId,
          principal.organisationId,
          input.profile.ageBand,
          input.profile.communeCode,
          category,
          pseudonym,
          b.id,
          b.orderId,
          principal.id,
          handedOn,
        ],
      );
      const h = inserted[0];
      await this.audit.append(tx, {
        action: 'booklet.handed_over',
        actor: actorOf(principal),
        subject: { type: 'booklet', id: b.id },
        facts: { orderId: b.orderId, funderId: b.funderId, distributorId: principal.organisationId, handoverId: h.id, handedOn },
        requestId,
      });
      return {
        id: h.id,
        bookletId: b.id,
        bookletSerial: b.serial,
        orderId: b.orderId,
        distributorId: principal.organisationId,
        handedOn,
        beneficiaryId: h.profileId,
        withContact: hasContact,
        returnedAt: null,
        returnReason: null,
        createdAt: h.createdAt.toISOString(),
      };
    });
  }

  /** Why a hand-over cannot happen, checked in the order a user would want to hear it. */
  private async refusal(
    tx: Tx,
    principal: Principal,
    serial: string,
    handedOn: string,
    category: string | null,
  ): Promise<DistributionError> {
    const b = await this.lockBooklet(tx, serial);
    if (!b || b.holderDistributorId !== principal.organisationId) {
      return new DistributionError('BOOKLET_NOT_IN_STOCK', 'this booklet is not in your stock', { field: 'bookletSerial' });
    }
    if (b.state === 'DISTRIBUTED') {
      return new DistributionError(
        'ALREADY_HANDED_OVER',
        'this booklet was already handed over: record a return first if that was a mistake',
        {
          field: 'bookletSerial',
        },
      );
    }
    if (b.blockedAt) return new DistributionError('BOOKLET_NOT_IN_STOCK', 'this booklet is blocked', { field: 'bookletSerial' });
    if (handedOn < b.allocatedOn) {
      return new DistributionError(
        'HANDOVER_DATE_INVALID',
        `handedOn must not precede the day the booklet reached your stock (${b.allocatedOn})`,
        {
          field: 'handedOn',
        },
      );
    }
    if (handedOn > b.distributionEndsOn) {
      return new DistributionError('DISTRIBUTION_STOPPED', `distribution of this order stopped after ${b.distributionEndsOn}`, {
        field: 'handedOn',
        meta: { distributionEndedOn: b.distributionEndsOn },
      });
    }
    if (category !== null) {
      return new DistributionError('CATEGORY_UNKNOWN', 'publicCategoryCode is not one of the funder’s public categories', {
        field: 'profile.publicCategoryCode',
      });
    }
    return new DistributionError('BOOKLET_NOT_IN_STOCK', 'this booklet cannot be handed over now', { field: 'bookletSerial' });
  }

  /** Undoes a hand-over recorded in error or not collected: the booklet is back in stock. Refused once a voucher was used. */
  async return(principal: Principal, id: string, input: ReturnHandoverDto, requestId?: string): Promise<HandoverDto> {
    return this.tx.run(async (tx) => {
      const h = await this.find(tx, id);
      if (!h || !(isOperator(principal) || h.distributorId === principal.organisationId))
        throw new DistributionError('NOT_FOUND', 'hand-over not found');
      await tx.query(`SELECT 1 FROM booklet WHERE id = $1 FOR UPDATE`, [h.bookletId]);
      if (h.returnedAt) throw new DistributionError('HANDOVER_NOT_RETURNABLE', 'this hand-over was already returned');
      const used: { n: number }[] = await tx.query(
        `SELECT count(*)::int AS n FROM voucher WHERE booklet_id = $1 AND status NOT IN ('ISSUED', 'ACTIVE', 'BLOCKED', 'VOID')`,
        [h.bookletId],
      );
      if (used[0].n > 0) {
        throw new DistributionError(
          'HANDOVER_NOT_RETURNABLE',
          `${used[0].n} vouchers of this booklet were already used: it cannot come back to stock`,
        );
      }
      await tx.query(`UPDATE handover SET returned_at = now(), return_reason = $2 WHERE id = $1`, [id, input.reasonCode]);
      await tx.query(`UPDATE booklet SET state = 'ALLOCATED', distributed_at = NULL WHERE id = $1`, [h.bookletId]);
      await this.audit.append(tx, {
        action: 'booklet.handover_returned',
        actor: actorOf(principal),
        subject: { type: 'booklet', id: h.bookletId },
        reason: input.reasonCode,
        facts: { orderId: h.orderId, distributorId: h.distributorId, handoverId: id },
        requestId,
      });
      return toDto((await this.find(tx, id))!, true);
    });
  }

  /** A distributor's hand-overs (with its beneficiary ids); a funder's orders' hand-overs (without them); the operator's all. */
  async list(principal: Principal, q: ListHandoversQueryDto): Promise<Page<HandoverDto>> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    const distributor = principal.organisationKinds.includes('distributor') && !isOperator(principal);
    if (distributor) where.push(`h.distributor_id = ${p(principal.organisationId)}`);
    else if (!isOperator(principal)) where.push(`o.funder_id = ${p(principal.organisationId)}`);
    if (q.orderId) where.push(`h.order_id = ${p(q.orderId.toLowerCase())}`);
    const after = decodeTimeCursor(q.cursor);
    if (after) where.push(`(h.created_at, h.id) > (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows: HandoverRow[] = await this.tx.manager.query(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY h.created_at, h.id LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map((r) => toDto(r, distributor)), nextCursor: page.nextCursor };
  }

  private async lockBooklet(tx: Tx, serial: string): Promise<BookletForHandover | undefined> {
    const rows: BookletForHandover[] = await tx.query(
      `SELECT b.id, b.serial, b.order_id AS "orderId", o.funder_id AS "funderId", b.state, b.holder_distributor_id AS "holderDistributorId",
              b.blocked_at AS "blockedAt", to_char(b.allocated_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "allocatedOn",
              to_char(o.validity_end_date - o.stop_distribution_days, 'YYYY-MM-DD') AS "distributionEndsOn"
       FROM booklet b JOIN purchase_order o ON o.id = b.order_id WHERE b.serial = $1 FOR UPDATE OF b`,
      [serial],
    );
    return rows[0];
  }

  private async find(tx: Tx, id: string): Promise<HandoverRow | undefined> {
    const rows: HandoverRow[] = await tx.query(`${SELECT} WHERE h.id = $1`, [id]);
    return rows[0];
  }
}

const SELECT = `SELECT h.id, h.booklet_id AS "bookletId", b.serial AS "bookletSerial", h.order_id AS "orderId", o.funder_id AS "funderId",
  h.distributor_id AS "distributorId", to_char(h.handed_on, 'YYYY-MM-DD') AS "handedOn", h.profile_id AS "profileId",
  EXISTS (SELECT 1 FROM beneficiary_profile bp JOIN vault_person vp ON vp.pseudonym = bp.person_pseudonym
          JOIN vault_record vr ON vr.vault_id = vp.vault_id WHERE bp.id = h.profile_id) AS "withContact",
  h.returned_at AS "returnedAt", h.return_reason AS "returnReason", h.created_at AS "createdAt", ${cursorKeySql('h.created_at')} AS "cursorKey"
  FROM handover h JOIN booklet b ON b.id = h.booklet_id JOIN purchase_order o ON o.id = h.order_id`;

function toDto(h: HandoverRow, withBeneficiary: boolean): HandoverDto {
  return {
    id: h.id,
    bookletId: h.bookletId,
    bookletSerial: h.bookletSerial,
    orderId: h.orderId,
    distributorId: h.distributorId,
    handedOn: h.handedOn,
    ...(withBeneficiary ? { beneficiaryId: h.profileId, withContact: h.withContact } : {}),
    returnedAt: h.returnedAt?.toISOString() ?? null,
    returnReason: h.returnReason,
    createdAt: h.createdAt.toISOString(),
  };
}
