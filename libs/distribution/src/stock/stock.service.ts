import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { TransactionRunner } from '@sillage/db';
import { isOperator, PartnershipRepository, Principal } from '@sillage/identity';
import { DistributionError } from '../distribution.errors';

export class StockLineDto {
  @ApiProperty({ format: 'uuid' }) funderId: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty() orderReference: string;
  @ApiProperty({ description: 'Booklets held, not yet handed over' }) allocated: number;
  @ApiProperty({ description: 'Booklets handed over by this distributor' }) distributed: number;
  @ApiProperty({ description: 'Of the held booklets, blocked ones' }) blocked: number;
  @ApiProperty() faceValueCents: number;
  @ApiProperty({ format: 'date' }) validityEndDate: string;
  @ApiProperty({ format: 'date', description: 'Last day a booklet of this order may be handed over' }) distributionEndsOn: string;
}

export class StockDto {
  @ApiProperty({ format: 'uuid' }) distributorId: string;
  @ApiProperty() allocated: number;
  @ApiProperty() distributed: number;
  @ApiProperty({ type: [StockLineDto] }) lines: StockLineDto[];
}

/** A distributor's stock per funder and order: read by the distributor, the operator, and each funder for its own orders. */
@Injectable()
export class StockService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly partnerships: PartnershipRepository,
  ) {}

  async stock(principal: Principal, distributorId: string): Promise<StockDto> {
    const operator = isOperator(principal);
    const own = principal.organisationId === distributorId;
    const funder = principal.organisationKinds.includes('funder') && !own && !operator;
    if (funder) {
      // a former partner's stock stays visible to the funder: its booklets may still be there
      if (!(await this.partnerships.arePartners(this.tx.manager, principal.organisationId, distributorId, { includingEnded: true })))
        throw new DistributionError('NOT_FOUND', 'distributor not found');
    } else if (!operator && !own) {
      throw new DistributionError('NOT_FOUND', 'distributor not found');
    }
    const lines: (StockLineDto & { faceValueCents: string })[] = await this.tx.manager.query(
      `SELECT o.funder_id AS "funderId", o.id AS "orderId", o.reference AS "orderReference",
              count(*) FILTER (WHERE b.state = 'ALLOCATED')::int AS allocated,
              count(*) FILTER (WHERE b.state = 'DISTRIBUTED')::int AS distributed,
              count(*) FILTER (WHERE b.state = 'ALLOCATED' AND b.blocked_at IS NOT NULL)::int AS blocked,
              o.face_value_cents AS "faceValueCents", to_char(o.validity_end_date, 'YYYY-MM-DD') AS "validityEndDate",
              to_char(o.validity_end_date - o.stop_distribution_days, 'YYYY-MM-DD') AS "distributionEndsOn"
       FROM booklet b JOIN purchase_order o ON o.id = b.order_id
       WHERE b.holder_distributor_id = $1 ${funder ? 'AND o.funder_id = $2' : ''}
       GROUP BY o.id ORDER BY o.created_at, o.id`,
      funder ? [distributorId, principal.organisationId] : [distributorId],
    );
    const out = lines.map((l) => ({ ...l, faceValueCents: Number(l.faceValueCents) }));
    return {
      distributorId,
      allocated: out.reduce((a, l) => a + l.allocated, 0),
      distributed: out.reduce((a, l) => a + l.distributed, 0),
      lines: out,
    };
  }
}
