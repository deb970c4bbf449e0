import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * Consecutive failed logins of one account from one source (a client IPv4 address or IPv6 /64),
 * and the lock they led to. Per source, so that a stranger guessing from elsewhere locks out
 * only their own source, never the account's owner. A successful login from the source deletes
 * its row; a new password deletes every row of the account.
 */
@Entity({ name: 'login_failures' })
export class LoginFailureEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_login_failures' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_login_failures_user' })
  user?: UserEntity;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_login_failures' })
  source: string;

  @Column({ name: 'failed_logins', type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
