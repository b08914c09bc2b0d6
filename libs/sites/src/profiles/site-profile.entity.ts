import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const SITE_STATUSES = ['draft', 'applied', 'qualified', 'suspended', 'revoked'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

/**
 * What a site organisation (kind `site`) adds to its identity (SIRET, address and commune live on
 * the organisation): coordinates for the pass page's "sites near you", its service catalogue, the
 * charter it accepted, and its current qualification status. Redemption reads this row (never
 * writes it): `status` must be `qualified` when a redemption is recorded.
 */
@Entity({ name: 'site_profile' })
@Index('site_profile_status_idx', ['status', 'updatedAt', 'organisationId'])
@Check('site_profile_status_check', `status IN ('draft', 'applied', 'qualified', 'suspended', 'revoked')`)
@Check(
  'site_profile_coordinates_check',
  `(latitude IS NULL) = (longitude IS NULL) AND (latitude IS NULL OR (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180))`,
)
export class SiteProfileEntity {
  @PrimaryColumn({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  /** Service categories (codes of the operator's list) the site offers. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  serviceCategoryCodes: string[];

  @Column({ type: 'text', nullable: true })
  charterVersion: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  charterAcceptedAt: Date | null;

  @Column({ type: 'text', default: 'draft' })
  status: SiteStatus;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  statusChangedAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
