import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A settlement run: every live redemption in no statement with `recorded_at + 24 h <= cutoff`, priced
 * into one statement per site. One run per cutoff (the primary key): starting the same cutoff again
 * resumes or returns it, so a run is deterministic and never pays twice.
 */
@Entity({ name: 'settlement_run' })
@Check('settlement_run_status_check', `status IN ('running', 'completed')`)
@Check('settlement_run_trigger_check', `trigger IN ('operator', 'schedule')`)
export class SettlementRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'timestamptz', unique: true })
  cutoff: Date;

  @Column({ type: 'text', default: 'running' })
  status: string;

  @Column({ type: 'text' })
  trigger: string;

  @Column({ type: 'uuid', nullable: true })
  startedBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  statements: number;

  @Column({ type: 'bigint', default: 0 })
  amountCents: string;
}
