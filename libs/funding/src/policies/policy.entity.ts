import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** A public policy (e.g. "Pass numérique"): what was announced, programme by programme. */
@Entity({ name: 'policy' })
@Index('policy_list_idx', ['createdAt', 'id'])
@Index('policy_slug_key', ['slug'], { unique: true, where: 'slug IS NOT NULL' })
export class PolicyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Its public address once published (`/v1/public/policies/{slug}/transparency`); kept when unpublished. */
  @Column({ type: 'text', nullable: true })
  slug: string | null;

  /** Published: its transparency report answers without login. */
  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** One public announcement of a policy: an amount or a min–max range. Append-only. */
@Entity({ name: 'policy_announcement' })
@Index('policy_announcement_policy_idx', ['policyId', 'announcedOn'])
@Check(
  'policy_announcement_amount_check',
  `(amount_cents IS NOT NULL AND min_amount_cents IS NULL AND max_amount_cents IS NULL AND amount_cents > 0) OR (amount_cents IS NULL AND min_amount_cents IS NOT NULL AND max_amount_cents IS NOT NULL AND min_amount_cents > 0 AND min_amount_cents <= max_amount_cents)`,
)
export class PolicyAnnouncementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  policyId: string;

  @ManyToOne(() => PolicyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_id' })
  policy?: PolicyEntity;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'bigint', nullable: true })
  amountCents: string | null;

  @Column({ type: 'bigint', nullable: true })
  minAmountCents: string | null;

  @Column({ type: 'bigint', nullable: true })
  maxAmountCents: string | null;

  @Column({ type: 'date' })
  announcedOn: string;

  @Column({ type: 'text' })
  sourceReference: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
