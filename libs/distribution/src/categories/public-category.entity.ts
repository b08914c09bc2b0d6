import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The public categories a funder reports on (e.g. "senior", "job seeker"), recorded at hand-over.
 * Categories revealing health or disability (special categories, GDPR art. 9) are refused.
 */
@Entity({ name: 'public_category' })
@Check('public_category_code_check', `code ~ '^[a-z][a-z0-9_-]{1,39}$'`)
export class PublicCategoryEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'public_category_pkey' })
  funderId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'public_category_pkey' })
  code: string;

  @Column({ type: 'text' })
  labelFr: string;

  @Column({ type: 'text' })
  labelEn: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
