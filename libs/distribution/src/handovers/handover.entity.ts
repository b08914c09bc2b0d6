import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AGE_BANDS = ['under_18', '18_25', '26_44', '45_59', '60_74', '75_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/**
 * What reporting needs about a beneficiary, recorded at hand-over: no name, no contact (those live in
 * the vault, only with consent). `personPseudonym` is the HMAC of the person's vault id; erasure sets
 * it to null, which unlinks the profile from the person while the counts stay.
 */
@Entity({ name: 'beneficiary_profile' })
@Index('beneficiary_profile_pseudonym_idx', ['personPseudonym'], { where: 'person_pseudonym IS NOT NULL' })
@Check('beneficiary_profile_age_band_check', `age_band IN ('under_18', '18_25', '26_44', '45_59', '60_74', '75_plus')`)
export class BeneficiaryProfileEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  funderId: string;

  @Column({ type: 'uuid' })
  distributorId: string;

  @Column({ type: 'text' })
  ageBand: AgeBand;

  @Column({ type: 'text' })
  communeCode: string;

  @Column({ type: 'text', nullable: true })
  publicCategoryCode: string | null;

  @Column({ type: 'text', nullable: true })
  personPseudonym: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  unlinkedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/**
 * A booklet handed to a beneficiary by a distributor's agent. A booklet has at most one live
 * hand-over; a return (audited) closes it so the booklet can be handed over again.
 */
@Entity({ name: 'handover' })
@Index('handover_live_booklet_key', ['bookletId'], { unique: true, where: 'returned_at IS NULL' })
@Index('handover_distributor_idx', ['distributorId', 'createdAt', 'id'])
@Index('handover_profile_idx', ['profileId'])
@Index('handover_booklet_idx', ['bookletId'])
export class HandoverEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  bookletId: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  distributorId: string;

  /** The agent (user) or device (API key) that recorded it. */
  @Column({ type: 'uuid' })
  agentId: string;

  @Column({ type: 'date' })
  handedOn: string;

  @Column({ type: 'uuid' })
  profileId: string;

  @Column({ type: 'timestamptz', nullable: true })
  returnedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  returnReason: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
