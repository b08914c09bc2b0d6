import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The operator's reference list of services a site may deliver (workshop, individual support…). */
@Entity({ name: 'service_category' })
@Check('service_category_code_check', `code ~ '^[a-z][a-z0-9_-]{1,39}$'`)
export class ServiceCategoryEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  labelFr: string;

  @Column({ type: 'text' })
  labelEn: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
