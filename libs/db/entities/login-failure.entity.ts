import { Entity, PrimaryColumn } from 'typeorm';
import * as column from './columns';
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

  @column.BelongsTo(() => UserEntity, 'user_id', 'FK_login_failures_user') user?: UserEntity;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_login_failures' })
  source: string;

  @column.Integer({ name: 'failed_logins', default: 0 }) failedLogins: number;

  @column.Timestamp({ name: 'locked_until', nullable: true }) lockedUntil: Date | null;

  @column.Timestamp({ name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
