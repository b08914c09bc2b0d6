import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type MovementKind = 'allocate' | 'transfer' | 'return';

/** One serial range of a movement: booklets `fromNumber..toNumber` of one order. */
export interface MovedRange {
  orderId: string;
  fromSerial: string;
  toSerial: string;
  count: number;
}

/**
 * A movement of booklets between a funder and its distributors: allocation (funder → distributor),
 * transfer (distributor → distributor of the same funder) or return (distributor → funder). One row
 * per request with its serial ranges (append-only history); the booklets' own rows carry where each
 * one is now.
 */
@Entity({ name: 'allocation_movement' })
@Index('allocation_movement_funder_idx', ['funderId', 'createdAt', 'id'])
@Index('allocation_movement_to_idx', ['toDistributorId', 'createdAt'])
@Index('allocation_movement_from_idx', ['fromDistributorId', 'createdAt'])
@Check('allocation_movement_kind_check', `kind IN ('allocate', 'transfer', 'return')`)
@Check(
  'allocation_movement_parties_check',
  `(kind = 'allocate' AND from_distributor_id IS NULL AND to_distributor_id IS NOT NULL)
   OR (kind = 'transfer' AND from_distributor_id IS NOT NULL AND to_distributor_id IS NOT NULL AND from_distributor_id <> to_distributor_id)
   OR (kind = 'return' AND from_distributor_id IS NOT NULL AND to_distributor_id IS NULL)`,
)
@Check('allocation_movement_count_check', `booklet_count > 0`)
export class AllocationMovementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: MovementKind;

  @Column({ type: 'uuid' })
  funderId: string;

  @Column({ type: 'uuid', nullable: true })
  fromDistributorId: string | null;

  @Column({ type: 'uuid', nullable: true })
  toDistributorId: string | null;

  @Column({ type: 'integer' })
  bookletCount: number;

  @Column({ type: 'jsonb' })
  ranges: MovedRange[];

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
