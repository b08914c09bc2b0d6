import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A legal entity taking part in a scheme. One organisation may hold several kinds (a
 * distributor that is also a site). There is exactly one operator organisation.
 */
@Entity({ name: 'organisation' })
@Check('organisation_kinds_check', `cardinality(kinds) > 0 AND kinds <@ ARRAY['operator','funder','distributor','site']::text[]`)
@Check(
  'organisation_funder_type_check',
  `(funder_type IS NULL) = NOT ('funder' = ANY(kinds)) AND (funder_type IS NULL OR funder_type IN ('collectivity','public_operator','company','state'))`,
)
@Check('organisation_siren_check', `siren ~ '^[0-9]{9}$'`)
@Check('organisation_siret_check', `siret IS NULL OR (siret ~ '^[0-9]{14}$' AND left(siret, 9) = siren)`)
@Index('organisation_siret_key', ['siret'], { unique: true, where: 'siret IS NOT NULL' })
@Index('organisation_created_idx', ['createdAt', 'id'])
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', array: true })
  kinds: string[];

  @Column({ type: 'text', nullable: true })
  funderType: string | null;

  @Column({ type: 'text' })
  legalName: string;

  @Column({ type: 'text' })
  siren: string;

  @Column({ type: 'text', nullable: true })
  siret: string | null;

  @Column({ type: 'text' })
  addressLine: string;

  @Column({ type: 'text' })
  postcode: string;

  @Column({ type: 'text' })
  communeCode: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
