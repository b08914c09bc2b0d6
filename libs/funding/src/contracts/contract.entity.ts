import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from '../../../identity/src/organisations/organisation.entity';

/** A funder's procurement contract with the operator (marché public). */
@Entity({ name: 'funding_contract' })
@Index('funding_contract_reference_key', ['funderId', 'reference'], { unique: true })
@Index('funding_contract_list_idx', ['createdAt', 'id'])
@Check('funding_contract_fee_rate_check', `upstream_fee_rate_bp BETWEEN 0 AND 10000`)
@Check('funding_contract_dates_check', `notified_on >= published_on AND end_date >= notified_on`)
export class ContractEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  funderId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'funder_id' })
  funder?: OrganisationEntity;

  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'date' })
  publishedOn: string;

  @Column({ type: 'date' })
  notifiedOn: string;

  @Column({ type: 'date' })
  endDate: string;

  @Column({ type: 'integer' })
  upstreamFeeRateBp: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
