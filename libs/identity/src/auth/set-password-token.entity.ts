import { JoinColumn, ManyToOne, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * A one-time set-password link. The admin who creates a user gets one, returned once; the email
 * job mints another when it sends. Only hashes are stored; using one spends all of the user's.
 */
@Entity({ name: 'set_password_token' })
@Index('set_password_token_hash_key', ['tokenHash'], { unique: true })
@Index('set_password_token_user_idx', ['userId'])
export class SetPasswordTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'bytea' })
  tokenHash: Buffer;

  /** Who the link was handed to: `admin` (returned in the API response) or `email`. */
  @Column({ type: 'text' })
  channel: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
