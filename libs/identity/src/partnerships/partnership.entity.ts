import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity';

/** A distributor working for a funder. Ending a partnership keeps its history. */
@Entity({ name: 'partnership' })
@Index('partnership_active_key', ['funderId', 'distributorId'], { unique: true, where: 'ended_at IS NULL' })
@Index('partnership_distributor_idx', ['distributorId'])
export class PartnershipEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  funderId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'funder_id' })
  funder?: OrganisationEntity;

  @Column({ type: 'uuid' })
  distributorId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'distributor_id' })
  distributor?: OrganisationEntity;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
