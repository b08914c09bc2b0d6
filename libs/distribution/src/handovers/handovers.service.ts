import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_EVENT_COLUMNS, AuditLog, auditEventValues } from '@sillage/audit';
import { DEFAULT_PAGE_SIZE, Page, parisDate, toPage } from '@sillage/common';
import { TransactionRunner, Tx } from '@sillage/db';
import { actorOf, cursorKeySql, decodeTimeCursor, isOperator, Principal } from '@sillage/identity';
import { BookletFactsCache } from '@sillage/issuance';
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
  categoryOk: boolean;
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
    private readonly booklets: BookletFactsCache,
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
    const booklet = await this.booklets.get(input.bookletSerial);
    if (!booklet) throw this.refusal(principal, await this.bookletFacts(input.bookletSerial, category), handedOn) ?? stale();
    const c = input.contact;
    const person = this.vault.preparePerson(
      hasContact
        ? { field: 'contact', record: { name: c!.name ?? null, email: c!.email ?? null, phone: c!.phone ?? null }, consent: input.consent! }
        : undefined,
    );
    const handoverId = randomUUID();
    const profileId = randomUUID();
    const event = this.audit.prepare({
      action: 'booklet.handed_over',
      actor: actorOf(principal),
      subject: { type: 'booklet', id: booklet.id },
      facts: { orderId: booklet.orderId, funderId: booklet.funderId, distributorId: principal.organisationId, handoverId, handedOn },
      requestId,
    });
    const params: unknown[] = [];
    const $ = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const v = {
      bookletId: $(booklet.id),
      distributorId: $(principal.organisationId),
      handedOn: $(handedOn),
      category: $(category),
      vaultId: $(person.vaultId),
      pseudonym: $(person.pseudonym),
      wrappedKey: $(person.wrappedKey),
      field: $(person.record?.field ?? null),
      sealed: $(person.record?.sealed ?? null),
      purpose: $(person.record?.consent.purpose ?? null),
      givenOn: $(person.record?.consent.givenOn ?? null),
      textVersion: $(person.record?.consent.textVersion ?? null),
      profileId: $(profileId),
      funderId: $(booklet.funderId),
      ageBand: $(input.profile.ageBand),
      commune: $(input.profile.communeCode),
      handoverId: $(handoverId),
      orderId: $(booklet.orderId),
      agentId: $(principal.id),
      audit: auditEventValues(event).map((x) => $(x)),
    };
    // One statement, hence one implicit transaction and one round trip, prepared once per connection:
    // the booklet moves only if every condition still holds (stock, state, block, dates, category),
    // and every row (vault, profile, hand-over, audit event) is written only if it moved.
    const result = await this.tx.pool.query<{ n: number }>({
      name: 'handover-write-v2',
      text: `WITH moved AS (
         UPDATE booklet b SET state = 'DISTRIBUTED', distributed_at = now()
         FROM purchase_order o
         WHERE b.id = ${v.bookletId} AND o.id = b.order_id AND b.state = 'ALLOCATED' AND b.holder_distributor_id = ${v.distributorId}
           AND b.blocked_at IS NULL AND o.validity_end_date - o.stop_distribution_days >= ${v.handedOn}::date
           AND (b.allocated_at AT TIME ZONE 'Europe/Paris')::date <= ${v.handedOn}::date
           AND (${v.category}::text IS NULL
                OR EXISTS (SELECT 1 FROM public_category pc WHERE pc.funder_id = o.funder_id AND pc.code = ${v.category} AND pc.active))
         RETURNING b.id),
       person AS (
         INSERT INTO vault_person (vault_id, pseudonym, wrapped_key) SELECT ${v.vaultId}, ${v.pseudonym}, ${v.wrappedKey} FROM moved),
       record AS (
         INSERT INTO vault_record (vault_id, field, sealed, consent_purpose, consent_given_on, consent_text_version)
         SELECT ${v.vaultId}, ${v.field}, ${v.sealed}, ${v.purpose}, ${v.givenOn}::date, ${v.textVersion} FROM moved WHERE ${v.field}::text IS NOT NULL),
       profile AS (
         INSERT INTO beneficiary_profile (id, funder_id, distributor_id, age_band, commune_code, public_category_code, person_pseudonym)
         SELECT ${v.profileId}, ${v.funderId}, ${v.distributorId}, ${v.ageBand}, ${v.commune}, ${v.category}, ${v.pseudonym} FROM moved),
       handover AS (
         INSERT INTO handover (id, booklet_id, order_id, distributor_id, agent_id, handed_on, profile_id)
         SELECT ${v.handoverId}, ${v.bookletId}, ${v.orderId}, ${v.distributorId}, ${v.agentId}, ${v.handedOn}::date, ${v.profileId} FROM moved),
       audit AS (
         INSERT INTO audit_event (${AUDIT_EVENT_COLUMNS}) SELECT ${v.audit.join(', ')} FROM moved)
       SELECT count(*)::int AS n FROM moved`,
      values: params,
    });
    const n = result.rows[0].n;
    if (n === 0) {
      // A condition failed (not in stock, handed over, blocked, dates, category): say which, from fresh facts.
      throw this.refusal(principal, await this.bookletFacts(input.bookletSerial, category), handedOn) ?? stale();
    }
    return {
      id: handoverId,
      bookletId: booklet.id,
      bookletSerial: input.bookletSerial,
      orderId: booklet.orderId,
      distributorId: principal.organisationId,
      handedOn,
      beneficiaryId: profileId,
      withContact: hasContact,
      returnedAt: null,
      returnReason: null,
      createdAt: new Date().toISOString(),
    };
  }

  /** What a hand-over needs to know about the booklet to explain a refusal. */
  private async bookletFacts(serial: string, category: string | null): Promise<BookletForHandover | undefined> {
    const result = await this.tx.pool.query<BookletForHandover>({
      name: 'handover-facts-v1',
      text: `SELECT b.id, b.serial, b.order_id AS "orderId", o.funder_id AS "funderId", b.state, b.holder_distributor_id AS "holderDistributorId",
              b.blocked_at AS "blockedAt", to_char(b.allocated_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS "allocatedOn",
              to_char(o.validity_end_date - o.stop_distribution_days, 'YYYY-MM-DD') AS "distributionEndsOn",
              ($2::text IS NULL OR EXISTS (SELECT 1 FROM public_category c WHERE c.funder_id = o.funder_id AND c.code = $2 AND c.active)) AS "categoryOk"
       FROM booklet b JOIN purchase_order o ON o.id = b.order_id WHERE b.serial = $1`,
      values: [serial, category],
    });
    return result.rows[0];
  }

  /** Why a hand-over cannot happen, in the order a user would want to hear it; undefined when it can. */
  private refusal(principal: Principal, b: BookletForHandover | undefined, handedOn: string): DistributionError | undefined {
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
    if (!b.categoryOk) {
      return new DistributionError('CATEGORY_UNKNOWN', 'publicCategoryCode is not one of the funder’s public categories', {
        field: 'profile.publicCategoryCode',
      });
    }
    return undefined;
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
    if (q.bookletSerial) where.push(`b.serial = ${p(q.bookletSerial)}`);
    const newest = q.order === 'newest';
    const after = decodeTimeCursor(q.cursor);
    if (after) where.push(`(h.created_at, h.id) ${newest ? '<' : '>'} (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const direction = newest ? 'DESC' : 'ASC';
    const rows: HandoverRow[] = await this.tx.manager.query(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY h.created_at ${direction}, h.id ${direction} LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map((r) => toDto(r, distributor)), nextCursor: page.nextCursor };
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

function stale(): DistributionError {
  return new DistributionError('BOOKLET_NOT_IN_STOCK', 'this booklet changed meanwhile: look at it again', { field: 'bookletSerial' });
}
