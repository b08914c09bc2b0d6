import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const QUALIFICATION_DECISIONS = ['applied', 'qualified', 'suspended', 'revoked'] as const;
export type QualificationDecision = (typeof QUALIFICATION_DECISIONS)[number];

/**
 * The qualification history of a site (append-only): each application and each operator decision
 * with its reason code. A `qualified` decision carries the label (name and validity range, Paris
 * dates): redemption accepts a service whose Paris date lies inside a label range of the site, while
 * the site's current status is `qualified`.
 */
@Entity({ name: 'site_qualification' })
@Index('site_qualification_site_idx', ['siteId', 'decidedAt'])
@Index('site_qualification_label_idx', ['siteId', 'labelValidFrom'], { where: `decision = 'qualified'` })
@Check('site_qualification_decision_check', `decision IN ('applied', 'qualified', 'suspended', 'revoked')`)
@Check(
  'site_qualification_label_check',
  `(decision = 'qualified') = (label_name IS NOT NULL AND label_valid_from IS NOT NULL AND label_valid_until IS NOT NULL)
   AND (label_valid_until IS NULL OR label_valid_until >= label_valid_from)`,
)
export class SiteQualificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  siteId: string;

  @Column({ type: 'text' })
  decision: QualificationDecision;

  @Column({ type: 'text' })
  reasonCode: string;

  @Column({ type: 'text', nullable: true })
  labelName: string | null;

  @Column({ type: 'date', nullable: true })
  labelValidFrom: string | null;

  @Column({ type: 'date', nullable: true })
  labelValidUntil: string | null;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  decidedAt: Date;
}
